import { Injectable } from '@nestjs/common';
import type { Actor } from '@todo/auth';
import type { EventActor, TaskSnapshot } from '@todo/events';
import { type TaskRef, TaskService } from '@todo/tasks';
import { DataSource } from 'typeorm';
import type { AuditAction, FieldChanges } from './audit-entry';
import { type AuditPageQuery, encodeAuditCursor } from './audit-page-query';

export interface AuditRecord {
  eventId: string;
  taskId: string;
  taskNumber: number;
  action: AuditAction;
  actor: EventActor;
  before: TaskSnapshot | null;
  after: TaskSnapshot | null;
  changes: FieldChanges;
  occurredAt: Date;
}

export interface AuditPage {
  items: AuditRecord[];
  nextCursor: string | null;
}

const COLUMNS = `id, event_id, task_id, task_number, action, actor, before, after, changes, occurred_at`;

interface AuditRow {
  id: string;
  event_id: string;
  task_id: string;
  task_number: number;
  action: AuditAction;
  actor: EventActor;
  before: TaskSnapshot | null;
  after: TaskSnapshot | null;
  changes: FieldChanges;
  occurred_at: Date;
}

/**
 * Reads the history. The gateway queries the audit store directly (same database, read-only) instead
 * of calling the audit service: one hop less, and history stays readable while the audit consumer
 * is down (it only lags). Every query is scoped to the caller.
 */
@Injectable()
export class AuditLogReader {
  constructor(
    private readonly dataSource: DataSource,
    private readonly tasks: TaskService,
  ) {}

  /** A task's history, oldest first (by when each change happened). Works after the task was deleted; 404 if it never was the caller's. */
  async taskHistory(actor: Actor, ref: TaskRef, page: AuditPageQuery): Promise<AuditPage> {
    const [column, value] = 'id' in ref ? ['task_id', ref.id] : ['task_number', ref.number];
    const after = page.cursor ?? null;
    const result = await this.page(
      `SELECT ${COLUMNS} FROM audit_log WHERE user_id = $1 AND ${column} = $2
         AND ($3::timestamptz IS NULL OR (occurred_at, id) > ($3, $4))
       ORDER BY occurred_at, id LIMIT $5`,
      [actor.userId, value, after?.occurredAt ?? null, after?.id ?? '0'],
      page.limit,
    );
    // No entries yet: either the task is not the caller's (404 from the task service) or brand new.
    if (result.items.length === 0 && !page.cursor) await this.tasks.get(actor, ref);
    return result;
  }

  /** Everything that happened to the caller's tasks, newest first. */
  async activity(actor: Actor, page: AuditPageQuery): Promise<AuditPage> {
    const before = page.cursor ?? null;
    return this.page(
      `SELECT ${COLUMNS} FROM audit_log WHERE user_id = $1
         AND ($2::timestamptz IS NULL OR (occurred_at, id) < ($2, $3))
       ORDER BY occurred_at DESC, id DESC LIMIT $4`,
      [actor.userId, before?.occurredAt ?? null, before?.id ?? '0'],
      page.limit,
    );
  }

  private async page(sql: string, values: unknown[], limit: number): Promise<AuditPage> {
    const rows: AuditRow[] = await this.dataSource.query(sql, [...values, limit + 1]);
    const items = rows.slice(0, limit);
    const last = items[items.length - 1];
    return {
      items: items.map(toRecord),
      nextCursor:
        rows.length > limit ? encodeAuditCursor({ occurredAt: last.occurred_at, id: last.id }) : null,
    };
  }
}

function toRecord(row: AuditRow): AuditRecord {
  return {
    eventId: row.event_id,
    taskId: row.task_id,
    taskNumber: row.task_number,
    action: row.action,
    actor: row.actor,
    before: row.before,
    after: row.after,
    changes: row.changes,
    occurredAt: row.occurred_at,
  };
}
