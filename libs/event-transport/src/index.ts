export * from './lib/consumer/event-context';
export * from './lib/event-consumers';
export * from './lib/event-publisher';
export * from './lib/event-transport.module';
export * from './lib/memory/memory-broker';
export * from './lib/outbox/outbox-relay';
