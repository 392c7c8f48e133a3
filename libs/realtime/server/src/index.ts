export * from './lib/realtime.module';
export * from './lib/realtime-migrations';
