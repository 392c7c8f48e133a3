import type { Actor } from '@todo/auth';
import {
  createEvent,
  type DomainEvent,
  type EventActor,
  type TaskChange,
  type TaskSnapshot,
} from '@todo/events';
import type { Task } from './task';
import { toTaskSnapshot } from './task-snapshot';

/** Fields whose change is not a change of the task's content (bookkeeping or derived from the clock). */
const BOOKKEEPING = new Set(['version', 'updated_at', 'overdue']);

export function changedFields(before: TaskSnapshot, after: TaskSnapshot): string[] {
  return (Object.keys(after) as Array<keyof TaskSnapshot>).filter(
    (field) => !BOOKKEEPING.has(field) && JSON.stringify(before[field]) !== JSON.stringify(after[field]),
  );
}

/**
 * The events one task change produces: the fact on `task-events` (for the scheduler and the audit
 * log) and the new state on `task-updates` (for live clients). Both carry the owner's id.
 */
export function taskChangeEvents(
  source: string,
  change: TaskChange,
  actor: Actor,
  task: Task,
  previous?: Task,
): DomainEvent[] {
  const eventActor: EventActor = actor.service
    ? { type: 'service', id: actor.service }
    : { type: 'user', id: actor.userId };
  const common = { user_id: task.ownerId, actor: eventActor };
  const snapshot = toTaskSnapshot(task);
  const before = previous ? toTaskSnapshot(previous) : snapshot;
  const subject = task.id;
  const fact = (() => {
    switch (change) {
      case 'created':
        return createEvent('task.created', { source, subject, data: { ...common, task: snapshot } });
      case 'deleted':
        return createEvent('task.deleted', { source, subject, data: { ...common, task: snapshot } });
      case 'updated':
        return createEvent('task.updated', {
          source,
          subject,
          data: {
            ...common,
            task: snapshot,
            previous: before,
            changed_fields: changedFields(before, snapshot),
          },
        });
      case 'completed':
        return createEvent('task.completed', {
          source,
          subject,
          data: { ...common, task: snapshot, previous: before },
        });
      case 'reopened':
        return createEvent('task.reopened', {
          source,
          subject,
          data: { ...common, task: snapshot, previous: before },
        });
    }
  })();
  const state = createEvent('task.changed', {
    source,
    subject,
    data: { user_id: task.ownerId, change, task: snapshot },
  });
  return [fact, state];
}
