export * from './lib/tasks-api.module';
