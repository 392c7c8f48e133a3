import { buildListQuery, taskQuerySchema } from '@todo/tasks';
import { Client } from 'pg';
import { median } from '../stats';
import type { PlannedRequest } from './search-queries';

export interface QueryPlan {
  /** Median over the runs, milliseconds, as PostgreSQL reports them. */
  executionMs: number;
  planningMs: number;
  /** `EXPLAIN (ANALYZE, BUFFERS)` text of the last run. */
  plan: string[];
}

/**
 * Runs the very statement the API runs for `request` (built by `buildListQuery` from the parsed
 * query string and the owner's zone) under EXPLAIN (ANALYZE, BUFFERS), `runs` times.
 */
export async function explainRequest(
  databaseUrl: string,
  request: PlannedRequest,
  runs = 5,
): Promise<QueryPlan> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const timeZone = await timeZoneOf(client, request.user.id);
    const sql = buildListQuery(request.user.id, timeZone, taskQuerySchema.parse(request.params));
    const timings: Array<{ execution: number; planning: number }> = [];
    for (let run = 0; run < runs; run++) {
      const { rows } = await client.query<{ 'QUERY PLAN': Array<Record<string, number>> }>(
        `EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${sql.text}`,
        sql.values,
      );
      const [result] = rows[0]['QUERY PLAN'];
      timings.push({ execution: result['Execution Time'], planning: result['Planning Time'] });
    }
    const { rows } = await client.query<{ 'QUERY PLAN': string }>(
      `EXPLAIN (ANALYZE, BUFFERS) ${sql.text}`,
      sql.values,
    );
    return {
      executionMs: median(timings.map((timing) => timing.execution)),
      planningMs: median(timings.map((timing) => timing.planning)),
      plan: rows.map((row) => row['QUERY PLAN']),
    };
  } finally {
    await client.end();
  }
}

/** The user's zone, which the API reads for every request (the actor's `timeZone`). */
export async function timeZoneOf(client: Client, userId: string): Promise<string> {
  const { rows } = await client.query<{ time_zone: string }>('SELECT time_zone FROM users WHERE id = $1', [
    userId,
  ]);
  if (!rows[0]) throw new Error(`no user ${userId}`);
  return rows[0].time_zone;
}
