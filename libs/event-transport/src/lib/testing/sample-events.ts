import { createEvent, type DomainEvent } from '@todo/events';
import { sampleTaskSnapshot } from '@todo/events/testing';
import { randomUUID } from 'node:crypto';

/** A valid `task.created` event whose title carries instructions for the conformance consumer. */
export function sampleTaskCreated(title: string, taskId: string = randomUUID()): DomainEvent<'task.created'> {
  const userId = randomUUID();
  return createEvent('task.created', {
    source: '/todo/conformance',
    subject: taskId,
    data: {
      user_id: userId,
      actor: { type: 'user', id: userId },
      task: sampleTaskSnapshot({ id: taskId, title }),
    },
  });
}
