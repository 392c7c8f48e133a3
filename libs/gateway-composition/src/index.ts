export * from './lib/gateway.module';
