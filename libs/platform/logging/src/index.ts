export * from './lib/logging.module';
