import { CreateReminders1763700005000 } from './migrations/1763700005000-create-reminders';
import { StorableReminderTimes1763700011600 } from './migrations/1763700011600-storable-reminder-times';

/** Runs after the tasks migrations (reminders reference tasks). */
export const REMINDERS_MIGRATIONS = [CreateReminders1763700005000, StorableReminderTimes1763700011600];
