import { randomBytes } from 'node:crypto';
import { type CoresUsed, describeCores } from '../harness/cpu-usage';
import { withClient } from '../harness/database';
import { loadMeasurement, type LoadResult, runLoad } from '../harness/load';
import { type Observed, observe } from '../harness/observe';
import { outboxDrained, pendingOutboxEvents } from '../harness/outbox';
import { startServerProcess } from '../harness/server-process';
import { startStandalone } from '../harness/standalone-process';
import { registerUsers } from '../harness/users';
import type { Section } from '../results';
import { crudSequence } from './crud-sequence';
import { measurePreparedStatements } from './measure-prepared';

export interface RestOptions {
  databaseUrl: string;
  /** The Node.js binary of the app and of the baselines (the same, so that their ratio is fair). */
  node: string;
  users: number;
  connections: number;
  seconds: number;
  /** The rate of the latency target (ARCHITECTURE §9: p99 < 50 ms at ≥ 2,000 req/s). */
  targetRate: number;
  /** Runs per statement when timing the hot statements unprepared and prepared. */
  preparedRuns: number;
  /** Writes a CPU profile of a separate app run here when a target is missed. */
  profile?: (run: (nodeOptions: string[]) => Promise<void>) => Promise<string[]>;
}

/**
 * REST mixed CRUD against the standalone app, then the same sequence against the bare baseline
 * server on the same database and the same users. Both run in their own process; autocannon runs
 * here. Any non-2xx answer fails the scenario: a benchmark of errors measures nothing.
 */
export async function measureRest(options: RestOptions): Promise<Section> {
  const jwtSecret = randomBytes(32).toString('hex');
  const env = { DATABASE_URL: options.databaseUrl, JWT_SECRET: jwtSecret };
  const app = await startStandalone({ databaseUrl: options.databaseUrl, node: options.node, jwtSecret });
  let tokens: string[];
  let userId: string;
  let appRun: Observed<LoadResult>;
  let paced: LoadResult;
  let backlog: number;
  let halfLoad: LoadResult;
  try {
    const users = await registerUsers(app.url, options.users);
    tokens = users.map((user) => user.token);
    userId = users[0].id;
    await hammer(app.url, tokens, options, Math.min(5, options.seconds)); // warm-up: JIT, pools, caches
    appRun = await observe(options.databaseUrl, app.pid, () =>
      hammer(app.url, tokens, options, options.seconds),
    );
    backlog = await withClient(options.databaseUrl, pendingOutboxEvents);
    // The paced runs start from a drained outbox, so they do not measure the relaying of the
    // backlog the saturated run left (the open-loop scenario shows whether a rate keeps up).
    await withClient(options.databaseUrl, outboxDrained);
    paced = await hammer(app.url, tokens, options, options.seconds, options.targetRate);
    await withClient(options.databaseUrl, outboxDrained);
    // The latency of a load the app sustains with room to spare, next to the target's rate.
    halfLoad = await hammer(app.url, tokens, options, options.seconds, Math.round(appRun.value.rps / 2));
  } finally {
    await app.stop();
  }
  const preparedSavings = await measurePreparedStatements(options.databaseUrl, userId, options.preparedRuns);
  const baselines: Record<BaselineSql, Observed<LoadResult>> = {
    'before-issue-19': await measureBaseline('before-issue-19', env, tokens, options),
    current: await measureBaseline('current', env, tokens, options),
  };
  const baselineRun = baselines['before-issue-19'];

  // CPU time per answer: a steadier figure than req/s on a busy machine (it does not count waiting).
  const measured = (scenario: string, result: LoadResult, cores?: CoresUsed) =>
    loadMeasurement(scenario, result, {
      requests: result.requests,
      ...(cores && { [SERVER_CPU_PER_REQUEST]: serverCpuMsPerRequest(cores, result) }),
    });
  const [saturated, baseline] = [appRun.value, baselineRun.value];
  const ratio = saturated.rps / baseline.rps;
  const latencyMet = paced.rps >= options.targetRate * 0.97 && paced.p99 < 50;
  const ratioMet = ratio >= 1;
  const section: Section = {
    id: 'rest',
    title: `REST mixed CRUD (create, get, update, complete, list; ${options.connections} connections, ${options.users} users)`,
    rows: [
      measured('todo app, as fast as it answers', saturated, appRun.cores),
      measured(`todo app, paced at ${options.targetRate.toLocaleString('en')} req/s`, paced),
      measured(`todo app, paced at half its top rate`, halfLoad),
      measured('baseline: bare node:http + pg, the SQL before issue 19', baseline, baselineRun.cores),
      measured(
        'baseline: bare node:http + pg, the SQL the app runs now',
        baselines.current.value,
        baselines.current.cores,
      ),
    ],
    targets: [
      {
        target: `p99 < 50 ms at ≥ ${options.targetRate.toLocaleString('en')} req/s`,
        measured: `p99 ${paced.p99.toFixed(1)} ms at ${Math.round(paced.rps).toLocaleString('en')} req/s`,
        met: latencyMet,
      },
      {
        target: '≥ 100% of the bare baseline’s throughput (the SQL before issue 19)',
        measured: `${(ratio * 100).toFixed(0)}% (${Math.round(saturated.rps)} vs ${Math.round(baseline.rps)} req/s)`,
        met: ratioMet,
      },
    ],
  };
  section.breakdown = [
    `app at saturation, ${describeCores(appRun.cores)}`,
    `baseline at saturation, ${describeCores(baselineRun.cores)}`,
    `app run, ${appRun.database}`,
    `app run: the event relay and consumers share the cores with the requests; ${backlog} events were still waiting in the outbox when the run ended`,
    `baseline run (SQL before issue 19), ${baselineRun.database}`,
    `baseline run (the SQL now), ${describeCores(baselines.current.cores)}; ${baselines.current.database}`,
    preparedSavings,
  ];
  if ((!latencyMet || !ratioMet) && options.profile) {
    section.breakdown.push(
      ...(await options.profile(async (nodeOptions) => {
        const profiled = await startStandalone({
          databaseUrl: options.databaseUrl,
          node: options.node,
          jwtSecret,
          nodeOptions,
        });
        try {
          await hammer(profiled.url, tokens, options, options.seconds);
        } finally {
          await profiled.stop();
        }
      })),
    );
  }
  return section;
}

type BaselineSql = 'before-issue-19' | 'current';

const SERVER_CPU_PER_REQUEST = 'server CPU ms/request';

/** The server process's CPU time (user + system) per answer during a saturated run. */
function serverCpuMsPerRequest(cores: CoresUsed, result: LoadResult): number {
  return (cores.server * 1000) / result.rps;
}

/** The bare baseline server with the given SQL, warmed up, then at saturation. */
async function measureBaseline(
  sql: BaselineSql,
  env: Record<string, string>,
  tokens: string[],
  options: RestOptions,
): Promise<Observed<LoadResult>> {
  const server = await startServerProcess({
    name: `baseline (${sql})`,
    node: options.node,
    args: [process.argv[1], '--baseline-server'], // this bench's own bundle
    env: { PATH: process.env['PATH'], ...env, BASELINE_SQL: sql },
  });
  try {
    await hammer(server.url, tokens, options, Math.min(5, options.seconds));
    return await observe(options.databaseUrl, server.pid, () =>
      hammer(server.url, tokens, options, options.seconds),
    );
  } finally {
    await server.stop();
    await discardBaselineEvents(options.databaseUrl);
  }
}

async function hammer(
  url: string,
  tokens: string[],
  options: RestOptions,
  seconds: number,
  overallRate?: number,
): Promise<LoadResult> {
  return runLoad({
    label: `REST load against ${url}`,
    url,
    connections: options.connections,
    duration: seconds,
    overallRate,
    requests: crudSequence(tokens),
  });
}

/**
 * The baseline writes outbox rows as the app does, but they are stand-ins, not CloudEvents, and it
 * has no relay: mark them published so the next app started on this database does not relay them
 * (its consumers would dead-letter every one).
 */
async function discardBaselineEvents(databaseUrl: string): Promise<void> {
  await withClient(databaseUrl, (client) =>
    client.query(`UPDATE outbox SET published_at = now() WHERE published_at IS NULL`),
  );
}
