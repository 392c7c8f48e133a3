import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { createTask } from '../events/measure-event-path';
import { describeCores, startCpuAccounting } from '../harness/cpu-usage';
import { startStandalone } from '../harness/standalone-process';
import { registerUsers } from '../harness/users';
import type { Measurement, Section } from '../results';
import { latencyOf, summarize } from '../stats';
import { openSocket, startIdleSockets } from './idle-sockets';

export interface RealtimePlan {
  /** Users whose second client watches the changes the first one makes over REST. */
  activeUsers: number;
  /** Changes per second (REST writes), and for how long. */
  rate: number;
  seconds: number;
  /** Idle authenticated sockets held open, spread over `idleUsers`. */
  idleSockets: number;
  idleUsers: number;
  /** How long the idle sockets are watched for CPU (one heartbeat interval in a full run). */
  idleSeconds: number;
}

/**
 * The realtime path on the real `npm start` bundle: a change made over REST → the task message on
 * another client's socket (same user), measured from the moment the POST is sent. Then
 * `idleSockets` authenticated sockets are opened and left idle: the server's RSS and CPU, and the
 * same change → screen latency again with them all connected.
 */
export async function measureRealtime(options: { databaseUrl: string } & RealtimePlan): Promise<Section> {
  const perUser = Math.ceil(options.idleSockets / options.idleUsers);
  const app = await startStandalone({
    databaseUrl: options.databaseUrl,
    env: { REALTIME_MAX_CONNECTIONS_PER_USER: String(perUser) },
  });
  let idle: Awaited<ReturnType<typeof startIdleSockets>> | undefined;
  try {
    const active = await registerUsers(app.url, options.activeUsers);
    const idleUsers = await registerUsers(app.url, options.idleUsers);
    const alone = await changeToScreen(app.url, active, options, 'only the watching sockets open');

    const rssBefore = rssMegabytes(app.pid);
    const tokens = idleUsers.map((user) => user.token);
    idle = await startIdleSockets(app.url, tokens, options.idleSockets);
    await new Promise((resolve) => setTimeout(resolve, 2_000)); // let the open burst settle
    const cpu = startCpuAccounting(app.pid);
    await new Promise((resolve) => setTimeout(resolve, options.idleSeconds * 1000));
    const cores = cpu();
    const rssAfter = rssMegabytes(app.pid);
    const { open } = await idle.check();
    const crowded = await changeToScreen(
      app.url,
      active,
      options,
      `${open.toLocaleString('en')} idle sockets open`,
    );

    const idleRow: Measurement = {
      // its latency: opening a socket → its hello (handshake, token, account), 200 opening at once
      scenario: `${open.toLocaleString('en')} idle authenticated sockets (${options.idleUsers} users): open → hello`,
      latency: latencyOf(idle.first.handshake),
      extra: {
        'RSS before MB': Math.round(rssBefore),
        'RSS with sockets MB': Math.round(rssAfter),
        'KB per socket': Math.round(((rssAfter - rssBefore) * 1024) / Math.max(open, 1)),
        'idle CPU cores': Number(cores.server.toFixed(3)),
        'opened per s': Math.round(idle.first.perSecond),
      },
    };
    const p99 = Math.max(alone.latency.p99, crowded.latency.p99);
    return {
      id: 'realtime',
      title: `Realtime: change → other client's screen at ${options.rate} changes/s; ${options.idleSockets.toLocaleString('en')} idle sockets`,
      rows: [alone, crowded, idleRow],
      targets: [
        {
          target: "change → other client's screen p99 < 100 ms (standalone)",
          measured: `p99 ${alone.latency.p99.toFixed(1)} ms alone, ${crowded.latency.p99.toFixed(1)} ms with ${open.toLocaleString('en')} idle sockets; ${alone.extra?.['lost']} + ${crowded.extra?.['lost']} lost`,
          met: p99 < 100 && alone.extra?.['lost'] === 0 && crowded.extra?.['lost'] === 0,
        },
        {
          target: `${options.idleSockets.toLocaleString('en')} connections on one process, RSS < 500 MB`,
          measured: `${open.toLocaleString('en')} open, RSS ${Math.round(rssAfter)} MB (${Math.round(rssBefore)} MB before), idle CPU ${cores.server.toFixed(3)} cores`,
          met: open === options.idleSockets && rssAfter < 500,
        },
      ],
      breakdown: [`while idle: ${describeCores(cores)}`, await serverSideLag(app.url)],
    };
  } finally {
    await idle?.stop();
    await app.stop();
  }
}

/** REST writes at `rate` spread over the users; each user's watching socket records when its change arrives. */
async function changeToScreen(
  url: string,
  users: ReadonlyArray<{ token: string }>,
  plan: RealtimePlan,
  label: string,
): Promise<Measurement> {
  const run = `rt ${process.pid}-${Date.now()}`;
  const arrivals = new Map<string, number>();
  const screens = await Promise.all(users.map((user) => openSocket(url, user.token)));
  for (const screen of screens)
    screen.on('message', (data) => {
      const at = performance.now();
      const message = JSON.parse(data.toString()) as { type: string; task?: { title: string } };
      if (message.type === 'task' && message.task?.title.startsWith(run))
        arrivals.set(message.task.title, at);
    });
  const sent = new Map<string, number>();
  const total = plan.rate * plan.seconds;
  const writes: Array<Promise<void>> = [];
  const t0 = performance.now();
  for (let i = 0; i < total; i++) {
    const wait = t0 + (i * 1000) / plan.rate - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const title = `${run} #${i}`;
    sent.set(title, performance.now());
    writes.push(createTask(url, users[i % users.length].token, title));
  }
  await Promise.all(writes);
  const deadline = performance.now() + 10_000;
  while (arrivals.size < total && performance.now() < deadline)
    await new Promise((resolve) => setTimeout(resolve, 20));
  for (const screen of screens) screen.close();
  const latencies = [...sent].flatMap(([title, at]) => {
    const arrived = arrivals.get(title);
    return arrived === undefined ? [] : [arrived - at];
  });
  return {
    scenario: `POST /tasks → task message on another socket of the user (${label})`,
    throughput: plan.rate,
    latency: latencyOf(summarize(latencies)),
    extra: { changes: total, lost: total - latencies.length },
  };
}

/** The server's own view (`realtime_delivery_lag_seconds`): event time (in the write's transaction) → socket write. */
async function serverSideLag(url: string): Promise<string> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const figure = (name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1]);
  const sum = figure('realtime_delivery_lag_seconds_sum');
  const count = figure('realtime_delivery_lag_seconds_count');
  return `server side, event created → socket write: mean ${((sum / count) * 1000).toFixed(1)} ms over ${count} writes (the rest of the path is the POST until its commit, and the client reading)`;
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
