export * from './lib/clock';
export * from './lib/reminder-firing';
export * from './lib/scheduler.module';
export * from './lib/timers/dapr-jobs-reminder-timer';
export * from './lib/timers/dapr-jobs-client';
