export * from './lib/api.module';
