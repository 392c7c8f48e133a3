import {
  planReminder,
  type Reminder,
  REMINDERS_CHANNEL,
  type ReminderState,
  type ReminderTrigger,
} from '@todo/reminders';
import { readStoredInstant } from '@todo/validation';
import type { EntityManager } from 'typeorm';
import type { Task } from './task';

/** A task's reminders as one JSON column of every task query (one round trip, oldest first). */
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

/** Adds a reminder planned against the task as it is now; the timer is told if it is scheduled. */
export async function insertReminder(
  tx: EntityManager,
  task: Task,
  trigger: ReminderTrigger,
  now: Date,
): Promise<Reminder> {
  const plan = planReminder(
    { trigger, fireAt: null, state: 'scheduled', firedAt: null },
    { status: task.status, due: task.due, timeZone: task.timeZone },
    now,
  );
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
export async function replanReminders(tx: EntityManager, task: Task, now: Date): Promise<Reminder[]> {
  if (task.reminders.length === 0) return [];
  const rows: ReminderRow[] = await tx.query(
    `SELECT ${REMINDER_COLUMNS} FROM reminders r WHERE r.task_id = $1 ORDER BY r.created_at, r.id FOR UPDATE`,
    [task.id],
  );
  const rescheduled: Date[] = [];
  const reminders = await Promise.all(
    rows.map(reminderFromRow).map(async (reminder) => {
      const plan = planReminder(
        reminder,
        { status: task.status, due: task.due, timeZone: task.timeZone },
        now,
      );
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

/** NOTIFY (delivered at commit) with the earliest new fire time, for a sleeping PostgreSQL timer. */
async function wakeTimer(tx: EntityManager, fireTimes: readonly Date[]): Promise<void> {
  if (fireTimes.length === 0) return;
  const earliest = Math.min(...fireTimes.map((time) => time.getTime()));
  await tx.query(`SELECT pg_notify($1, $2)`, [REMINDERS_CHANNEL, String(earliest)]);
}
