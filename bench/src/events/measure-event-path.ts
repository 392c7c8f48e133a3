import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import { describeCores } from '../harness/cpu-usage';
import { observe } from '../harness/observe';
import { outboxDrained } from '../harness/outbox';
import { startStandalone } from '../harness/standalone-process';
import { registerUsers } from '../harness/users';
import type { Measurement } from '../results';
import { eventTimes, type HopSummary, lastOutboxId, summarizeHops } from './event-hops';
import { latencyOf, summarize } from '../stats';

const CHANNEL = 'bench_audit_recorded';

/**
 * A bench-only trigger on the audit log: when the audit consumer commits a `created` entry, the
 * bench hears it (LISTEN/NOTIFY, delivered on commit) with the task's title. No app code knows.
 */
const INSTALL_PROBE = `
  CREATE OR REPLACE FUNCTION bench_audit_recorded() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN PERFORM pg_notify('${CHANNEL}', NEW.after->>'title'); RETURN NEW; END $$;
  CREATE OR REPLACE TRIGGER bench_audit_recorded AFTER INSERT ON audit_log
    FOR EACH ROW WHEN (NEW.action = 'created') EXECUTE FUNCTION bench_audit_recorded()`;
const REMOVE_PROBE = `DROP TRIGGER IF EXISTS bench_audit_recorded ON audit_log;
  DROP FUNCTION IF EXISTS bench_audit_recorded()`;

/**
 * The event path end to end: `POST /api/v1/tasks` is sent → the transaction commits the task and
 * its outbox rows → the relay publishes (in memory, or to Kafka) → the audit consumer, subscribed
 * to `task.created`, commits its entry. `rate` writes per second for `seconds`, spread over users.
 */
export async function measureEventPath(options: {
  databaseUrl: string;
  /** The Node.js binary the app runs on. */
  node: string;
  transport: string;
  env?: Record<string, string>;
  rate: number;
  seconds: number;
}): Promise<Measurement & { breakdown: string[]; hops: HopSummary }> {
  const app = await startStandalone({
    databaseUrl: options.databaseUrl,
    node: options.node,
    env: options.env,
  });
  const listener = new Client(options.databaseUrl);
  const arrivals = new Map<string, number>();
  try {
    await listener.connect();
    await listener.query(INSTALL_PROBE);
    const run = `event path ${process.pid}-${Date.now()}`;
    listener.on('notification', (message) => {
      if (message.payload?.startsWith(run)) arrivals.set(message.payload, performance.now());
    });
    await listener.query(`LISTEN ${CHANNEL}`);
    const tokens = (await registerUsers(app.url, 10)).map((user) => user.token);
    // Events an earlier run left behind are relayed first; measure from an empty outbox.
    const backlog = await outboxDrained(listener);
    const afterId = await lastOutboxId(listener);

    const sent = new Map<string, number>();
    const answered: number[] = [];
    const total = options.rate * options.seconds;
    const { cores, database } = await observe(options.databaseUrl, app.pid, async () => {
      const writes: Array<Promise<void>> = [];
      const t0 = performance.now();
      for (let i = 0; i < total; i++) {
        const wait = t0 + (i * 1000) / options.rate - performance.now();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
        const title = `${run} #${i}`;
        const at = performance.now();
        sent.set(title, at);
        writes.push(
          createTask(app.url, tokens[i % tokens.length], title).then(
            () => void answered.push(performance.now() - at),
          ),
        );
      }
      await Promise.all(writes);
      const deadline = performance.now() + 30_000;
      while (arrivals.size < total && performance.now() < deadline)
        await new Promise((resolve) => setTimeout(resolve, 50));
    });
    const latencies = [...sent].flatMap(([title, at]) => {
      const arrived = arrivals.get(title);
      return arrived === undefined ? [] : [arrived - at];
    });
    const stats = summarize(latencies);
    const write = summarize(answered);
    const hops = summarizeHops(await eventTimes(listener, afterId), options.transport);
    return {
      scenario: `POST /tasks → audit consumer committed (${options.transport})`,
      hops,
      throughput: options.rate,
      latency: latencyOf(stats),
      // The REST answer (commit included) is the first part of the path; the relay and consumer the rest.
      breakdown: [
        `${options.transport}: ${backlog} events left by earlier runs were relayed before measuring; ${describeCores(cores)}; ${database}`,
      ],
      extra: {
        events: total,
        lost: total - latencies.length,
        'POST answered p50 ms': round(write.p50),
        'POST answered p99 ms': round(write.p99),
      },
    };
  } finally {
    await listener.query(REMOVE_PROBE).catch(() => undefined);
    await listener.end();
    await app.stop();
  }
}

const round = (value: number) => Math.round(value * 10) / 10;

/** `POST /api/v1/tasks` with a title; throws unless it answered 201. */
export async function createTask(url: string, token: string, title: string): Promise<void> {
  const response = await fetch(`${url}/api/v1/tasks`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ title }),
  });
  await response.arrayBuffer();
  if (response.status !== 201) throw new Error(`POST /tasks answered ${response.status}`);
}
