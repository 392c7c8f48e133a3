import { kcatAvailable, startKcatMockCluster } from '@todo/testing';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describeCores, startCpuAccounting } from '../harness/cpu-usage';
import { withClient } from '../harness/database';
import { outboxDrained } from '../harness/outbox';
import { startStandalone } from '../harness/standalone-process';
import { registerUsers } from '../harness/users';
import type { Measurement, Section, TargetCheck } from '../results';
import { latencyOf } from '../stats';
import { type DeliveryPlan, type DeliveryResult, measureDelivery } from './measure-delivery';
import { startSocketHolder } from './socket-holder';

export interface RealtimePlan {
  /** Change → other client's screen: users with one watching socket each, changes per second. */
  screen: { users: number; rate: number; seconds: number };
  /** Idle authenticated sockets over `users`, watched for `seconds` (RSS, CPU). */
  idle: { sockets: number; users: number; seconds: number };
  /** Many sockets per user, every one of them receiving each of its user's changes. */
  fanOut: { users: number } & DeliveryPlan;
}

const TARGETS = {
  standaloneP99Ms: 100,
  kafkaP99Ms: 250,
  idleRssMb: 500,
  idleCpuCores: 0.05,
  fanOutP99Ms: 250,
};

/**
 * The realtime path on the real `npm start` bundle (its own process), clients in processes of their
 * own (socket holders), changes written over REST by this process:
 * 1. change → other client's screen, standalone (in-memory transport) and through Kafka (the kcat
 *    mock cluster; skipped with a notice without kcat);
 * 2. `idle.sockets` idle authenticated sockets: the server's RSS and CPU, and (1) again with them open;
 * 3. fan-out: `fanOut.users` users × `socketsPerUser` sockets, `rate` changes per second, every
 *    expected message of every socket counted.
 */
export async function measureRealtime(
  options: {
    databaseUrl: string;
    /** The Node.js binary the app runs on (the socket holders run on the bench's). */
    node: string;
    profile?: (run: (nodeOptions: string[]) => Promise<void>) => Promise<string[]>;
  } & RealtimePlan,
): Promise<Section> {
  const { screen, idle, fanOut } = options;
  const jwtSecret = randomBytes(32).toString('hex'); // shared by both servers: the same users' tokens
  // room for a user's idle sockets plus its watching one, and for the fan-out's sockets
  const env = {
    REALTIME_MAX_CONNECTIONS_PER_USER: String(
      Math.max(Math.ceil(idle.sockets / idle.users) + 1, fanOut.socketsPerUser),
    ),
  };
  const screenPlan = { rate: screen.rate, seconds: screen.seconds, socketsPerUser: 1, clientProcesses: 1 };
  const rows: Measurement[] = [];
  const breakdown: string[] = [];
  const targets: TargetCheck[] = [];
  const describe = (name: string, result: DeliveryResult, lag?: string) =>
    breakdown.push(
      `${name}: POST answered p50 ${result.answered.p50.toFixed(1)} ms, p99 ${result.answered.p99.toFixed(1)} ms; ${describeCores(result.cores)}${lag ? `; ${lag}` : ''}`,
    );

  const app = await startStandalone({ databaseUrl: options.databaseUrl, node: options.node, jwtSecret, env });
  // the watching users, then the idle ones (whose sockets must get none of the changes); the
  // fan-out uses them all
  const userCount = Math.max(screen.users + idle.users, fanOut.users);
  progress(`registering ${userCount} users`);
  const users = await registerUsers(app.url, userCount);
  const watching = users.slice(0, screen.users);
  // a fresh process compiles its hot paths and fills its pools and caches first
  const warmUp = (server: { url: string; pid: number }) =>
    measureDelivery(server, watching, { ...screenPlan, seconds: Math.min(3, screen.seconds) }, 'warm-up');
  // each measured run starts with the event pipeline idle, not behind on the previous step's events
  const settled = () => withClient(options.databaseUrl, outboxDrained);
  try {
    await warmUp(app);
    progress('change → screen, standalone');
    await settled();
    let lag = await lagSnapshot(app.url);
    const alone = await measureDelivery(app, watching, screenPlan, 'standalone');
    describe('standalone', alone, await lagSince(app.url, lag));
    rows.push(alone.row);

    progress(`${idle.sockets} idle sockets, then change → screen with them open`);
    const rssBefore = rssMegabytes(app.pid);
    const holder = await startSocketHolder({
      url: app.url,
      tokens: users.slice(screen.users, screen.users + idle.users).map((user) => user.token),
      sockets: idle.sockets,
    });
    let crowded: DeliveryResult;
    let idleRow: Measurement;
    try {
      await new Promise((resolve) => setTimeout(resolve, 2_000)); // let the open burst settle
      const cpu = startCpuAccounting(app.pid);
      await new Promise((resolve) => setTimeout(resolve, idle.seconds * 1000));
      const cores = cpu();
      const rssAfter = rssMegabytes(app.pid);
      const { open } = await holder.status();
      const thousands = Math.max(open, 1) / 1000;
      idleRow = {
        // its latency: opening a socket → its hello (handshake, token, account), 200 opening at once
        scenario: `${open.toLocaleString('en')} idle authenticated sockets (${idle.users} users): open → hello`,
        latency: latencyOf(holder.ready.handshake),
        extra: {
          'RSS before MB': Math.round(rssBefore),
          'RSS with sockets MB': Math.round(rssAfter),
          'RSS per 1,000 sockets MB': Number(((rssAfter - rssBefore) / thousands).toFixed(1)),
          'idle CPU % of a core': Number((cores.server * 100).toFixed(2)),
          'idle CPU per 1,000 sockets %': Number(((cores.server * 100) / thousands).toFixed(3)),
          'opened per s': Math.round(holder.ready.perSecond),
        },
      };
      breakdown.push(`${open.toLocaleString('en')} idle sockets, ${idle.seconds} s: ${describeCores(cores)}`);
      targets.push({
        target: `${idle.sockets.toLocaleString('en')} idle sockets on one process: RSS < ${TARGETS.idleRssMb} MB, idle CPU < ${TARGETS.idleCpuCores * 100} % of a core`,
        measured: `${open.toLocaleString('en')} open, RSS ${Math.round(rssAfter)} MB (${Math.round(rssBefore)} MB before), idle CPU ${(cores.server * 100).toFixed(2)} % of a core`,
        met: open === idle.sockets && rssAfter < TARGETS.idleRssMb && cores.server < TARGETS.idleCpuCores,
      });
      await settled();
      lag = await lagSnapshot(app.url);
      crowded = await measureDelivery(
        app,
        watching,
        screenPlan,
        `standalone, ${open.toLocaleString('en')} idle sockets open`,
      );
      describe('standalone with idle sockets', crowded, await lagSince(app.url, lag));
    } finally {
      await holder.stop();
    }
    rows.push(crowded.row, idleRow);
    targets.unshift(
      deliveryTarget(
        `change → other client's screen p99 < ${TARGETS.standaloneP99Ms} ms (standalone, alone and with the idle sockets)`,
        [alone, crowded],
        TARGETS.standaloneP99Ms,
      ),
    );

    progress(`fan-out: ${fanOut.users} users × ${fanOut.socketsPerUser} sockets, ${fanOut.rate} changes/s`);
    await settled();
    lag = await lagSnapshot(app.url);
    const fanOutLabel = `standalone, ${fanOut.users.toLocaleString('en')} users × ${fanOut.socketsPerUser} sockets`;
    const spread = await measureDelivery(app, users.slice(0, fanOut.users), fanOut, fanOutLabel);
    describe('fan-out', spread, await lagSince(app.url, lag));
    rows.push(spread.row);
    const fanOutTarget = deliveryTarget(
      `fan-out: ${(fanOut.users * fanOut.socketsPerUser).toLocaleString('en')} sockets over ${fanOut.users.toLocaleString('en')} users at ${fanOut.rate} changes/s: delivery p99 < ${TARGETS.fanOutP99Ms} ms, 0 lost`,
      [spread],
      TARGETS.fanOutP99Ms,
    );
    targets.push(fanOutTarget);
    if (!fanOutTarget.met && options.profile)
      breakdown.push(
        ...(await options.profile(async (nodeOptions) => {
          const profiled = await startStandalone({
            databaseUrl: options.databaseUrl,
            node: options.node,
            jwtSecret,
            env,
            nodeOptions,
          });
          try {
            await measureDelivery(profiled, users.slice(0, fanOut.users), fanOut, `${fanOutLabel}, profiled`);
          } finally {
            await profiled.stop();
          }
        })),
      );
  } finally {
    await app.stop();
  }

  if (kcatAvailable()) {
    progress('change → screen through Kafka (kcat mock cluster)');
    const cluster = await startKcatMockCluster();
    try {
      const kafkaApp = await startStandalone({
        databaseUrl: options.databaseUrl,
        node: options.node,
        jwtSecret,
        env: {
          ...env,
          EVENT_TRANSPORT: 'kafka',
          KAFKA_BROKERS: cluster.brokers,
          KAFKA_GROUP_SUFFIX: `.bench-${Date.now()}`,
        },
      });
      try {
        await warmUp(kafkaApp);
        await settled();
        const lag = await lagSnapshot(kafkaApp.url);
        const kafka = await measureDelivery(kafkaApp, watching, screenPlan, 'Kafka, kcat mock cluster');
        describe('Kafka', kafka, await lagSince(kafkaApp.url, lag));
        rows.splice(1, 0, kafka.row);
        targets.splice(
          1,
          0,
          deliveryTarget(
            `change → other client's screen p99 < ${TARGETS.kafkaP99Ms} ms (Kafka, kcat mock)`,
            [kafka],
            TARGETS.kafkaP99Ms,
          ),
        );
      } finally {
        await kafkaApp.stop();
      }
    } finally {
      await cluster.stop();
    }
  } else
    console.warn(
      '\n*** realtime through Kafka SKIPPED: kcat is not installed (apt-get install -y kcat) ***\n',
    );

  return {
    id: 'realtime',
    title: `Realtime: change → other client's screen at ${screen.rate} changes/s; ${idle.sockets.toLocaleString('en')} idle sockets; fan-out to ${(fanOut.users * fanOut.socketsPerUser).toLocaleString('en')} sockets at ${fanOut.rate} changes/s`,
    rows,
    targets,
    breakdown,
  };
}

const progress = (step: string) => console.log(`  ${step}…`);

function deliveryTarget(target: string, results: readonly DeliveryResult[], limitMs: number): TargetCheck {
  const missed = (result: DeliveryResult) =>
    result.lost + result.misdirected + Number(result.row.extra?.['failed writes'] ?? 0);
  return {
    target,
    measured: results
      .map(
        (result) =>
          `p99 ${result.row.latency.p99.toFixed(1)} ms, ${result.lost} lost, ${result.duplicates} repeated, ${result.misdirected} to another user`,
      )
      .join('; '),
    met: results.every((result) => result.row.latency.p99 < limitMs && missed(result) === 0),
  };
}

/** The server's own delivery lag histogram (`realtime_delivery_lag_seconds`: event time → socket write). */
async function lagSnapshot(url: string): Promise<Map<string, number>> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const series = new Map<string, number>();
  for (const match of text.matchAll(
    /^realtime_delivery_lag_seconds_(bucket\{le="[^"]+"\}|sum|count) (\S+)$/gm,
  ))
    series.set(match[1], Number(match[2]));
  return series;
}

/** The server's share of the path since `before`: mean and the bucket holding the 99th percentile. */
async function lagSince(url: string, before: Map<string, number>): Promise<string> {
  const after = await lagSnapshot(url);
  const delta = (key: string) => (after.get(key) ?? 0) - (before.get(key) ?? 0);
  const count = delta('count');
  if (count === 0) return 'server side: no socket writes recorded';
  const p99Bucket = [...after.keys()]
    .filter((key) => key.startsWith('bucket'))
    .find((key) => delta(key) >= 0.99 * count)
    ?.replace(/bucket\{le="([^"]+)"\}/, '$1');
  return `server side, event created → socket write: mean ${((delta('sum') / count) * 1000).toFixed(1)} ms, p99 ≤ ${p99Bucket === '+Inf' ? '∞' : `${Number(p99Bucket) * 1000} ms`} over ${count} writes`;
}

/** Resident memory of a process, from /proc (NaN where /proc is missing). */
function rssMegabytes(pid: number): number {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
}
