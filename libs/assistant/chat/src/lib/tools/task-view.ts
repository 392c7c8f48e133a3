import type { Reminder } from '@todo/reminders';
import type { Task } from '@todo/tasks';
import { wallTimeOf } from './wall-time';

/** A task as models and MCP clients see it: compact, times as wall times of the task's zone. */
export interface TaskView {
  readonly id: string;
  readonly number: number;
  readonly title: string;
  readonly description: string | null;
  readonly status: Task['status'];
  readonly priority: Task['priority'];
  readonly tags: readonly string[];
  readonly due: string | null;
  readonly overdue: boolean;
  readonly recurrence: Task['recurrence'];
  readonly reminders: ReminderView[];
}

export interface ReminderView {
  readonly before?: string;
  readonly at?: string;
  readonly fires_at: string | null;
  readonly state: Reminder['state'];
}

export function dueWallTime(task: Task): string | null {
  if (!task.due) return null;
  return task.due.allDay ? task.due.date : wallTimeOf(task.due.at, task.timeZone);
}

export function toTaskView(task: Task): TaskView {
  return {
    id: task.id,
    number: task.number,
    title: task.title,
    description: task.description,
    status: task.status,
    priority: task.priority,
    tags: task.tags,
    due: dueWallTime(task),
    overdue: task.overdue,
    recurrence: task.recurrence,
    reminders: task.reminders.map((reminder) => ({
      ...('before' in reminder.trigger
        ? { before: reminder.trigger.before }
        : { at: wallTimeOf(reminder.trigger.at, task.timeZone) }),
      fires_at: reminder.fireAt ? wallTimeOf(reminder.fireAt, task.timeZone) : null,
      state: reminder.state,
    })),
  };
}
