import type { TaskSnapshot } from '@todo/events';
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
    version: task.version,
    created_at: task.createdAt.toISOString(),
    updated_at: task.updatedAt.toISOString(),
    completed_at: task.completedAt?.toISOString() ?? null,
  };
}
