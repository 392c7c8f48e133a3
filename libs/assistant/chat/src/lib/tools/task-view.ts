import type { Task } from '@todo/tasks';
import { type Reminder, wallTimeOf } from '@todo/reminders';

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

interface ReminderView {
  readonly before?: string;
  readonly at?: string;
  readonly fires_at: string | null;
  readonly state: Reminder['state'];
}

function dueWallTime(task: Task): string | null {
  if (!task.due) return null;
  return task.due.allDay ? task.due.date : wallTimeOf(task.due.at, task.timeZone);
}

export function toTaskView(task: Task): TaskView {
  // What a model needs of a task, with times as wall times (key order is the reply's JSON order).
  const { id, number, title, description, status, priority, tags, overdue, recurrence } = task;
  return {
    id,
    number,
    title,
    description,
    status,
    priority,
    tags,
    overdue,
    recurrence,
    due: dueWallTime(task),
    reminders: task.reminders.map((reminder) => ({
      ...('before' in reminder.trigger
        ? { before: reminder.trigger.before }
        : { at: wallTimeOf(reminder.trigger.at, task.timeZone) }),
      fires_at: reminder.fireAt ? wallTimeOf(reminder.fireAt, task.timeZone) : null,
      state: reminder.state,
    })),
  };
}
