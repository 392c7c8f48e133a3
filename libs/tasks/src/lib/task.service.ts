import { Inject, Injectable } from '@nestjs/common';
import type { Actor } from '@todo/auth';
import { APP_CONFIG, type AppConfig } from '@todo/config';
import { ConflictError, NotFoundError, ValidationError } from '@todo/errors';
import { appendToOutbox, type TaskChange } from '@todo/events';
import { DataSource, type EntityManager } from 'typeorm';
import { storeDue } from './due';
import { PRIORITIES, type Task } from './task';
import { buildListQuery, encodeCursor } from './task-list-query';
import { TASK_COLUMNS, taskFromRow, type TaskRow } from './task-row';
import { taskChangeEvents } from './task-change-events';
import type { CreateTaskInput, TaskQuery, UpdateTaskInput } from './task.schemas';

/** A task addressed by its uuid or by the owner's task number. */
export type TaskRef = { id: string } | { number: number };

export interface TaskPage {
  items: Task[];
  nextCursor: string | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Parses a path segment such as `12` or a uuid; anything else is a 400 that says what is expected. */
export function parseTaskRef(text: string): TaskRef {
  if (UUID.test(text)) return { id: text.toLowerCase() };
  if (/^[1-9]\d{0,9}$/.test(text) && Number(text) <= 2_147_483_647) return { number: Number(text) };
  throw new ValidationError([
    { path: 'id', message: 'must be a task number such as 12 or a task id (uuid)' },
  ]);
}

const refCondition = (ref: TaskRef) => ('id' in ref ? 't.id = $2' : 't.number = $2');
const refValue = (ref: TaskRef) => ('id' in ref ? ref.id : ref.number);
const describe = (ref: TaskRef) => ('id' in ref ? `Task ${ref.id}` : `Task #${ref.number}`);

/**
 * The task domain's operations. Every method is scoped to the acting user: another user's task is
 * reported as not found, so its existence is never revealed. Every mutation writes its events to
 * the outbox in the same transaction as the change (nothing else may write to `tasks`).
 */
@Injectable()
export class TaskService {
  private readonly eventSource: string;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.eventSource = `/todo/${config.service}`;
  }

  async create(actor: Actor, input: CreateTaskInput): Promise<Task> {
    const due = input.due ? storeDue(input.due, actor.timeZone) : null;
    if (input.recurrence && !due)
      throw new ValidationError([{ path: 'due', message: 'a recurring task needs a due date' }]);
    return this.dataSource.transaction(async (tx) => {
      const [{ last_number: number }] = await tx.query(
        `INSERT INTO task_counters AS c (owner_id, last_number) VALUES ($1, 1)
         ON CONFLICT (owner_id) DO UPDATE SET last_number = c.last_number + 1
         RETURNING last_number`,
        [actor.userId],
      );
      const [row] = await tx.query(
        `INSERT INTO tasks AS t (owner_id, number, title, description, priority, tags, due_at, due_all_day, overdue_at,
                                 time_zone, recurrence_rule, recurrence_from)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
         RETURNING ${TASK_COLUMNS}`,
        [
          actor.userId,
          number,
          input.title,
          input.description ?? null,
          PRIORITIES.indexOf(input.priority ?? 'none'),
          input.tags ?? [],
          due?.dueAt ?? null,
          due?.allDay ?? false,
          due?.overdueAt ?? null,
          actor.timeZone,
          input.recurrence?.rrule ?? null,
          input.recurrence?.from ?? null,
        ],
      );
      return this.recorded(tx, 'created', actor, taskFromRow(row));
    });
  }

  async get(actor: Actor, ref: TaskRef): Promise<Task> {
    return this.find(this.dataSource.manager, actor, ref, false);
  }

  async list(actor: Actor, query: TaskQuery): Promise<TaskPage> {
    const sql = buildListQuery(actor.userId, actor.timeZone, query);
    const rows: Array<TaskRow & { sort_key: string }> = await this.dataSource.query(sql.text, sql.values);
    const page = rows.slice(0, query.limit);
    const last = page[page.length - 1];
    return {
      items: page.map(taskFromRow),
      nextCursor:
        rows.length > query.limit && last
          ? encodeCursor({ sort: sql.sort, order: sql.order, key: last.sort_key, id: last.id })
          : null,
    };
  }

  async update(actor: Actor, ref: TaskRef, patch: UpdateTaskInput): Promise<Task> {
    return this.dataSource.transaction(async (tx) => {
      const current = await this.find(tx, actor, ref, true, patch.version);
      const sets: string[] = [];
      const values: unknown[] = [current.id];
      const set = (column: string, value: unknown) => sets.push(`${column} = $${values.push(value)}`);
      if (patch.title !== undefined) set('title', patch.title);
      if (patch.description !== undefined) set('description', patch.description);
      if (patch.priority !== undefined) set('priority', PRIORITIES.indexOf(patch.priority));
      if (patch.tags !== undefined) set('tags', patch.tags);
      if (patch.due !== undefined) {
        const due = patch.due ? storeDue(patch.due, actor.timeZone) : null;
        set('due_at', due?.dueAt ?? null);
        set('due_all_day', due?.allDay ?? false);
        set('overdue_at', due?.overdueAt ?? null);
        set('time_zone', actor.timeZone);
      }
      if (patch.recurrence !== undefined) {
        set('recurrence_rule', patch.recurrence?.rrule ?? null);
        set('recurrence_from', patch.recurrence?.from ?? null);
      }
      const hasDue = patch.due !== undefined ? Boolean(patch.due) : current.due !== null;
      const isRecurring =
        patch.recurrence !== undefined ? Boolean(patch.recurrence) : current.recurrence !== null;
      if (isRecurring && !hasDue)
        throw new ValidationError([{ path: 'due', message: 'a recurring task needs a due date' }]);
      return this.recorded(tx, 'updated', actor, await this.save(tx, sets, values), current);
    });
  }

  /** Completing a completed task (or reopening an open one) changes nothing and returns it as is. */
  async complete(actor: Actor, ref: TaskRef, expectedVersion?: number): Promise<Task> {
    return this.setStatus(actor, ref, 'completed', expectedVersion);
  }

  async reopen(actor: Actor, ref: TaskRef, expectedVersion?: number): Promise<Task> {
    return this.setStatus(actor, ref, 'pending', expectedVersion);
  }

  async delete(actor: Actor, ref: TaskRef, expectedVersion?: number): Promise<Task> {
    return this.dataSource.transaction(async (tx) => {
      const current = await this.find(tx, actor, ref, true, expectedVersion);
      await tx.query('DELETE FROM tasks WHERE id = $1', [current.id]);
      return this.recorded(tx, 'deleted', actor, current);
    });
  }

  private async setStatus(
    actor: Actor,
    ref: TaskRef,
    status: Task['status'],
    expectedVersion?: number,
  ): Promise<Task> {
    return this.dataSource.transaction(async (tx) => {
      const current = await this.find(tx, actor, ref, true, expectedVersion);
      if (current.status === status) return current;
      const completedAt = status === 'completed' ? 'now()' : 'NULL';
      const saved = await this.save(
        tx,
        ['status = $2', `completed_at = ${completedAt}`],
        [current.id, status],
      );
      return this.recorded(tx, status === 'completed' ? 'completed' : 'reopened', actor, saved, current);
    });
  }

  /** Writes the change's events to the outbox (same transaction) and returns the task. */
  private async recorded(
    tx: EntityManager,
    change: TaskChange,
    actor: Actor,
    task: Task,
    previous?: Task,
  ): Promise<Task> {
    await appendToOutbox(tx, taskChangeEvents(this.eventSource, change, actor, task, previous));
    return task;
  }

  private async save(tx: EntityManager, sets: string[], values: unknown[]): Promise<Task> {
    const [rows] = await tx.query(
      `UPDATE tasks AS t SET ${[...sets, 'version = t.version + 1', 'updated_at = now()'].join(', ')}
       WHERE t.id = $1 RETURNING ${TASK_COLUMNS}`,
      values,
    );
    return taskFromRow(rows[0]);
  }

  /** Loads the caller's task (locked for update inside a mutation) and checks the expected version. */
  private async find(
    db: EntityManager,
    actor: Actor,
    ref: TaskRef,
    lock: boolean,
    expectedVersion?: number,
  ): Promise<Task> {
    const rows: TaskRow[] = await db.query(
      `SELECT ${TASK_COLUMNS} FROM tasks t WHERE t.owner_id = $1 AND ${refCondition(ref)}${lock ? ' FOR UPDATE' : ''}`,
      [actor.userId, refValue(ref)],
    );
    if (!rows[0]) throw new NotFoundError(describe(ref));
    const task = taskFromRow(rows[0]);
    if (expectedVersion !== undefined && expectedVersion !== task.version) {
      throw new ConflictError(
        `${describe(ref)} was changed meanwhile: you sent version ${expectedVersion}, the current version is ${task.version}; reload it and try again`,
      );
    }
    return task;
  }
}
