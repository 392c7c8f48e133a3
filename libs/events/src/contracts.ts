// The event contracts alone (zod schemas, types, the state-order rule): no database or Nest code, so
// browser bundles and other contract libraries can import them (`@todo/events/contracts`).
export * from './lib/task-event-contracts';
export * from './lib/task-state-order';
