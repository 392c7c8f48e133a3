export * from './lib/next-occurrence';
export * from './lib/recurrence-rule';
export * from './lib/reminder';
export * from './lib/reminder-input';
export * from './lib/reminder-plan';
export * from './lib/reminder-trigger';
export * from './lib/reminders-migrations';
export * from './lib/wall-clock';
