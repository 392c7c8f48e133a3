import { scheduleRemindersAtDue } from '@todo/reminders/testing';
import type { EntityManager } from 'typeorm';

/**
 * Writes open tasks (one per fire time) of one user with one reminder each at the due time,
 * straight into the tables (volume tests of the timer, not of the API). Returns the reminder ids.
 */
export async function insertDueReminders(
  db: Pick<EntityManager, 'query'>,
  ownerId: string,
  fireTimes: readonly Date[],
): Promise<string[]> {
  const tasks: Array<{ id: string; due_at: Date }> = await db.query(
    `WITH counter AS (
       INSERT INTO task_counters AS c (owner_id, last_number) VALUES ($1, cardinality($2::timestamptz[]))
       ON CONFLICT (owner_id) DO UPDATE SET last_number = c.last_number + cardinality($2::timestamptz[])
       RETURNING last_number - cardinality($2::timestamptz[]) AS before
     )
     INSERT INTO tasks (owner_id, number, title, due_at, overdue_at, time_zone)
     SELECT $1, counter.before + n, 'Reminder test ' || n, due_at, due_at, 'UTC'
     FROM unnest($2::timestamptz[]) WITH ORDINALITY AS due(due_at, n), counter ORDER BY n
     RETURNING id, due_at`,
    [ownerId, fireTimes],
  );
  return scheduleRemindersAtDue(
    db,
    tasks.map((task) => ({ id: task.id, dueAt: task.due_at })),
  );
}
