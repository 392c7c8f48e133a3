import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { createTask } from '../events/measure-event-path';
import { type CoresUsed, startCpuAccounting } from '../harness/cpu-usage';
import type { Measurement } from '../results';
import { latencyOf, summarize } from '../stats';
import {
  changeTitle,
  epochMs,
  type HolderReport,
  type SocketHolder,
  startSocketHolder,
} from './socket-holder';

export interface DeliveryPlan {
  /** Changes per second (REST writes, round robin over the users), and for how long. */
  rate: number;
  seconds: number;
  /** Sockets each user has open, all watching; none of them made the change. */
  socketsPerUser: number;
  /** Processes the sockets are spread over. */
  clientProcesses: number;
}

export interface DeliveryResult {
  row: Measurement;
  lost: number;
  duplicates: number;
  misdirected: number;
  /** CPU while the changes were written and delivered. */
  cores: CoresUsed;
  /** `POST /tasks` sent → answered (committed), ms. */
  answered: ReturnType<typeof summarize>;
}

/**
 * Change → other client's screen, for every socket of the user: REST writes from this process at
 * `rate`, each one a task whose title names its user, sequence number and send time; holder
 * processes keep `socketsPerUser` sockets of every user open and time each task message they read.
 * Every expected (socket, change) pair is counted: lost (not received once no more arrive for
 * 10 s), repeated, or delivered to another user.
 */
export async function measureDelivery(
  server: { url: string; pid: number },
  users: ReadonlyArray<{ token: string }>,
  plan: DeliveryPlan,
  label: string,
): Promise<DeliveryResult> {
  const sockets = users.length * plan.socketsPerUser;
  if (sockets % (plan.clientProcesses * users.length) !== 0)
    throw new Error('each client process must hold the same number of sockets of every user');
  const run = `rt-${randomBytes(4).toString('hex')}`;
  const tokens = users.map((user) => user.token);
  const holders = await Promise.all(
    Array.from({ length: plan.clientProcesses }, () =>
      startSocketHolder({ url: server.url, tokens, sockets: sockets / plan.clientProcesses, run }),
    ),
  );
  try {
    const cpu = startCpuAccounting(
      server.pid,
      holders.map((holder) => holder.pid),
    );
    const total = plan.rate * plan.seconds;
    const sentTo: number[][] = users.map(() => []);
    const answered: number[] = [];
    let failedWrites = 0;
    const writes: Array<Promise<void>> = [];
    const t0 = performance.now();
    for (let seq = 0; seq < total; seq++) {
      const wait = t0 + (seq * 1000) / plan.rate - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      const user = seq % users.length;
      const sentAt = epochMs();
      writes.push(
        createTask(server.url, users[user].token, changeTitle(run, user, seq, sentAt)).then(
          () => {
            sentTo[user].push(seq);
            answered.push(epochMs() - sentAt);
          },
          () => void failedWrites++,
        ),
      );
    }
    await Promise.all(writes);
    const achievedRate = total / ((performance.now() - t0) / 1000);
    const expected = sentTo.reduce((sum, seqs) => sum + seqs.length, 0) * plan.socketsPerUser;
    await awaitStragglers(holders, expected);
    const cores = cpu();
    const reports = await Promise.all(holders.map((holder) => holder.report()));
    const counted = countDeliveries(reports, sentTo);
    const closed = reports.reduce(
      (sum, report) => sum + Object.values(report.closes).reduce((a, b) => a + b, 0),
      0,
    );
    return {
      ...counted,
      cores,
      answered: summarize(answered),
      row: {
        scenario: `POST /tasks → task message on ${plan.socketsPerUser === 1 ? 'another socket' : `each of ${plan.socketsPerUser} other sockets`} of the user (${label})`,
        throughput: Math.round(achievedRate),
        latency: latencyOf(summarize(reports.flatMap((report) => report.latencies))),
        extra: {
          changes: total,
          deliveries: expected,
          lost: counted.lost,
          duplicates: counted.duplicates,
          'to another user': counted.misdirected,
          'failed writes': failedWrites,
          'sockets closed': closed,
        },
      },
    };
  } finally {
    await Promise.all(holders.map((holder) => holder.stop()));
  }
}

/** Late messages still count (in the latencies); one not received by then is lost. */
const STRAGGLERS = { quietMs: 10_000, maxMs: 120_000 };

/** Waits until every expected message arrived, or none arrived for `quietMs` (or `maxMs` passed). */
async function awaitStragglers(holders: readonly SocketHolder[], expected: number): Promise<void> {
  const started = performance.now();
  let last = { received: -1, at: started };
  for (;;) {
    const statuses = await Promise.all(holders.map((holder) => holder.status()));
    const received = statuses.reduce((sum, status) => sum + status.received, 0);
    const now = performance.now();
    if (received >= expected || now - started > STRAGGLERS.maxMs) return;
    if (received > last.received) last = { received, at: now };
    else if (now - last.at > STRAGGLERS.quietMs) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Every socket must have received every change of its user once, and nothing else. */
function countDeliveries(reports: readonly HolderReport[], sentTo: readonly number[][]) {
  let lost = 0;
  let duplicates = 0;
  let misdirected = 0;
  for (const report of reports) {
    misdirected += report.misdirected;
    for (const socket of report.sockets) {
      const seen = new Set(socket.seqs);
      duplicates += socket.seqs.length - seen.size;
      lost += sentTo[socket.user].filter((seq) => !seen.has(seq)).length;
    }
  }
  return { lost, duplicates, misdirected };
}
