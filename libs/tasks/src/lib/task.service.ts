import { Inject, Injectable } from '@nestjs/common';
import type { Actor } from '@todo/auth';
import { APP_CONFIG, type AppConfig } from '@todo/config';
import { queryPrepared } from '@todo/database';
import { ConflictError, NotFoundError, ValidationError } from '@todo/errors';
import { appendToOutbox, outboxInsert, RelayWakeUp, type TaskChange } from '@todo/events';
import { isUuid } from '@todo/validation';
import {
  deleteReminder,
  insertReminder,
  MAX_REMINDERS_PER_TASK,
  nextOccurrence,
  replanReminders,
  type Reminder,
  reminderFireAt,
  type ReminderTrigger,
} from '@todo/reminders';
import { DateTime, Duration } from 'luxon';
import { randomUUID } from 'node:crypto';
import { DataSource, type EntityManager } from 'typeorm';
import { dueFromStored, formatDue, type StoredDue, storeDue } from './due';
import { PRIORITIES, type Recurrence, type Task } from './task';
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

/** Parses a path segment such as `12` or a uuid; anything else is a 400 that says what is expected. */
export function parseTaskRef(text: string): TaskRef {
  if (isUuid(text)) return { id: text.toLowerCase() };
  if (/^[1-9]\d{0,9}$/.test(text) && Number(text) <= 2_147_483_647) return { number: Number(text) };
  throw new ValidationError([
    { path: 'id', message: 'must be a task number such as 12 or a task id (uuid)' },
  ]);
}

/** A reminder id from a path: anything but a uuid is a 400, not a database error. */
export function parseReminderId(text: string): string {
  if (isUuid(text)) return text.toLowerCase();
  throw new ValidationError([{ path: 'reminder_id', message: 'must be a reminder id (uuid)' }]);
}

const refCondition = (ref: TaskRef) => ('id' in ref ? 't.id = $2' : 't.number = $2');
const refValue = (ref: TaskRef) => ('id' in ref ? ref.id : ref.number);
const describe = (ref: TaskRef) => ('id' in ref ? `Task ${ref.id}` : `Task #${ref.number}`);

/**
 * The task domain's operations. Every method is scoped to the acting user: another user's task is
 * reported as not found, so its existence is never revealed. Every mutation writes its events to
 * the outbox in the same transaction as the change (nothing else may write to `tasks`), and wakes the
 * relay once that committed.
 */
@Injectable()
export class TaskService {
  private readonly eventSource: string;

  constructor(
    private readonly dataSource: DataSource,
    private readonly relay: RelayWakeUp,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.eventSource = `/todo/${config.service}`;
  }

  async create(actor: Actor, input: CreateTaskInput): Promise<Task> {
    if (input.recurrence && !input.due)
      throw new ValidationError([{ path: 'due', message: 'a recurring task needs a due date' }]);
    if (!input.reminders?.length) return this.createInOneStatement(actor, input);
    return this.inTransaction(async (tx) => {
      const inserted = await this.insert(tx, actor, input, input.recurrence ? 'new-series' : null);
      if (!inserted) throw new Error('a new task cannot collide with an existing series occurrence');
      let task = inserted;
      for (const [index, { trigger, allowPast }] of (input.reminders ?? []).entries()) {
        checkNewReminder(task, 'The task', trigger, allowPast, `reminders.${index}.`);
        const reminder = await insertReminder(tx, task, trigger, new Date()).catch((error) => {
          if (isUniqueViolation(error))
            throw new ValidationError([
              { path: `reminders.${index}`, message: 'is the same as an earlier one' },
            ]);
          throw error;
        });
        task = { ...task, reminders: [...task.reminders, reminder] };
      }
      return this.recorded(tx, 'created', actor, task);
    });
  }

  /**
   * A task without reminders: the counter, the row and its events in one statement (one round trip,
   * atomic without an explicit transaction). The events are built from the task as it will be stored;
   * the number the counter assigns is filled into them by the statement.
   */
  private async createInOneStatement(actor: Actor, input: CreateTaskInput): Promise<Task> {
    const now = new Date();
    const id = randomUUID();
    const due = input.due ? storeDue(input.due, actor.timeZone) : null;
    const recurrence = input.recurrence ?? null;
    const task: Task = {
      id,
      ownerId: actor.userId,
      number: 0, // assigned by the statement
      title: input.title,
      description: input.description ?? null,
      status: 'pending',
      priority: input.priority ?? 'none',
      tags: input.tags ?? [],
      due: due && dueFromStored(due.dueAt, due.allDay, actor.timeZone),
      timeZone: actor.timeZone,
      recurrence,
      overdue: isOverdue(due, now),
      version: 1,
      createdAt: now,
      updatedAt: now,
      completedAt: null,
      series: recurrence ? { id, position: 1 } : null,
      reminders: [],
    };
    const values: unknown[] = [
      id,
      actor.userId,
      task.title,
      task.description,
      PRIORITIES.indexOf(task.priority),
      task.tags,
      due?.dueAt ?? null,
      due?.allDay ?? false,
      due?.overdueAt ?? null,
      actor.timeZone,
      recurrence?.rrule ?? null,
      recurrence?.from ?? null,
      task.series?.id ?? null,
      task.series?.position ?? null,
      now,
    ];
    const appended = outboxInsert(taskChangeEvents(this.eventSource, 'created', actor, task), values, {
      per: 'created',
      event: (given) => `jsonb_set(${given}, '{data,task,number}', to_jsonb(created.number))`,
    });
    const [row] = await queryPrepared<TaskRow[]>(
      this.dataSource,
      `WITH counter AS (
         INSERT INTO task_counters AS c (owner_id, last_number) VALUES ($2, 1)
         ON CONFLICT (owner_id) DO UPDATE SET last_number = c.last_number + 1
         RETURNING last_number
       ), created AS (
         INSERT INTO tasks AS t (id, owner_id, number, title, description, priority, tags, due_at, due_all_day,
                                 overdue_at, time_zone, recurrence_rule, recurrence_from, series_id, series_position,
                                 created_at, updated_at)
         SELECT $1, $2, counter.last_number, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $15
         FROM counter
         RETURNING ${TASK_COLUMNS}
       ), appended AS (${appended})
       SELECT created.* FROM created`,
      values,
    );
    this.relay.committed();
    return taskFromRow(row);
  }

  async get(actor: Actor, ref: TaskRef): Promise<Task> {
    return this.find(this.dataSource.manager, actor, ref, false);
  }

  async list(actor: Actor, query: TaskQuery): Promise<TaskPage> {
    const sql = buildListQuery(actor.userId, actor.timeZone, query);
    const rows: Array<TaskRow & { sort_key: string }> = sql.plain
      ? await queryPrepared(this.dataSource, sql.text, sql.values)
      : await this.dataSource.query(sql.text, sql.values);
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
    return this.change(actor, ref, patch.version, (current, now) => {
      const sets: Record<string, unknown> = {};
      let next: Task = current;
      const set = (columns: Record<string, unknown>, fields: Partial<Task>) => {
        Object.assign(sets, columns);
        next = { ...next, ...fields };
      };
      if (patch.title !== undefined) set({ title: patch.title }, { title: patch.title });
      if (patch.description !== undefined)
        set({ description: patch.description }, { description: patch.description });
      if (patch.priority !== undefined)
        set({ priority: PRIORITIES.indexOf(patch.priority) }, { priority: patch.priority });
      if (patch.tags !== undefined) set({ tags: patch.tags }, { tags: patch.tags });
      if (patch.due !== undefined) {
        const due = patch.due ? storeDue(patch.due, actor.timeZone) : null;
        set(
          {
            due_at: due?.dueAt ?? null,
            due_all_day: due?.allDay ?? false,
            overdue_at: due?.overdueAt ?? null,
            time_zone: actor.timeZone,
          },
          {
            due: due && dueFromStored(due.dueAt, due.allDay, actor.timeZone),
            timeZone: actor.timeZone,
            overdue: current.status === 'pending' && isOverdue(due, now),
          },
        );
      }
      if (patch.recurrence !== undefined && !sameRecurrence(patch.recurrence, current.recurrence)) {
        // A new rule starts a new series at this task; clearing it ends the series.
        set(
          {
            recurrence_rule: patch.recurrence?.rrule ?? null,
            recurrence_from: patch.recurrence?.from ?? null,
            series_id: patch.recurrence ? current.id : null,
            series_position: patch.recurrence ? 1 : null,
          },
          {
            recurrence: patch.recurrence,
            series: patch.recurrence ? { id: current.id, position: 1 } : null,
          },
        );
      }
      if (next.recurrence && !next.due)
        throw new ValidationError([{ path: 'due', message: 'a recurring task needs a due date' }]);
      return { change: 'updated', sets, next };
    });
  }

  /** Completing a completed task (or reopening an open one) changes nothing and returns it as is. */
  async complete(actor: Actor, ref: TaskRef, expectedVersion?: number): Promise<Task> {
    return this.setStatus(actor, ref, 'completed', expectedVersion);
  }

  async reopen(actor: Actor, ref: TaskRef, expectedVersion?: number): Promise<Task> {
    return this.setStatus(actor, ref, 'pending', expectedVersion);
  }

  /** One round trip to read the task, one to delete it with its events (its reminders go with it). */
  async delete(actor: Actor, ref: TaskRef, expectedVersion?: number): Promise<Task> {
    for (;;) {
      const current = await this.find(this.dataSource.manager, actor, ref, false, expectedVersion);
      const values: unknown[] = [current.id, current.version];
      const appended = outboxInsert(taskChangeEvents(this.eventSource, 'deleted', actor, current), values, {
        per: 'gone',
      });
      const deleted = await queryPrepared<unknown[]>(
        this.dataSource,
        `WITH gone AS (DELETE FROM tasks WHERE id = $1 AND version = $2 RETURNING id), appended AS (${appended})
         SELECT id FROM gone`,
        values,
      );
      if (deleted.length) {
        this.relay.committed();
        return current;
      }
      // Changed or deleted meanwhile: read it again (a stale expected version is then a conflict).
    }
  }

  /** Adds a reminder; the task's version goes up and a `task.updated` event says `reminders` changed. */
  async addReminder(
    actor: Actor,
    ref: TaskRef,
    input: { trigger: ReminderTrigger; allowPast: boolean },
  ): Promise<{ task: Task; reminder: Reminder }> {
    return this.inTransaction(async (tx) => {
      const current = await this.find(tx, actor, ref, true);
      checkNewReminder(current, describe(ref), input.trigger, input.allowPast);
      const reminder = await insertReminder(tx, current, input.trigger, new Date()).catch((error) => {
        if (isUniqueViolation(error)) throw new ConflictError(`${describe(ref)} already has that reminder`);
        throw error;
      });
      const saved = await this.save(tx, [], [current.id]);
      return { task: await this.recorded(tx, 'updated', actor, saved, current), reminder };
    });
  }

  async removeReminder(actor: Actor, ref: TaskRef, reminderId: string): Promise<Task> {
    return this.inTransaction(async (tx) => {
      const current = await this.find(tx, actor, ref, true);
      if (!(await deleteReminder(tx, current.id, reminderId)))
        throw new NotFoundError(`Reminder ${reminderId} of ${describe(ref).toLowerCase()}`);
      return this.recorded(tx, 'updated', actor, await this.save(tx, [], [current.id]), current);
    });
  }

  /**
   * Creates the next occurrence of a completed recurring task, in the caller's transaction (the
   * scheduler's inbox transaction), acting as the `scheduler` service for the owner. Returns null
   * when there is none: not completed (any more), not recurring, the series ended, or the next
   * occurrence already exists — `(series_id, series_position)` is unique, so it is created once.
   * The caller wakes the relay (`RelayWakeUp.committed`) once its transaction committed.
   */
  async continueSeries(tx: EntityManager, completedTaskId: string): Promise<Task | null> {
    const [row]: TaskRow[] = await tx.query(
      `SELECT ${TASK_COLUMNS} FROM tasks t WHERE t.id = $1 FOR UPDATE`,
      [completedTaskId],
    );
    const completed = row && taskFromRow(row);
    if (!completed?.recurrence || !completed.series || !completed.due || !completed.completedAt) return null;
    const nextDue = nextOccurrence({
      ...completed.recurrence,
      timeZone: completed.timeZone,
      due: completed.due,
      completedAt: completed.completedAt,
      position: completed.series.position,
    });
    if (!nextDue) return null;
    const nextKey = { id: completed.series.id, position: completed.series.position + 1 };
    // The completed task is locked, so this check cannot race; the unique key stays the backstop.
    const existing: unknown[] = await tx.query(
      `SELECT 1 FROM tasks WHERE series_id = $1 AND series_position = $2`,
      [nextKey.id, nextKey.position],
    );
    if (existing.length) return null;
    const actor: Actor = { userId: completed.ownerId, timeZone: completed.timeZone, service: 'scheduler' };
    const next = await this.insert(
      tx,
      actor,
      {
        title: completed.title,
        description: completed.description,
        priority: completed.priority,
        tags: [...completed.tags],
        due: formatDue(nextDue, completed.timeZone),
        recurrence: completed.recurrence,
      },
      nextKey,
    );
    if (!next) return null;
    const now = new Date();
    const reminders: Reminder[] = [];
    for (const trigger of offsetsOf(completed)) reminders.push(await insertReminder(tx, next, trigger, now));
    return this.recorded(tx, 'created', actor, { ...next, reminders });
  }

  private async setStatus(
    actor: Actor,
    ref: TaskRef,
    status: Task['status'],
    expectedVersion?: number,
  ): Promise<Task> {
    return this.change(actor, ref, expectedVersion, (current, now) => {
      if (current.status === status) return null;
      const completedAt = status === 'completed' ? now : null;
      const reopened = { ...current, status, completedAt };
      return {
        change: status === 'completed' ? 'completed' : 'reopened',
        sets: { status, completed_at: completedAt },
        next: { ...reopened, overdue: status === 'pending' && isOverdue(storedDueOf(current), now) },
      };
    });
  }

  /**
   * Applies a change decided from the task as it is (`decide` returns null when there is nothing to
   * change). A task without reminders takes two round trips and no transaction: read, then one
   * statement that writes the row only if its version is still the one read, with the change's events
   * (read again and retried if another change came first). A task with reminders re-plans them in the
   * same transaction as the change, under a row lock.
   */
  private async change(
    actor: Actor,
    ref: TaskRef,
    expectedVersion: number | undefined,
    decide: (current: Task, now: Date) => PlannedChange | null,
  ): Promise<Task> {
    for (;;) {
      const current = await this.find(this.dataSource.manager, actor, ref, false, expectedVersion);
      if (current.reminders.length > 0) return this.changeLocked(actor, ref, expectedVersion, decide);
      const now = new Date();
      const planned = decide(current, now);
      if (!planned) return current;
      const next: Task = { ...planned.next, version: current.version + 1, updatedAt: now };
      const values: unknown[] = [current.id, current.version, now];
      const sets = Object.entries(planned.sets).map(
        ([column, value]) => `${column} = $${values.push(value)}`,
      );
      const events = taskChangeEvents(this.eventSource, planned.change, actor, next, current);
      const appended = outboxInsert(events, values, { per: 'changed' });
      const [row] = await queryPrepared<TaskRow[]>(
        this.dataSource,
        `WITH changed AS (
           UPDATE tasks AS t SET ${[...sets, 'version = t.version + 1', 'updated_at = $3'].join(', ')}
           WHERE t.id = $1 AND t.version = $2 RETURNING ${TASK_COLUMNS}
         ), appended AS (${appended})
         SELECT changed.* FROM changed`,
        values,
      );
      if (row) {
        this.relay.committed();
        return taskFromRow(row);
      }
      // Changed meanwhile: read it again (a stale expected version is then a conflict).
    }
  }

  private async changeLocked(
    actor: Actor,
    ref: TaskRef,
    expectedVersion: number | undefined,
    decide: (current: Task, now: Date) => PlannedChange | null,
  ): Promise<Task> {
    return this.inTransaction(async (tx) => {
      const current = await this.find(tx, actor, ref, true, expectedVersion);
      const now = new Date();
      const planned = decide(current, now);
      if (!planned) return current;
      const values: unknown[] = [current.id];
      const sets = Object.entries(planned.sets).map(
        ([column, value]) => `${column} = $${values.push(value)}`,
      );
      const saved = await this.replanned(tx, await this.save(tx, sets, values));
      return this.recorded(tx, planned.change, actor, saved, current);
    });
  }

  /**
   * Inserts a task. `series`: 'new-series' starts one at this task, a position continues one (and
   * the insert is skipped, returning null, if that occurrence exists already).
   */
  private async insert(
    tx: EntityManager,
    actor: Actor,
    input: Omit<CreateTaskInput, 'recurrence'> & { recurrence?: Recurrence | null },
    series: 'new-series' | { id: string; position: number } | null,
  ): Promise<Task | null> {
    const id = randomUUID();
    const seriesKey = series === 'new-series' ? { id, position: 1 } : series;
    const due = input.due ? storeDue(input.due, actor.timeZone) : null;
    const [{ last_number: number }] = await tx.query(
      `INSERT INTO task_counters AS c (owner_id, last_number) VALUES ($1, 1)
       ON CONFLICT (owner_id) DO UPDATE SET last_number = c.last_number + 1
       RETURNING last_number`,
      [actor.userId],
    );
    const [row]: TaskRow[] = await tx.query(
      `INSERT INTO tasks AS t (id, owner_id, number, title, description, priority, tags, due_at, due_all_day,
                               overdue_at, time_zone, recurrence_rule, recurrence_from, series_id, series_position)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
       ON CONFLICT (series_id, series_position) DO NOTHING
       RETURNING ${TASK_COLUMNS}`,
      [
        id,
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
        seriesKey?.id ?? null,
        seriesKey?.position ?? null,
      ],
    );
    return row ? taskFromRow(row) : null;
  }

  /** Runs a transaction that writes outbox rows, then wakes the relay (after the commit, never inside). */
  private async inTransaction<T>(work: (tx: EntityManager) => Promise<T>): Promise<T> {
    const result = await this.dataSource.transaction(work);
    this.relay.committed();
    return result;
  }

  /** The task with its reminders re-planned for its new state (same transaction). */
  private async replanned(tx: EntityManager, task: Task): Promise<Task> {
    return { ...task, reminders: await replanReminders(tx, task, new Date()) };
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

  /**
   * Loads the caller's task (locked for update inside a mutation) and checks the expected version.
   * The hot statements are prepared (`queryPrepared`): parsing and planning them cost more than
   * running them (README, "Prepared statements").
   */
  private async find(
    db: EntityManager,
    actor: Actor,
    ref: TaskRef,
    lock: boolean,
    expectedVersion?: number,
  ): Promise<Task> {
    const rows = await queryPrepared<TaskRow[]>(
      db,
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

/** A change decided from the task as it is: the columns to set and the task as it will be. */
interface PlannedChange {
  change: Extract<TaskChange, 'updated' | 'completed' | 'reopened'>;
  sets: Record<string, unknown>;
  next: Task;
}

const isOverdue = (due: Pick<StoredDue, 'overdueAt'> | null, now: Date) =>
  due !== null && due.overdueAt <= now;

/** When a task's due passes (the `overdue_at` it was stored with): the day after an all-day due begins. */
const storedDueOf = ({ due, timeZone }: Task): Pick<StoredDue, 'overdueAt'> | null =>
  due && {
    overdueAt: due.allDay
      ? DateTime.fromISO(due.date, { zone: timeZone }).plus({ days: 1 }).toJSDate()
      : due.at,
  };

const sameRecurrence = (a: Recurrence | null, b: Recurrence | null) =>
  a?.rrule === b?.rrule && a?.from === b?.from;

function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: string } | null)?.code === '23505';
}

/** Rules for a new reminder that depend on the task (the body's shape is checked by the schema). */
function checkNewReminder(
  task: Task,
  label: string,
  trigger: ReminderTrigger,
  allowPast: boolean,
  pathPrefix = '',
): void {
  if (task.status === 'completed')
    throw new ConflictError(`${label} is completed; reopen it before adding reminders`);
  if (task.reminders.length >= MAX_REMINDERS_PER_TASK)
    throw new ConflictError(
      `${label} already has ${MAX_REMINDERS_PER_TASK} reminders, the most a task can have`,
    );
  if ('before' in trigger) {
    if (!task.due)
      throw new ValidationError([
        {
          path: `${pathPrefix}before`,
          message: `${label} has no due time to count back from; set one or use "at"`,
        },
      ]);
    if (task.due.allDay)
      throw new ValidationError([
        {
          path: `${pathPrefix}before`,
          message: `${label} is due all day, with no time to count back from; use "at"`,
        },
      ]);
  }
  const fireAt = reminderFireAt(trigger, task.due, task.timeZone);
  if (!allowPast && fireAt && fireAt.getTime() <= Date.now())
    throw new ValidationError([
      {
        path: `${pathPrefix}${'before' in trigger ? 'before' : 'at'}`,
        message: `would fire in the past (${fireAt.toISOString()}); choose a later time, or send "allow_past": true to be reminded at once`,
      },
    ]);
}

/**
 * The reminders a new occurrence inherits: offsets as they are, and absolute reminders before the
 * due time turned into the same offset (an absolute time of the previous occurrence means nothing
 * for the next one).
 */
function offsetsOf(task: Task): ReminderTrigger[] {
  const dueAt = task.due && !task.due.allDay ? task.due.at.getTime() : null;
  return task.reminders.flatMap((reminder): ReminderTrigger[] => {
    if ('before' in reminder.trigger) return [reminder.trigger];
    if (dueAt === null || reminder.trigger.at.getTime() > dueAt) return [];
    return [
      {
        before:
          Duration.fromMillis(dueAt - reminder.trigger.at.getTime())
            .rescale()
            .toISO() ?? 'PT0S',
      },
    ];
  });
}
