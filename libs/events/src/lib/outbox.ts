import type { EntityManager } from 'typeorm';
import type { DomainEvent } from './cloud-event';
import { topicOf } from './event-catalog';

/**
 * Every statement that writes `outbox` (this library owns the table and its migration): writers
 * append in their own transaction, the relay claims, marks and purges through these functions.
 */
type Sql = Pick<EntityManager, 'query'>;

/** PostgreSQL channel the relays LISTEN on (see `RelayWakeUp`: writers do not NOTIFY in their own transaction). */
export const OUTBOX_CHANNEL = 'outbox_events';

/**
 * Records events in the outbox inside the caller's transaction, so they exist if and only if the
 * change they describe was committed. One statement; after the commit the caller wakes the relay
 * (`RelayWakeUp.committed`). The partition key is the subject.
 */
export async function appendToOutbox(tx: Sql, events: readonly DomainEvent[]): Promise<void> {
  if (events.length === 0) return;
  const values: unknown[] = [];
  await tx.query(outboxInsert(events, values), values);
}

export interface OutboxInsertOptions {
  /** A relation of the same statement (e.g. `changed`): the events are written once per row of it, none when it is empty. */
  per?: string;
  /** The stored event as an SQL expression of the given one (`e.event`), e.g. to fill in a number the statement assigns. */
  event?: (given: string) => string;
}

/**
 * The INSERT of {@link appendToOutbox} as a statement part, for a writer that puts its change and its
 * events in one statement (`WITH changed AS (…), appended AS (<this>) SELECT …`), so a mutation is
 * one round trip. Appends its parameters to `values`.
 */
export function outboxInsert(
  events: readonly DomainEvent[],
  values: unknown[],
  options: OutboxInsertOptions = {},
): string {
  const rows = events.map((event) => {
    const at = values.push(event.id, topicOf(event.type), event.subject, JSON.stringify(event));
    return `($${at - 3}::uuid, $${at - 2}::text, $${at - 1}::text, $${at}::jsonb)`;
  });
  const event = options.event ?? ((given: string) => given);
  return `INSERT INTO outbox (event_id, topic, partition_key, event)
    SELECT e.event_id, e.topic, e.partition_key, ${event('e.event')}
    FROM ${options.per ? `${options.per}, ` : ''}(VALUES ${rows.join(', ')}) AS e(event_id, topic, partition_key, event)`;
}

/** Wakes every relay LISTENing on the database; sent alone (autocommit), after the writes it announces committed. */
export const NOTIFY_RELAYS = `SELECT pg_notify('${OUTBOX_CHANNEL}', '')`;

export interface PendingOutboxRow {
  id: string;
  topic: string;
  partition_key: string;
  /** The stored event's JSON text (not parsed: the transports send it on as text). */
  event: string;
  created_at: Date;
}

/** Only one relay publishes at a time (per database), which keeps the global id order per task. */
const RELAY_LOCK = `hashtext('todo.outbox-relay')`;

export interface ClaimedOutboxRows {
  /** False when another relay holds the lock (then `rows` is empty). */
  locked: boolean;
  rows: PendingOutboxRow[];
}

/**
 * The oldest pending rows, in id order, if this transaction wins the relay's advisory lock (held
 * until it ends); none when another relay holds it. One round trip.
 */
export async function claimPendingEvents(tx: Sql, limit: number): Promise<ClaimedOutboxRows> {
  const found: Array<PendingOutboxRow & { locked: boolean }> = await tx.query(
    `WITH relay AS (SELECT pg_try_advisory_xact_lock(${RELAY_LOCK}) AS locked)
     SELECT relay.locked, o.id, o.topic, o.partition_key, o.event::text AS event, o.created_at FROM relay
     LEFT JOIN LATERAL (SELECT * FROM outbox WHERE relay.locked AND published_at IS NULL ORDER BY id LIMIT $1) o
       ON true`,
    [limit],
  );
  const rows = found
    .filter((row) => row.id !== null)
    .map(({ id, topic, partition_key, event, created_at }) => ({
      id,
      topic,
      partition_key,
      event,
      created_at,
    }));
  return { locked: found[0]?.locked ?? false, rows };
}

export async function markPublished(tx: Sql, ids: readonly string[]): Promise<void> {
  await tx.query(`UPDATE outbox SET published_at = now() WHERE id = ANY($1::bigint[])`, [ids]);
}

export async function recordPublishFailure(db: Sql, ids: readonly string[], error: string): Promise<void> {
  await db.query(`UPDATE outbox SET attempts = attempts + 1, last_error = $2 WHERE id = ANY($1::bigint[])`, [
    ids,
    error.slice(0, 2000),
  ]);
}

/** How many events wait, and the age in seconds of the oldest. */
export async function outboxBacklog(db: Sql): Promise<{ pending: number; age: number }> {
  const [backlog] = await db.query(
    `SELECT count(*)::int AS pending, COALESCE(EXTRACT(EPOCH FROM now() - min(created_at)), 0)::float AS age
     FROM outbox WHERE published_at IS NULL`,
  );
  return backlog;
}

/** Deletes rows published longer ago than the retention period. */
export async function purgePublishedEvents(db: Sql, retentionHours: number): Promise<void> {
  await db.query(`DELETE FROM outbox WHERE published_at < now() - make_interval(hours => $1)`, [
    retentionHours,
  ]);
}
