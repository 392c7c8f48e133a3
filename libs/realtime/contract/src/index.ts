export * from './lib/realtime-protocol';
