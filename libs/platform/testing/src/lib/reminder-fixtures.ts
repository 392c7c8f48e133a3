import type { DataSource } from 'typeorm';

/**
 * Writes open tasks (one per fire time) of one user with one reminder each, straight into the tables (volume
 * tests of the timer, not of the API), and wakes sleeping timers. Returns the reminder ids.
 */
export async function insertDueReminders(
  db: DataSource,
  ownerId: string,
  fireTimes: readonly Date[],
): Promise<string[]> {
  const rows: Array<{ id: string }> = await db.query(
    `WITH numbered AS (
       SELECT fire_at, row_number() OVER () AS n FROM unnest($2::timestamptz[]) AS fire_at
     ), base AS (
       SELECT coalesce(max(number), 0) AS last FROM tasks WHERE owner_id = $1
     ), created AS (
       INSERT INTO tasks (owner_id, number, title, due_at, overdue_at, time_zone)
       SELECT $1, base.last + n, 'Reminder test ' || n, fire_at, fire_at, 'UTC' FROM numbered, base
       RETURNING id, due_at
     )
     INSERT INTO reminders (task_id, before, fire_at, state)
     SELECT id, 'PT0S', due_at, 'scheduled' FROM created
     RETURNING id`,
    [ownerId, fireTimes],
  );
  await db.query(`SELECT pg_notify('reminders_scheduled', '0')`);
  return rows.map((row) => row.id);
}

/** How often each reminder fired, from the outbox (the only place a `reminder.due` is written). */
export async function firingsByReminder(db: DataSource): Promise<Map<string, number>> {
  const rows: Array<{ id: string; n: number }> = await db.query(
    `SELECT event->'data'->'reminder'->>'id' AS id, count(*)::int AS n FROM outbox
     WHERE event->>'type' = 'reminder.due' GROUP BY 1`,
  );
  return new Map(rows.map((row) => [row.id, row.n]));
}
