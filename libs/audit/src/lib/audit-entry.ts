import type { DomainEvent, EventActor, TaskChange, TaskSnapshot } from '@todo/events';
import { changedFields } from '@todo/tasks';

export type TaskFactEvent = DomainEvent<
  'task.created' | 'task.updated' | 'task.completed' | 'task.reopened' | 'task.deleted'
>;

export type FieldChanges = Record<string, { from: unknown; to: unknown }>;

/** One history entry, as stored and as the read APIs return it. */
export interface AuditEntry {
  readonly eventId: string;
  readonly userId: string;
  readonly taskId: string;
  readonly taskNumber: number;
  readonly action: TaskChange;
  readonly actor: EventActor;
  readonly before: TaskSnapshot | null;
  readonly after: TaskSnapshot | null;
  readonly changes: FieldChanges;
  readonly occurredAt: Date;
}

/** Turns a task event into its history entry: the states before and after, and what differs. */
export function auditEntryFrom(event: TaskFactEvent): AuditEntry {
  const action = event.type.slice('task.'.length) as TaskChange;
  const before =
    event.type === 'task.created' ? null : 'previous' in event.data ? event.data.previous : event.data.task;
  const after = event.type === 'task.deleted' ? null : event.data.task;
  return {
    eventId: event.id,
    userId: event.data.user_id,
    taskId: event.data.task.id,
    taskNumber: event.data.task.number,
    action,
    actor: event.data.actor,
    before,
    after,
    changes: before && after ? diff(before, after) : {},
    occurredAt: new Date(event.time),
  };
}

function diff(before: TaskSnapshot, after: TaskSnapshot): FieldChanges {
  return Object.fromEntries(
    changedFields(before, after).map((field) => [
      field,
      { from: before[field as keyof TaskSnapshot], to: after[field as keyof TaskSnapshot] },
    ]),
  );
}
