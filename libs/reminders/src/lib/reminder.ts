/**
 * A reminder belongs to one task. It is either an absolute instant (`at`) or an offset before the
 * task's due time (`before`, an ISO 8601 duration such as `PT1H` or `P1D`), which follows the task
 * when its due time moves.
 */
export type ReminderState = 'scheduled' | 'fired' | 'cancelled' | 'missed';

export type ReminderTrigger = { readonly before: string } | { readonly at: Date };

export interface Reminder {
  readonly id: string;
  readonly trigger: ReminderTrigger;
  /** When it fires; null when it cannot (an offset on a task without a due time). */
  readonly fireAt: Date | null;
  readonly state: ReminderState;
  readonly firedAt: Date | null;
  readonly createdAt: Date;
}

/** Most reminders a task may have. */
export const MAX_REMINDERS_PER_TASK = 10;

/**
 * PostgreSQL channel a transaction NOTIFYs (payload: the fire time in epoch milliseconds) when it
 * scheduled a reminder, so a sleeping timer wakes early if that time is before its planned wake-up.
 */
export const REMINDERS_CHANNEL = 'reminders_scheduled';
