// Test and benchmark helpers (`@todo/realtime/testing`), kept out of the main entry point.
export * from './lib/testing/socket-client';
