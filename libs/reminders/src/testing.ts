// Test and benchmark helpers (`@todo/reminders/testing`), kept out of the main entry point.
export { scheduleRemindersAtDue } from './lib/testing/reminder-fixtures';
export {
  completedOccurrences,
  HOSTILE_RULES,
  ORDINARY_RULES,
  ruleTexts,
} from './lib/testing/rule-arbitraries';
