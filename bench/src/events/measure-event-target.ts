import type { Request } from 'autocannon';
import { Client } from 'pg';
import { describeCores } from '../harness/cpu-usage';
import { runLoad } from '../harness/load';
import { observe } from '../harness/observe';
import { outboxDrained, pendingOutboxEvents } from '../harness/outbox';
import { startStandalone } from '../harness/standalone-process';
import { registerUsers } from '../harness/users';
import type { Measurement } from '../results';
import { latencyOf, summarize } from '../stats';
import { eventTimes, lastOutboxId, summarizeHops } from './event-hops';

export interface TargetRunResult {
  rows: Measurement[];
  /** Events written per second during the paced run (each POST writes task.created and task.changed). */
  eventsPerSecond: number;
  maxBacklogSeconds: number;
  p99: number;
  lost: number;
  breakdown: string[];
}

/**
 * The pipeline at the app's top sustained write rate: first `POST /tasks` as fast as the app answers
 * (closed loop, `connections`), which gives the top rate; then that rate offered for `seconds`,
 * sampling the outbox's unpublished rows every 100 ms. Change → audit consumer is each created
 * task's commit → the audit consumer's commit of its `task.created` (commit timestamps).
 */
export async function measureEventTarget(options: {
  databaseUrl: string;
  /** The Node.js binary the app runs on. */
  node: string;
  users: number;
  connections: number;
  topSeconds: number;
  seconds: number;
}): Promise<TargetRunResult> {
  const app = await startStandalone({ databaseUrl: options.databaseUrl, node: options.node });
  const client = new Client(options.databaseUrl);
  try {
    await client.connect();
    const tokens = (await registerUsers(app.url, options.users)).map((user) => user.token);
    const requests = createRequests(tokens);
    const load = { url: app.url, connections: options.connections, requests };
    const top = await runLoad({ ...load, label: 'POST /tasks, closed loop', duration: options.topSeconds });
    const afterTop = await outboxDrained(client);

    const afterId = await lastOutboxId(client);
    const samples: number[] = [];
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        samples.push(await pendingOutboxEvents(client));
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    })();
    const rate = Math.max(1, Math.round(top.rps));
    const {
      value: paced,
      cores,
      database,
    } = await observe(options.databaseUrl, app.pid, async () => {
      try {
        return await runLoad({
          ...load,
          label: `POST /tasks at ${rate}/s`,
          duration: options.seconds,
          overallRate: rate,
        });
      } finally {
        sampling = false;
        await sampler;
      }
    });
    const drainedAfter = await outboxDrained(client);
    const times = await waitForAudit(client, afterId);
    const { rows: written } = await client.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM outbox WHERE id > $1::bigint`,
      [afterId],
    );
    const eventsPerSecond = written[0].n / options.seconds;
    const maxBacklog = Math.max(0, ...samples);
    const maxBacklogSeconds = maxBacklog / eventsPerSecond;
    const latencies = times.flatMap((t) =>
      t.writerCommitted !== null && t.consumerCommitted !== null
        ? [t.consumerCommitted - t.writerCommitted]
        : [],
    );
    const lost = times.filter((t) => t.consumerCommitted === null).length;
    const stats = summarize(latencies);
    const hops = summarizeHops(times, 'standalone, at the top write rate');
    return {
      eventsPerSecond,
      maxBacklogSeconds,
      p99: stats.p99,
      lost,
      rows: [
        {
          scenario: `POST /tasks as fast as the app answers, ${options.connections} connections, ${options.topSeconds} s (the top write rate)`,
          throughput: top.rps,
          latency: latencyOf(top),
          extra: { requests: top.requests },
        },
        {
          scenario: `POST /tasks offered at ${rate}/s for ${options.seconds} s: change committed → audit consumer committed`,
          throughput: paced.rps,
          latency: latencyOf(stats),
          extra: {
            events: times.length,
            lost,
            'max outbox backlog': maxBacklog,
            'max backlog s': Math.round(maxBacklogSeconds * 100) / 100,
            'POST p99 ms': Math.round(paced.p99),
          },
        },
        ...hops.rows,
      ],
      breakdown: [
        `top rate run: ${Math.round(top.rps)} POST/s; its backlog (${afterTop} events) was relayed before the paced run`,
        `paced run: ${written[0].n} events written (${eventsPerSecond.toFixed(0)}/s), ${samples.length} backlog samples, max ${maxBacklog} unpublished (${maxBacklogSeconds.toFixed(2)} s of events), ${drainedAfter} still unpublished when the load stopped`,
        hops.dominant,
        `paced run: ${describeCores(cores)}; ${database}`,
      ],
    };
  } finally {
    await client.end();
    await app.stop();
  }
}

/** One autocannon request that creates a task, each time as the next user. */
function createRequests(tokens: readonly string[]): Request[] {
  let next = 0;
  return [
    {
      method: 'POST',
      path: '/api/v1/tasks',
      body: JSON.stringify({ title: 'event pipeline at full load' }),
      setupRequest: (request: Request) => ({
        ...request,
        headers: {
          authorization: `Bearer ${tokens[next++ % tokens.length]}`,
          'content-type': 'application/json',
        },
      }),
    },
  ];
}

/** The run's events once the audit consumer committed all of them (or after 2 minutes, with the missing ones). */
async function waitForAudit(client: Client, afterId: string) {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const times = await eventTimes(client, afterId);
    if (times.every((t) => t.consumerCommitted !== null) || Date.now() > deadline) return times;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
