import type { Client } from 'pg';

/** Events committed but not yet published by the relay: how far the event pipeline is behind. */
export async function pendingOutboxEvents(client: Client): Promise<number> {
  const { rows } = await client.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM outbox WHERE published_at IS NULL`,
  );
  return rows[0].n;
}
