import type { Client } from 'pg';
import { performance } from 'node:perf_hooks';

/** Events committed but not yet published by the relay: how far the event pipeline is behind. */
export async function pendingOutboxEvents(client: Client): Promise<number> {
  const { rows } = await client.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM outbox WHERE published_at IS NULL`,
  );
  return rows[0].n;
}

/** Waits until the relay has published everything pending; returns how many were pending. */
export async function outboxDrained(client: Client): Promise<number> {
  const first = await pendingOutboxEvents(client);
  const deadline = performance.now() + 300_000;
  while ((await pendingOutboxEvents(client)) > 0) {
    if (performance.now() > deadline) throw new Error('the outbox did not drain within 5 minutes');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return first;
}
