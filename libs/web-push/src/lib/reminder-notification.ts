import type { EventData } from '@todo/events';

/**
 * What a client is told when a reminder comes due: the Web Push payload (JSON), and the same fields
 * the realtime service sends to open tabs. Enough to show the notification and open the task.
 */
export interface ReminderNotification {
  readonly type: 'reminder.due';
  readonly reminder_id: string;
  readonly task_id: string;
  readonly task_number: number;
  readonly title: string;
  /** RFC 3339 instant, YYYY-MM-DD for an all-day task, or null. */
  readonly due: string | null;
  /** When the reminder was meant to fire. */
  readonly fire_at: string;
}

export function reminderNotification(data: EventData<'reminder.due'>): ReminderNotification {
  return {
    type: 'reminder.due',
    reminder_id: data.reminder.id,
    task_id: data.task.id,
    task_number: data.task.number,
    title: data.task.title,
    due: data.task.due,
    fire_at: data.reminder.fire_at,
  };
}
