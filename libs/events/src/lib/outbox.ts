import type { EntityManager } from 'typeorm';
import type { DomainEvent } from './cloud-event';
import { topicOf } from './event-catalog';

/** PostgreSQL channel the relay LISTENs on; NOTIFY is delivered only when the writing transaction commits. */
export const OUTBOX_CHANNEL = 'outbox_events';

/**
 * Records events in the outbox inside the caller's transaction, so they exist if and only if the
 * change they describe was committed. The relay publishes them; the partition key is the subject.
 */
export async function appendToOutbox(tx: EntityManager, events: readonly DomainEvent[]): Promise<void> {
  if (events.length === 0) return;
  const values: unknown[] = [];
  const rows = events.map((event) => {
    const at = values.push(event.id, topicOf(event.type), event.subject, JSON.stringify(event));
    return `($${at - 3}, $${at - 2}, $${at - 1}, $${at}::jsonb)`;
  });
  await tx.query(
    `INSERT INTO outbox (event_id, topic, partition_key, event) VALUES ${rows.join(', ')}`,
    values,
  );
  await tx.query(`SELECT pg_notify('${OUTBOX_CHANNEL}', '')`);
}
