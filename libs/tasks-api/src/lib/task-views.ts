import { formatDue, type Task } from '@todo/tasks';

/** REST (snake_case) representation of a task, the same shape the chat tools use. */
export function taskView(task: Task) {
  return {
    id: task.id,
    number: task.number,
    title: task.title,
    description: task.description,
    status: task.status,
    priority: task.priority,
    tags: task.tags,
    due: formatDue(task.due, task.timeZone),
    overdue: task.overdue,
    time_zone: task.timeZone,
    recurrence: task.recurrence,
    version: task.version,
    created_at: task.createdAt,
    updated_at: task.updatedAt,
    completed_at: task.completedAt,
  };
}
