import { CreateReminders1763700005000 } from './migrations/1763700005000-create-reminders';

/** Runs after the tasks migrations (reminders reference tasks). */
export const REMINDERS_MIGRATIONS = [CreateReminders1763700005000];
