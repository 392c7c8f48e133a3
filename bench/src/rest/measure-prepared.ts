import { namedStatement } from '@todo/database';
import { withClient } from '../harness/database';
import { median } from '../stats';
import { currentStatements } from './baseline-server';

/**
 * What preparing the app's hot statements saves: each statement timed alone on one connection,
 * unprepared and as a named prepared statement, alternately, each run in a transaction rolled back
 * (so a create or change can run again). Returns one breakdown line of medians.
 */
export async function measurePreparedStatements(
  databaseUrl: string,
  userId: string,
  runs: number,
): Promise<string> {
  return withClient(databaseUrl, async (client) => {
    const body = { title: 'Prepared?', tags: ['home'], due: '2030-01-01T10:00:00Z' };
    const created = await client.query(currentStatements.create(userId, body));
    const task = created.rows[0] as { id: string; number: number; version: number };
    const statements = {
      create: () => currentStatements.create(userId, body),
      get: () => currentStatements.find(userId, task.number),
      change: () => currentStatements.change(userId, task, { sets: 'title = $2', value: 'Prepared!' }),
      list: () => currentStatements.list(userId),
    };
    const figures: string[] = [];
    for (const [name, statement] of Object.entries(statements)) {
      const took = { unprepared: [] as number[], prepared: [] as number[] };
      for (let run = 0; run < runs; run++) {
        for (const mode of ['unprepared', 'prepared'] as const) {
          const { text, values } = statement();
          await client.query('BEGIN');
          const started = performance.now();
          await client.query(mode === 'prepared' ? { ...namedStatement(text), values } : { text, values });
          took[mode].push(performance.now() - started);
          await client.query('ROLLBACK');
        }
      }
      figures.push(`${name} ${median(took.unprepared).toFixed(2)} → ${median(took.prepared).toFixed(2)} ms`);
    }
    await client.query(`DELETE FROM tasks WHERE id = $1`, [task.id]);
    await client.query(`UPDATE outbox SET published_at = now() WHERE partition_key = $1`, [task.id]);
    return `prepared statements, unprepared → prepared (median of ${runs} runs each, one connection, no other load from the bench): ${figures.join(', ')}`;
  });
}
