export * from './lib/cloud-event';
export * from './lib/event-catalog';
export * from './lib/event-consumer.decorator';
export * from './lib/events.module';
export * from './lib/inbox';
export * from './lib/outbox';
export * from './lib/task-event-contracts';
export * from './lib/topics';
