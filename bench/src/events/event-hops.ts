import type { Client } from 'pg';
import type { Measurement } from '../results';
import { latencyOf, summarize } from '../stats';

/**
 * Where an event's time goes, from timestamps the database already keeps (no app change): the
 * outbox row's `created_at` (the writer's statement), the writer's commit, `published_at` (set in
 * the relay's transaction, whose start is when it claimed the batch), the relay's commit (after
 * the transport acknowledged), the audit consumer's inbox row `received_at` (its transaction's
 * start) and that transaction's commit. Commit times come from PostgreSQL's
 * `track_commit_timestamp` (the bench's server runs with it on), read with
 * `pg_xact_commit_timestamp(xmin)`; the writer's commit is the created task row's, so it is known
 * for `task.created` events of tasks not changed since.
 */
export interface EventTimes {
  eventId: string;
  type: string;
  written: number;
  writerCommitted: number | null;
  claimed: number | null;
  relayCommitted: number | null;
  consumerStarted: number | null;
  consumerCommitted: number | null;
}

/** An SQL timestamp expression as epoch milliseconds (float8, so it reaches JavaScript as a number). */
export const epochMs = (expression: string) => `(extract(epoch FROM ${expression}) * 1000)::float8`;

/** Epoch milliseconds of every event in `task-events` after outbox id `afterId`, with the audit consumer's times. */
export async function eventTimes(client: Client, afterId: string, consumer = 'audit'): Promise<EventTimes[]> {
  const { rows } = await client.query<EventTimes>(
    `SELECT o.event_id AS "eventId", o.event->>'type' AS type,
            ${epochMs('o.created_at')} AS written,
            ${epochMs('pg_xact_commit_timestamp(t.xmin)')} AS "writerCommitted",
            ${epochMs('o.published_at')} AS claimed,
            ${epochMs('CASE WHEN o.published_at IS NOT NULL THEN pg_xact_commit_timestamp(o.xmin) END')} AS "relayCommitted",
            ${epochMs('i.received_at')} AS "consumerStarted",
            ${epochMs('pg_xact_commit_timestamp(i.xmin)')} AS "consumerCommitted"
       FROM outbox o
       LEFT JOIN inbox i ON i.consumer = $2 AND i.event_id = o.event_id
       LEFT JOIN tasks t ON o.event->>'type' = 'task.created'
                        AND t.id = (o.event->>'subject')::uuid
                        AND t.version = (o.event->'data'->'task'->>'version')::int
      WHERE o.id > $1::bigint AND o.topic = 'task-events'
      ORDER BY o.id`,
    [afterId, consumer],
  );
  return rows;
}

/** The outbox's last id: events written from now on have a greater one. */
export async function lastOutboxId(client: Client): Promise<string> {
  const { rows } = await client.query<{ id: string }>(`SELECT COALESCE(max(id), 0)::text AS id FROM outbox`);
  return rows[0].id;
}

/** Whether the server keeps commit timestamps (the hop split needs them). */
export async function commitTimestampsOn(client: Client): Promise<boolean> {
  const { rows } = await client.query<{ on: string }>(
    `SELECT current_setting('track_commit_timestamp') AS on`,
  );
  return rows[0].on === 'on';
}

/**
 * The hops, in order, each from the end of the one before; together they make written → the
 * consumer's commit. The two overlapping ones split the third at the relay's commit: in Kafka,
 * publish acknowledged, then the broker → consumer part; in memory the broker acknowledges only
 * after every consumer handled the event, so the second is negative there.
 */
const HOPS: Array<{
  name: string;
  from: (t: EventTimes) => number | null;
  to: (t: EventTimes) => number | null;
}> = [
  { name: 'writer: statement → commit', from: (t) => t.written, to: (t) => t.writerCommitted },
  {
    name: 'relay wake-up: commit → relay claimed the row',
    from: (t) => t.writerCommitted ?? t.written,
    to: (t) => t.claimed,
  },
  {
    name: 'transport: relay claimed → consumer transaction began',
    from: (t) => t.claimed,
    to: (t) => t.consumerStarted,
  },
  {
    name: 'consumer: transaction began → committed',
    from: (t) => t.consumerStarted,
    to: (t) => t.consumerCommitted,
  },
];

const ACKNOWLEDGED = {
  name: '(overlapping) relay claimed → publish acknowledged and marked',
  from: (t: EventTimes) => t.claimed,
  to: (t: EventTimes) => t.relayCommitted,
};
const DELIVERED = {
  name: '(overlapping) relay committed → consumer transaction began (Kafka: fetch wait and the partition queue; memory: negative)',
  from: (t: EventTimes) => t.relayCommitted,
  to: (t: EventTimes) => t.consumerStarted,
};
const TOTAL = {
  name: 'total: statement → consumer committed',
  from: (t: EventTimes) => t.written,
  to: (t: EventTimes) => t.consumerCommitted,
};

export interface HopSummary {
  rows: Measurement[];
  /** The sequential hop with the highest p99, e.g. `transport … (p99 82 ms of 97 ms)`. */
  dominant: string;
}

/** One report row per hop (p50 … max over the events that have both ends), labelled with `where`. */
export function summarizeHops(times: readonly EventTimes[], where: string): HopSummary {
  const summarized = [...HOPS, ACKNOWLEDGED, DELIVERED, TOTAL].map((hop) => {
    const samples = times.flatMap((t) => {
      const from = hop.from(t);
      const to = hop.to(t);
      return from === null || to === null ? [] : [to - from];
    });
    return { hop, stats: summarize(samples) };
  });
  const rows = summarized
    .filter(({ stats }) => stats.count > 0)
    .map(({ hop, stats }) => ({
      scenario: `${hop.name} (${where})`,
      latency: latencyOf(stats),
      extra: { events: stats.count },
    }));
  const sequential = summarized.slice(0, HOPS.length).filter(({ stats }) => stats.count > 0);
  const top = sequential.reduce((a, b) => (b.stats.p99 > a.stats.p99 ? b : a), sequential[0]);
  const total = summarized[summarized.length - 1].stats;
  return {
    rows,
    dominant: top
      ? `${where}: the largest hop is "${top.hop.name}", p99 ${top.stats.p99.toFixed(1)} ms of a total p99 ${total.p99.toFixed(1)} ms`
      : `${where}: no event had its times recorded`,
  };
}
