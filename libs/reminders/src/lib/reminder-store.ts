import { readStoredInstant } from '@todo/validation';
import type { EntityManager } from 'typeorm';
import { REMINDERS_CHANNEL, type Reminder, type ReminderState, type ReminderTrigger } from './reminder';
import { planReminder, type ReminderTask } from './reminder-plan';

/**
 * Every statement that writes `reminders` (this library owns the table and its migrations). Callers
 * pass their own transaction, so a reminder change commits with the task change it follows.
 */
type Sql = Pick<EntityManager, 'query'>;

/** The task a reminder belongs to, as far as planning it needs. */
export type ReminderOwner = ReminderTask & { readonly id: string; readonly reminders: readonly Reminder[] };

/** A task's reminders as one JSON column of a task query aliased `t` (one round trip, oldest first). */
export const REMINDERS_OF_TASK = `(SELECT coalesce(json_agg(json_build_object('id', r.id, 'before', r.before,
    'at', r.at, 'fire_at', r.fire_at, 'state', r.state, 'fired_at', r.fired_at, 'created_at', r.created_at)
    ORDER BY r.created_at, r.id), '[]'::json) FROM reminders r WHERE r.task_id = t.id)`;

const REMINDER_COLUMNS = 'r.id, r.before, r.at, r.fire_at, r.state, r.fired_at, r.created_at';

/** A reminders row, from a plain query (dates) or from {@link REMINDERS_OF_TASK} (ISO strings). */
export interface ReminderRow {
  id: string;
  before: string | null;
  at: Date | string | null;
  fire_at: Date | string | null;
  state: ReminderState;
  fired_at: Date | string | null;
  created_at: Date | string;
}

const toDateOrNull = (value: Date | string | null) => (value === null ? null : readStoredInstant(value));

/** Never fails on a stored value, so a task whose reminder holds a bad time stays readable and deletable. */
export function reminderFromRow(row: ReminderRow): Reminder {
  return {
    id: row.id,
    trigger:
      row.before !== null ? { before: row.before } : { at: readStoredInstant(row.at as Date | string) },
    fireAt: toDateOrNull(row.fire_at),
    state: row.state,
    firedAt: toDateOrNull(row.fired_at),
    createdAt: readStoredInstant(row.created_at),
  };
}

const triggerColumns = (trigger: ReminderTrigger) =>
  'before' in trigger ? [trigger.before, null] : [null, trigger.at];

/**
 * Adds a reminder planned against the task as it is now; the timer is told if it is scheduled.
 * Throws PostgreSQL's unique violation (23505) when the task has that trigger already.
 */
export async function insertReminder(
  tx: Sql,
  task: Omit<ReminderOwner, 'reminders'>,
  trigger: ReminderTrigger,
  now: Date,
): Promise<Reminder> {
  const plan = planReminder({ trigger, fireAt: null, state: 'scheduled', firedAt: null }, task, now);
  const [row]: ReminderRow[] = await tx.query(
    `INSERT INTO reminders AS r (task_id, before, at, fire_at, state, fired_at)
     VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${REMINDER_COLUMNS}`,
    [task.id, ...triggerColumns(trigger), plan.fireAt, plan.state, plan.firedAt],
  );
  const reminder = reminderFromRow(row);
  if (reminder.state === 'scheduled' && reminder.fireAt) await wakeTimer(tx, [reminder.fireAt]);
  return reminder;
}

/**
 * Re-plans every reminder of a task after the task changed (due moved, completed, reopened), in the
 * change's transaction: offsets follow the due time, completion cancels, reopening restores.
 */
export async function replanReminders(tx: Sql, task: ReminderOwner, now: Date): Promise<Reminder[]> {
  if (task.reminders.length === 0) return [];
  const rows: ReminderRow[] = await tx.query(
    `SELECT ${REMINDER_COLUMNS} FROM reminders r WHERE r.task_id = $1 ORDER BY r.created_at, r.id FOR UPDATE`,
    [task.id],
  );
  const rescheduled: Date[] = [];
  const reminders = await Promise.all(
    rows.map(reminderFromRow).map(async (reminder) => {
      const plan = planReminder(reminder, task, now);
      const unchanged =
        plan.state === reminder.state &&
        plan.fireAt?.getTime() === reminder.fireAt?.getTime() &&
        plan.firedAt?.getTime() === reminder.firedAt?.getTime();
      if (unchanged) return reminder;
      await tx.query(`UPDATE reminders SET fire_at = $2, state = $3, fired_at = $4 WHERE id = $1`, [
        reminder.id,
        plan.fireAt,
        plan.state,
        plan.firedAt,
      ]);
      if (plan.state === 'scheduled' && plan.fireAt) rescheduled.push(plan.fireAt);
      return { ...reminder, ...plan };
    }),
  );
  await wakeTimer(tx, rescheduled);
  return reminders;
}

/** Removes one reminder of a task; false when the task has no such reminder. */
export async function deleteReminder(tx: Sql, taskId: string, reminderId: string): Promise<boolean> {
  // TypeORM answers a DELETE with [rows, affected count].
  const [, removed]: [unknown[], number] = await tx.query(
    `DELETE FROM reminders WHERE task_id = $1 AND id = $2`,
    [taskId, reminderId],
  );
  return removed > 0;
}

/** A reminder claimed by {@link claimDueReminders}, with what its `reminder.due` event tells of the task. */
export interface ClaimedReminder {
  id: string;
  before: string | null;
  at: Date | null;
  fire_at: Date;
  state: 'fired' | 'missed' | 'cancelled';
  task_id: string;
  owner_id: string;
  number: number;
  title: string;
  due_at: Date | null;
  due_all_day: boolean;
  time_zone: string;
}

/**
 * Claims due reminders in one statement (`FOR UPDATE SKIP LOCKED`, so replicas share the work and
 * never claim one twice): fired, or `missed` when due before `missedBefore`, or cancelled when the
 * task is no longer open. `id` restricts the claim to one reminder.
 */
export async function claimDueReminders(
  tx: Sql,
  claim: { dueBy: Date; limit: number; id: string | null; missedBefore: Date; now: Date },
): Promise<ClaimedReminder[]> {
  // TypeORM answers an UPDATE with [rows, affected count].
  const [rows]: [ClaimedReminder[], number] = await tx.query(
    `WITH due AS (
       SELECT r.id FROM reminders r
       WHERE r.state = 'scheduled' AND r.fire_at <= $1 AND ($3::uuid IS NULL OR r.id = $3)
       ORDER BY r.fire_at LIMIT $2 FOR UPDATE SKIP LOCKED
     )
     UPDATE reminders r
     SET state = CASE WHEN t.status <> 'pending' THEN 'cancelled'
                      WHEN r.fire_at < $4 THEN 'missed' ELSE 'fired' END,
         fired_at = CASE WHEN t.status = 'pending' AND r.fire_at >= $4 THEN $5::timestamptz END
     FROM due, tasks t
     WHERE r.id = due.id AND t.id = r.task_id
     RETURNING r.id, r.before, r.at, r.fire_at, r.state, t.id AS task_id, t.owner_id, t.number, t.title,
               t.due_at, t.due_all_day, t.time_zone`,
    [claim.dueBy, claim.limit, claim.id, claim.missedBefore, claim.now],
  );
  return rows;
}

/** NOTIFY (delivered at commit) with the earliest new fire time, for a sleeping PostgreSQL timer. */
async function wakeTimer(tx: Sql, fireTimes: readonly Date[]): Promise<void> {
  if (fireTimes.length === 0) return;
  const earliest = Math.min(...fireTimes.map((time) => time.getTime()));
  await tx.query(`SELECT pg_notify($1, $2)`, [REMINDERS_CHANNEL, String(earliest)]);
}
