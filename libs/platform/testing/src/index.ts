export * from './lib/api-client';
export * from './lib/test-app';
export * from './lib/test-database';
export * from './lib/wait-for';
export * from './lib/kcat-mock-cluster';
export * from './lib/reminder-fixtures';
export * from './lib/fake-dapr-sidecar';
export * from './lib/scripted-openai-server';
