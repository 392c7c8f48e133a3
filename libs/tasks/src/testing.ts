// Test and benchmark helpers (`@todo/tasks/testing`), kept out of the main entry point.
export { insertDueReminders } from './lib/testing/due-reminder-fixtures';
