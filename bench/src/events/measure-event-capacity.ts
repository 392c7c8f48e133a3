import { TOPICS } from '@todo/events';
import { Client } from 'pg';
import { mapInBatches } from '../harness/batches';
import { consumedEvents, waitForConsumers } from '../harness/consumed-events';
import { describeCores } from '../harness/cpu-usage';
import { observe } from '../harness/observe';
import { outboxDrained } from '../harness/outbox';
import { startStandalone } from '../harness/standalone-process';
import { registerUsers } from '../harness/users';
import type { Measurement } from '../results';
import { latencyOf, summarize } from '../stats';
import { epochMs, lastOutboxId } from './event-hops';

/**
 * What each consumer group of the standalone app subscribes to (its `@EventPattern` handlers). The
 * run fails if the app reports a delivery this table does not know, so it cannot drift silently.
 */
const SUBSCRIPTIONS: Record<string, readonly string[]> = {
  audit: [TOPICS.taskEvents, TOPICS.reminders],
  recurrence: [TOPICS.taskEvents],
  realtime: [TOPICS.taskUpdates, TOPICS.reminders],
  'web-push': [TOPICS.reminders],
};
/** Every `RECURRING_EVERY`th task is daily: completing it makes the recurrence consumer write the next one. */
const RECURRING_EVERY = 4;

export interface CapacityResult {
  row: Measurement;
  /** End to end (relay and every consumer), events per second. */
  eventsPerSecond: number;
  breakdown: string[];
}

/**
 * Capacity with a backlog: `tasks` tasks are created and completed (every fourth one recurring) by
 * an app whose relay is off, so their events wait in the outbox; the app is stopped and started
 * again with the relay on (and the transport under test), and the bench times how fast the relay
 * publishes the backlog and each consumer group gets through it: deliveries from the app's
 * `events_consumed_total`, sampled every 100 ms, and for the inbox consumers the inbox rows and
 * their commit times. Every expected delivery is counted (lost, repeated); the recurrence consumer's
 * next occurrences add their own events while the backlog drains.
 */
export async function measureEventCapacity(options: {
  databaseUrl: string;
  /** The Node.js binary the app runs on. */
  node: string;
  transport: string;
  env?: Record<string, string>;
  tasks: number;
  /** Node options of the app that drains the backlog (e.g. `--cpu-prof`). */
  nodeOptions?: string[];
}): Promise<CapacityResult> {
  const client = new Client(options.databaseUrl);
  await client.connect();
  try {
    await outboxDrained(client); // earlier scenarios' events are not part of this backlog
    const afterId = await lastOutboxId(client);
    const written = await writeBacklog(options.databaseUrl, options.node, options.tasks);
    const backlog = await countsByTopic(client, afterId);
    const recurringCompletions = await recurringCompletionsAfter(client, afterId);
    // each completed recurring task gets its next occurrence: one more task.created and task.changed
    const final = new Map(backlog);
    for (const topic of [TOPICS.taskEvents, TOPICS.taskUpdates])
      final.set(topic, (final.get(topic) ?? 0) + recurringCompletions);
    const expected = new Map(
      Object.entries(SUBSCRIPTIONS).flatMap(([consumer, topics]) =>
        topics
          .filter((topic) => final.get(topic))
          .map((topic) => [`${consumer}/${topic}`, final.get(topic) ?? 0]),
      ),
    );

    const app = await startStandalone({
      databaseUrl: options.databaseUrl,
      node: options.node,
      env: options.env,
      nodeOptions: options.nodeOptions,
    });
    try {
      // The counters start at zero with the process; anything delivered before the first sample counts.
      const before = new Map<string, number>();
      const observedFrom = performance.now();
      const {
        value: timeline,
        cores,
        database,
      } = await observe(options.databaseUrl, app.pid, () =>
        waitForConsumers({ url: app.url, before, expected, everyMs: 100, timeoutMs: 600_000 }),
      );
      const observedSeconds = (performance.now() - observedFrom) / 1000;
      const unknown = [...(await consumedEvents(app.url)).keys()].filter((key) => {
        const [consumer, topic] = key.split('/');
        return !SUBSCRIPTIONS[consumer]?.includes(topic);
      });
      if (unknown.length)
        throw new Error(`deliveries the bench's subscription table does not know: ${unknown.join(', ')}`);
      return await summarizeCapacity({
        client,
        afterId,
        transport: options.transport,
        tasks: written,
        final,
        finalActual: await countsByTopic(client, afterId),
        recurringCompletions,
        expected,
        timeline,
        pressure: `${describeCores(cores)}; ${database}`,
        cpuSeconds: {
          app: cores.server * observedSeconds,
          postgres: cores.postgres * observedSeconds,
        },
      });
    } finally {
      await app.stop();
    }
  } finally {
    await client.end();
  }
}

/** Creates and completes `tasks` tasks over ten users with the relay off; returns how many. */
async function writeBacklog(databaseUrl: string, node: string, tasks: number): Promise<number> {
  const app = await startStandalone({ databaseUrl, node, env: { OUTBOX_RELAY: 'false' } });
  try {
    const tokens = (await registerUsers(app.url, 10)).map((user) => user.token);
    await mapInBatches(Array.from({ length: tasks }), 20, async (_, i) => {
      const token = tokens[i % tokens.length];
      const recurring = i % RECURRING_EVERY === 0;
      const created = await call<{ id: string }>(app.url, token, 'POST', '/api/v1/tasks', {
        title: `capacity #${i}`,
        due: '2030-01-01T10:00:00Z',
        ...(recurring && { recurrence: { rrule: 'FREQ=DAILY' } }),
      });
      await call(app.url, token, 'POST', `/api/v1/tasks/${created.id}/complete`);
    });
    return tasks;
  } finally {
    await app.stop();
  }
}

async function call<T = unknown>(url: string, token: string, method: string, path: string, body?: unknown) {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body !== undefined && { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${text}`);
  return JSON.parse(text) as T;
}

async function countsByTopic(client: Client, afterId: string): Promise<Map<string, number>> {
  const { rows } = await client.query<{ topic: string; n: number }>(
    `SELECT topic, count(*)::int AS n FROM outbox WHERE id > $1::bigint GROUP BY topic`,
    [afterId],
  );
  return new Map(rows.map((row) => [row.topic, row.n]));
}

async function recurringCompletionsAfter(client: Client, afterId: string): Promise<number> {
  const { rows } = await client.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM outbox
      WHERE id > $1::bigint AND event->>'type' = 'task.completed'
        AND jsonb_typeof(event->'data'->'task'->'recurrence') = 'object'`,
    [afterId],
  );
  return rows[0].n;
}

interface InboxSpan {
  consumer: string;
  rows: number;
  /** Transactions that committed those rows (the consumer's inbox batches). */
  transactions: number;
  expected: number;
  first: number | null;
  last: number | null;
}

/** Per inbox consumer: rows for the run's events, how many it should have, first start and last commit. */
async function inboxSpans(client: Client, afterId: string): Promise<InboxSpan[]> {
  const { rows } = await client.query<InboxSpan>(
    `WITH run AS (SELECT event_id, topic, event FROM outbox WHERE id > $1::bigint),
          wanted AS (
            SELECT 'audit' AS consumer, event_id FROM run WHERE topic IN ('${TOPICS.taskEvents}', '${TOPICS.reminders}')
            UNION ALL
            SELECT 'recurrence', event_id FROM run
             WHERE event->>'type' = 'task.completed' AND jsonb_typeof(event->'data'->'task'->'recurrence') = 'object')
     SELECT w.consumer, count(i.event_id)::int AS rows, count(*)::int AS expected,
            count(DISTINCT i.xmin::text)::int AS transactions,
            ${epochMs('min(i.received_at)')} AS first, ${epochMs('max(pg_xact_commit_timestamp(i.xmin))')} AS last
       FROM wanted w LEFT JOIN inbox i ON i.consumer = w.consumer AND i.event_id = w.event_id
      GROUP BY w.consumer ORDER BY w.consumer`,
    [afterId],
  );
  return rows;
}

/** The relay's first claim and last commit for the run's events, and claim → audit commit per event. */
async function relaySpan(client: Client, afterId: string) {
  const { rows } = await client.query<{ first: number; last: number }>(
    `SELECT ${epochMs('min(published_at)')} AS first, ${epochMs('max(pg_xact_commit_timestamp(xmin))')} AS last
       FROM outbox WHERE id > $1::bigint`,
    [afterId],
  );
  const waits = await client.query<{ ms: number }>(
    `SELECT ${epochMs('pg_xact_commit_timestamp(i.xmin)')} - ${epochMs('o.published_at')} AS ms
       FROM outbox o JOIN inbox i ON i.consumer = 'audit' AND i.event_id = o.event_id
      WHERE o.id > $1::bigint`,
    [afterId],
  );
  return { ...rows[0], claimToAudit: waits.rows.map((row) => row.ms) };
}

async function summarizeCapacity(run: {
  client: Client;
  afterId: string;
  transport: string;
  tasks: number;
  final: Map<string, number>;
  finalActual: Map<string, number>;
  recurringCompletions: number;
  expected: Map<string, number>;
  timeline: Awaited<ReturnType<typeof waitForConsumers>>;
  pressure: string;
  /** CPU time spent while draining: per event it depends little on what else the machine runs. */
  cpuSeconds: { app: number; postgres: number };
}): Promise<CapacityResult> {
  const { client, afterId, expected, timeline } = run;
  const spans = await inboxSpans(client, afterId);
  const relay = await relaySpan(client, afterId);
  // Consumers can start only once the relay published and (Kafka) their groups joined: the first
  // inbox transaction marks that; a consumer is done when its deliveries reached the expected count.
  const firstInbox = Math.min(...spans.map((span) => span.first ?? Infinity));
  const started = Number.isFinite(firstInbox) ? Math.max(relay.first, firstInbox) : relay.first;
  const totalEvents = [...run.final.values()].reduce((sum, n) => sum + n, 0);
  const perConsumer = Object.keys(SUBSCRIPTIONS).map((consumer) => {
    const keys = [...expected.keys()].filter((key) => key.startsWith(`${consumer}/`));
    const want = keys.reduce((sum, key) => sum + (expected.get(key) ?? 0), 0);
    const got = keys.reduce((sum, key) => sum + (timeline.counts.get(key) ?? 0), 0);
    const done = keys.every((key) => timeline.reached.has(key))
      ? Math.max(...keys.map((key) => timeline.reached.get(key) as number))
      : null;
    const span = spans.find((candidate) => candidate.consumer === consumer);
    const lostRows = span ? span.expected - span.rows : 0;
    return {
      consumer,
      want,
      got,
      done,
      rate: want && done ? want / ((done - started) / 1000) : null,
      lost: Math.max(0, want - got) + lostRows,
      repeated: Math.max(0, got - want),
    };
  });
  const finished = perConsumer.filter((c) => c.want > 0);
  const lastDone = finished.every((c) => c.done !== null)
    ? Math.max(...finished.map((c) => c.done as number))
    : null;
  const endToEnd = lastDone ? totalEvents / ((lastDone - started) / 1000) : 0;
  const relayRate = totalEvents / ((relay.last - relay.first) / 1000);
  const missingEvents = [...run.final].filter(([topic, n]) => run.finalActual.get(topic) !== n);
  const lost = perConsumer.reduce((sum, c) => sum + c.lost, 0);
  const repeated = perConsumer.reduce((sum, c) => sum + c.repeated, 0);
  const rate = (consumer: string) => {
    const found = perConsumer.find((c) => c.consumer === consumer);
    return found?.rate ? Math.round(found.rate) : found?.want ? 'not done' : 'no events';
  };
  const fmt = (n: number) => Math.round(n).toLocaleString('en');
  return {
    eventsPerSecond: endToEnd,
    row: {
      scenario: `backlog of ${fmt(totalEvents)} events (${fmt(run.tasks)} tasks created + completed, 1 in ${RECURRING_EVERY} recurring) drained (${run.transport})`,
      throughput: endToEnd,
      latency: latencyOf(summarize(relay.claimToAudit)),
      extra: {
        events: totalEvents,
        'relay ev/s': Math.round(relayRate),
        ...Object.fromEntries(
          Object.keys(SUBSCRIPTIONS).map((consumer) => [`${consumer} ev/s`, rate(consumer)]),
        ),
        lost,
        repeated,
      },
    },
    breakdown: [
      `${run.transport}: ${fmt(totalEvents)} events (${[...run.final].map(([topic, n]) => `${topic} ${fmt(n)}`).join(', ')}; ${fmt(run.recurringCompletions)} next occurrences written by the recurrence consumer while draining)` +
        `${missingEvents.length ? `, but the outbox holds ${[...run.finalActual].map(([topic, n]) => `${topic} ${fmt(n)}`).join(', ')}` : ''}; ` +
        `relay published them in ${fmt(relay.last - relay.first)} ms; consumers started ${fmt(started - relay.first)} ms after the first publish; ` +
        perConsumer
          .map((c) =>
            c.want === 0
              ? `${c.consumer}: no events of its topics in this workload`
              : `${c.consumer} ${fmt(c.got)}/${fmt(c.want)} deliveries` +
                (c.done ? ` in ${fmt(c.done - started)} ms` : ' (not finished)'),
          )
          .join(', ') +
        `; inbox rows ${spans.map((s) => `${s.consumer} ${fmt(s.rows)}/${fmt(s.expected)} in ${fmt(s.transactions)} transactions`).join(', ')}` +
        ` (row latency: relay claimed → audit committed)`,
      `${run.transport} while draining: CPU time per event: app ${((run.cpuSeconds.app * 1000) / totalEvents).toFixed(2)} ms, PostgreSQL ${((run.cpuSeconds.postgres * 1000) / totalEvents).toFixed(2)} ms; ${run.pressure}`,
    ],
  };
}
