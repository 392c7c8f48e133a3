import type { DomainEvent, EventActor, TaskChange, TaskSnapshot } from '@todo/events';
import { changedFields } from '@todo/tasks';

type TaskFactEvent = DomainEvent<
  'task.created' | 'task.updated' | 'task.completed' | 'task.reopened' | 'task.deleted'
>;

/** The events the history records: every task fact, and every reminder that fired. */
export type AuditedEvent = TaskFactEvent | DomainEvent<'reminder.due'>;

/** What an entry records: a task change, or `reminded` (one of the task's reminders fired). */
export type AuditAction = TaskChange | 'reminded';

export type FieldChanges = Record<string, { from: unknown; to: unknown }>;

/** Only the scheduler fires reminders (whatever process hosts it, e.g. the standalone app). */
const REMINDER_ACTOR: EventActor = { type: 'service', id: 'scheduler' };

/** One history entry, as stored and as the read APIs return it. */
export interface AuditEntry {
  readonly eventId: string;
  readonly userId: string;
  readonly taskId: string;
  readonly taskNumber: number;
  readonly action: AuditAction;
  readonly actor: EventActor;
  readonly before: TaskSnapshot | null;
  readonly after: TaskSnapshot | null;
  readonly changes: FieldChanges;
  readonly occurredAt: Date;
}

/**
 * Turns an event into its history entry. A task event: the states before and after, and what
 * differs. A fired reminder: no task states (the event carries none), the reminder as the change.
 */
export function auditEntryFrom(event: AuditedEvent): AuditEntry {
  if (event.type === 'reminder.due') return reminderEntry(event);
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

function reminderEntry(event: DomainEvent<'reminder.due'>): AuditEntry {
  const { reminder, task, fired_at } = event.data;
  return {
    eventId: event.id,
    userId: event.data.user_id,
    taskId: task.id,
    taskNumber: task.number,
    action: 'reminded',
    actor: REMINDER_ACTOR,
    before: null,
    after: null,
    // `task_title`: the title when it fired, so a feed can name the task without its snapshots.
    changes: { reminder: { from: null, to: { ...reminder, fired_at, task_title: task.title } } },
    occurredAt: new Date(fired_at),
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
