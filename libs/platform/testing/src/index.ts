export * from './lib/api-client';
export * from './lib/test-app';
export * from './lib/test-database';
