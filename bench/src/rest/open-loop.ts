import { Agent, request } from 'node:http';
import { latencyOf, summarize } from '../stats';
import type { LoadResult } from '../harness/load';

/** One user's place in the mixed-CRUD cycle (the same cycle as the closed-loop runs). */
interface VirtualUser {
  token: string;
  step: number;
  taskNumber?: number;
}

const STEPS = ['create', 'get', 'rename', 'complete', 'list'] as const;

/**
 * An open-loop load: requests arrive at a fixed rate whether or not earlier ones were answered (as
 * users arrive), unlike autocannon's connections, which wait for an answer before sending again.
 * Each arrival takes the next idle user's next step of the mixed-CRUD cycle; when every user is
 * busy it waits for one. Latency counts from the arrival's scheduled time, so waiting (for a user,
 * a socket or the server) is part of it and a slow server cannot hide behind fewer arrivals.
 */
export async function runOpenLoop(options: {
  url: string;
  tokens: readonly string[];
  rate: number;
  seconds: number;
}): Promise<LoadResult> {
  const base = new URL(options.url);
  const agent = new Agent({ keepAlive: true, maxSockets: options.tokens.length });
  const idle: VirtualUser[] = options.tokens.map((token) => ({ token, step: 0 }));
  const queued: number[] = [];
  const latencies: number[] = [];
  let failures = 0;
  let inFlight = 0;
  let finish!: () => void;
  const finished = new Promise<void>((resolve) => (finish = resolve));
  const total = Math.round(options.rate * options.seconds);
  const start = performance.now();
  let sent = 0;

  const send = (user: VirtualUser, scheduled: number) => {
    inFlight++;
    const step = STEPS[user.step % STEPS.length];
    const task = `/api/v1/tasks/${user.taskNumber}`;
    const [method, path, body] =
      step === 'create'
        ? [
            'POST',
            '/api/v1/tasks',
            { title: 'Buy milk', priority: 'high', tags: ['home'], due: '2030-01-01T10:00:00Z' },
          ]
        : step === 'get'
          ? ['GET', task, undefined]
          : step === 'rename'
            ? ['PATCH', task, { title: 'Buy oat milk' }]
            : step === 'complete'
              ? ['POST', `${task}/complete`, undefined]
              : ['GET', '/api/v1/tasks?limit=20', undefined];
    const text = body && JSON.stringify(body);
    const req = request(
      {
        agent,
        host: base.hostname,
        port: base.port,
        method,
        path,
        headers: {
          authorization: `Bearer ${user.token}`,
          ...(text && { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) }),
        },
      },
      (response) => {
        let answer = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (answer += chunk));
        response.on('end', () => {
          latencies.push(performance.now() - scheduled);
          const status = response.statusCode ?? 0;
          if (status >= 300) failures++;
          if (step === 'create' && status === 201)
            user.taskNumber = (JSON.parse(answer) as { number: number }).number;
          done(user);
        });
      },
    );
    req.on('error', () => {
      failures++;
      done(user);
    });
    req.end(text);
  };

  const done = (user: VirtualUser) => {
    inFlight--;
    user.step++;
    const waiting = queued.shift();
    if (waiting !== undefined) send(user, waiting);
    else idle.push(user);
    if (sent === total && inFlight === 0) finish();
  };

  const arrive = () => {
    const now = performance.now();
    while (sent < total && start + (sent * 1000) / options.rate <= now) {
      const scheduled = start + (sent * 1000) / options.rate;
      sent++;
      const user = idle.shift();
      if (user) send(user, scheduled);
      else queued.push(scheduled);
    }
    if (sent < total)
      setTimeout(arrive, Math.max(0, start + (sent * 1000) / options.rate - performance.now()));
  };
  arrive();
  await finished;
  agent.destroy();
  if (failures)
    throw new Error(`open loop at ${options.rate} req/s against ${options.url}: ${failures} failed requests`);
  const elapsed = (performance.now() - start) / 1000;
  const stats = summarize(latencies);
  return { requests: stats.count, rps: stats.count / elapsed, ...latencyOf(stats) };
}
