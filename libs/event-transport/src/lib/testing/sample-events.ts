import { createEvent, type DomainEvent, type TaskSnapshot } from '@todo/events';
import { randomUUID } from 'node:crypto';

/** A valid `task.created` event whose title carries instructions for the conformance consumer. */
export function sampleTaskCreated(title: string, taskId: string = randomUUID()): DomainEvent<'task.created'> {
  const now = new Date().toISOString();
  const task: TaskSnapshot = {
    id: taskId,
    number: 1,
    title,
    description: null,
    status: 'pending',
    priority: 'none',
    tags: [],
    due: null,
    overdue: false,
    time_zone: 'UTC',
    recurrence: null,
    version: 1,
    created_at: now,
    updated_at: now,
    completed_at: null,
  };
  const userId = randomUUID();
  return createEvent('task.created', {
    source: '/todo/conformance',
    subject: taskId,
    data: { user_id: userId, actor: { type: 'user', id: userId }, task },
  });
}
