import type { ReminderSnapshot, TaskSnapshot } from '@todo/events';
import type { Reminder } from '@todo/reminders';
import { formatDue } from './due';
import type { Task } from './task';

/** The wire shape of a task (snake_case), shared by REST responses, events and chat tools. */
export function toTaskSnapshot(task: Task): TaskSnapshot {
  return {
    id: task.id,
    number: task.number,
    title: task.title,
    description: task.description,
    status: task.status,
    priority: task.priority,
    tags: [...task.tags],
    due: formatDue(task.due, task.timeZone),
    overdue: task.overdue,
    time_zone: task.timeZone,
    recurrence: task.recurrence ? { ...task.recurrence } : null,
    reminders: task.reminders.map(toReminderSnapshot),
    version: task.version,
    created_at: task.createdAt.toISOString(),
    updated_at: task.updatedAt.toISOString(),
    completed_at: task.completedAt?.toISOString() ?? null,
  };
}

/** The wire shape of a reminder, as in task snapshots and the reminders API. */
export function toReminderSnapshot(reminder: Reminder): ReminderSnapshot {
  return {
    id: reminder.id,
    before: 'before' in reminder.trigger ? reminder.trigger.before : null,
    at: 'at' in reminder.trigger ? reminder.trigger.at.toISOString() : null,
    fire_at: reminder.fireAt?.toISOString() ?? null,
    state: reminder.state,
    fired_at: reminder.firedAt?.toISOString() ?? null,
    created_at: reminder.createdAt.toISOString(),
  };
}
