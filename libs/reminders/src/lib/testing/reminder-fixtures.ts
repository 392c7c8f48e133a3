import type { EntityManager } from 'typeorm';
import { REMINDERS_CHANNEL } from '../reminder';

/**
 * Gives each task one scheduled reminder at its due time, straight into the table (volume tests of
 * the timer, not of the API), and wakes sleeping timers. Returns the reminder ids in task order.
 */
export async function scheduleRemindersAtDue(
  db: Pick<EntityManager, 'query'>,
  tasks: ReadonlyArray<{ id: string; dueAt: Date }>,
): Promise<string[]> {
  const rows: Array<{ id: string }> = await db.query(
    `INSERT INTO reminders (task_id, before, fire_at, state)
     SELECT task_id, 'PT0S', fire_at, 'scheduled'
     FROM unnest($1::uuid[], $2::timestamptz[]) WITH ORDINALITY AS due(task_id, fire_at, n) ORDER BY n
     RETURNING id`,
    [tasks.map((task) => task.id), tasks.map((task) => task.dueAt)],
  );
  await db.query(`SELECT pg_notify($1, '0')`, [REMINDERS_CHANNEL]);
  return rows.map((row) => row.id);
}
