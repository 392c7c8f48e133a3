import type { DataSource } from 'typeorm';

/** How often each reminder fired, from the outbox (the only place a `reminder.due` is written). */
export async function firingsByReminder(db: DataSource): Promise<Map<string, number>> {
  const rows: Array<{ id: string; n: number }> = await db.query(
    `SELECT event->'data'->'reminder'->>'id' AS id, count(*)::int AS n FROM outbox
     WHERE event->>'type' = 'reminder.due' GROUP BY 1`,
  );
  return new Map(rows.map((row) => [row.id, row.n]));
}
