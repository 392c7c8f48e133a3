import { randomBytes } from 'node:crypto';
import type { Client } from 'pg';
import { withClient } from '../harness/database';
import { loadMeasurement, runLoad } from '../harness/load';
import { outboxDrained, pendingOutboxEvents } from '../harness/outbox';
import { startStandalone } from '../harness/standalone-process';
import { registerUsers } from '../harness/users';
import type { Section } from '../results';
import { crudSequence } from './crud-sequence';
import { runOpenLoop } from './open-loop';

/** Shares of the top rate the open-loop runs arrive at (issue 19). */
export const OPEN_LOOP_SHARES = [0.1, 0.25, 0.5, 0.75, 0.9] as const;

export interface OpenLoopOptions {
  databaseUrl: string;
  /** The Node.js binary the app runs on. */
  node: string;
  users: number;
  connections: number;
  seconds: number;
}

/**
 * Latency under a realistic load: first the app's top rate (closed loop, as fast as it answers),
 * then requests arriving at a fixed rate at shares of it (open loop), the same mixed-CRUD cycle.
 * The section's rows are latency against achieved throughput (charted as `latest-<mode>-open-loop.svg`).
 */
export async function measureOpenLoop(options: OpenLoopOptions): Promise<Section> {
  const app = await startStandalone({
    databaseUrl: options.databaseUrl,
    node: options.node,
    jwtSecret: randomBytes(32).toString('hex'),
  });
  try {
    const tokens = (await registerUsers(app.url, options.users)).map((user) => user.token);
    const closed = (seconds: number) =>
      runLoad({
        label: `REST load against ${app.url}`,
        url: app.url,
        connections: options.connections,
        duration: seconds,
        requests: crudSequence(tokens),
      });
    await closed(Math.min(5, options.seconds)); // warm-up: JIT, pools, caches
    const top = await closed(options.seconds);
    const rows = [loadMeasurement('closed loop, as fast as it answers (the top rate)', top)];
    const outbox = <T>(read: (client: Client) => Promise<T>) => withClient(options.databaseUrl, read);
    for (const share of OPEN_LOOP_SHARES) {
      const rate = Math.max(1, Math.round(top.rps * share));
      // Each rate starts from a drained outbox: the run before (the top rate above all) leaves a
      // backlog whose relaying would otherwise be measured as this rate's latency.
      await outbox(outboxDrained);
      const result = await runOpenLoop({ url: app.url, tokens, rate, seconds: options.seconds });
      rows.push(
        loadMeasurement(`open loop at ${share * 100}% of the top rate (${rate} req/s)`, result, {
          share: share * 100,
          'arrival rate': rate,
          // whether the event pipeline kept up at this rate
          'outbox left': await outbox(pendingOutboxEvents),
        }),
      );
    }
    const at = (share: number) => rows.find((row) => row.extra?.['share'] === share * 100);
    const check = (share: number, limit: number) => {
      const rowsUpTo = rows.filter((row) => Number(row.extra?.['share'] ?? 101) <= share * 100);
      const worst = Math.max(...rowsUpTo.map((row) => row.latency.p99));
      return {
        target: `open-loop p99 < ${limit} ms up to ${share * 100}% of the top rate`,
        measured: `worst p99 ${worst.toFixed(1)} ms (at ${share * 100}%: ${at(share)?.latency.p99.toFixed(1)} ms)`,
        met: worst < limit,
      };
    };
    return {
      id: 'open-loop',
      title: `REST mixed CRUD in an open loop (${options.users} users, ${options.seconds} s per rate)`,
      rows,
      targets: [check(0.5, 50), check(0.75, 150)],
    };
  } finally {
    await app.stop();
  }
}
