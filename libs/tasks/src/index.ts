export * from './lib/due';
export * from './lib/task';
export * from './lib/task.schemas';
export * from './lib/task.service';
export * from './lib/task-change-events';
export * from './lib/task-snapshot';
export * from './lib/tasks.module';
export * from './lib/task-list-query';
export { TASK_COLUMNS } from './lib/task-row';
