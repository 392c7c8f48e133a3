export * from './lib/due';
export * from './lib/recurrence-rule';
export * from './lib/task';
export * from './lib/task.schemas';
export * from './lib/task.service';
export * from './lib/tasks.module';
export * from './lib/task-list-query';
