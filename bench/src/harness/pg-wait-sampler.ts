import { Client } from 'pg';

/**
 * Samples what the database's client backends are doing (pg_stat_activity) every few
 * milliseconds during a run: running, waiting on a lock or I/O, or idle waiting for the app, inside
 * or outside a transaction. The shares show whether a run is bound by the database or by the app.
 */
export async function startWaitSampling(databaseUrl: string, everyMs = 10) {
  const client = new Client(databaseUrl);
  await client.connect();
  const counts = new Map<string, number>();
  let samples = 0;
  let running = true;
  const loop = (async () => {
    while (running) {
      const { rows } = await client.query<{ what: string }>(
        `SELECT CASE
                  WHEN state = 'idle' THEN 'idle in pool (no transaction)'
                  WHEN state LIKE 'idle in transaction%' THEN 'in a transaction, waiting for the app'
                  WHEN wait_event IS NULL THEN 'running a statement (CPU)'
                  ELSE 'waiting: ' || wait_event_type || '/' || wait_event
                END AS what
           FROM pg_stat_activity
          WHERE datname = current_database() AND backend_type = 'client backend' AND pid <> pg_backend_pid()`,
      );
      for (const { what } of rows) counts.set(what, (counts.get(what) ?? 0) + 1);
      samples++;
      await new Promise((resolve) => setTimeout(resolve, everyMs));
    }
  })();
  return async (): Promise<string> => {
    running = false;
    await loop;
    await client.end();
    const total = [...counts.values()].reduce((sum, count) => sum + count, 0);
    const shares = [...counts]
      .sort((a, b) => b[1] - a[1])
      .map(([what, count]) => `${what} ${((count / total) * 100).toFixed(0)}%`);
    return `database connections over ${samples} samples (avg ${(total / Math.max(1, samples)).toFixed(1)} open): ${shares.join(', ')}`;
  };
}
