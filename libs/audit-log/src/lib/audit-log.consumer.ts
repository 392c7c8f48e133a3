import { EventPattern, Payload } from '@nestjs/microservices';
import { type DomainEvent, EventConsumer, Inbox } from '@todo/events';
import type { EntityManager } from 'typeorm';
import { type AuditedEvent, type AuditEntry, auditEntryFrom } from './audit-entry';

const AUDIT_CONSUMER = 'audit';

/** Appends every task event and fired reminder to `audit_log`, once per event (inbox + unique event id). */
@EventConsumer()
export class AuditLogConsumer {
  constructor(private readonly inbox: Inbox) {}

  @EventPattern('task.created', { consumer: AUDIT_CONSUMER })
  created(@Payload() event: DomainEvent<'task.created'>) {
    return this.record(event);
  }

  @EventPattern('task.updated', { consumer: AUDIT_CONSUMER })
  updated(@Payload() event: DomainEvent<'task.updated'>) {
    return this.record(event);
  }

  @EventPattern('task.completed', { consumer: AUDIT_CONSUMER })
  completed(@Payload() event: DomainEvent<'task.completed'>) {
    return this.record(event);
  }

  @EventPattern('task.reopened', { consumer: AUDIT_CONSUMER })
  reopened(@Payload() event: DomainEvent<'task.reopened'>) {
    return this.record(event);
  }

  @EventPattern('task.deleted', { consumer: AUDIT_CONSUMER })
  deleted(@Payload() event: DomainEvent<'task.deleted'>) {
    return this.record(event);
  }

  @EventPattern('reminder.due', { consumer: AUDIT_CONSUMER })
  reminded(@Payload() event: DomainEvent<'reminder.due'>) {
    return this.record(event);
  }

  private async record(event: AuditedEvent): Promise<void> {
    await this.inbox.onceBatched(AUDIT_CONSUMER, event.id, insertEntries, auditEntryFrom(event));
  }
}

/** The entries of an inbox batch in one statement. */
async function insertEntries(tx: EntityManager, entries: readonly AuditEntry[]): Promise<void> {
  const values: unknown[] = [];
  const rows = entries.map((entry) => {
    const first = values.length + 1;
    values.push(
      entry.eventId,
      entry.userId,
      entry.taskId,
      entry.taskNumber,
      entry.action,
      JSON.stringify(entry.actor),
      entry.before && JSON.stringify(entry.before),
      entry.after && JSON.stringify(entry.after),
      JSON.stringify(entry.changes),
      entry.occurredAt,
    );
    return `(${Array.from({ length: 10 }, (_, i) => `$${first + i}`).join(', ')})`;
  });
  await tx.query(
    `INSERT INTO audit_log (event_id, user_id, task_id, task_number, action, actor, before, after, changes, occurred_at)
     VALUES ${rows.join(', ')}`,
    values,
  );
}
