// Test helpers (`@todo/events/testing`), kept out of the production entry point.
export * from './lib/testing/sample-task-snapshot';
