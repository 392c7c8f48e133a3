import { ApiClient } from '@todo/testing';
import type { Request } from 'autocannon';
import { availableParallelism, loadavg } from 'node:os';
import { type CoresUsed, describeCores, startCpuAccounting } from '../harness/cpu-usage';
import { loadMeasurement, type LoadResult, runLoad } from '../harness/load';
import type { Measurement, Section, TargetCheck } from '../results';
import { formatMs } from '../report/format';
import { median } from '../stats';
import { explainRequest, type QueryPlan } from './explain';
import { planQueries, type PlannedRequest, type QueryKind, type SearchUser } from './search-queries';

interface MeasureSearchOptions {
  /** Concurrent HTTP connections (each request carries the token of the user it is for). */
  connections: number;
  /** Seconds of load per query kind, after a short warm-up. */
  seconds: number;
  /** Tasks each user has (for the title and the deep page's position). */
  perUser: number;
  /**
   * PostgreSQL's own time per query kind (EXPLAIN ANALYZE) for the rows and the breakdown of a miss,
   * and most users' deep cursors made from the database rather than paged to (`planQueries`).
   */
  databaseUrl: string;
  /** The app's process id: where the CPU went during each run, for the breakdown of a miss. */
  serverPid: number;
  log?: (line: string) => void;
}

const SEARCH_TARGET = { p95Ms: 50, tasks: 1_000_000 } as const;

const EXPLAINED_PER_KIND = 5;
const UNLOADED_RUNS = 10;
const PLAN_LINES = 16;

interface KindResult {
  kind: QueryKind;
  load: LoadResult;
  avgRows: number;
  cores: CoresUsed;
  /** The machine's 1-minute load average when the run ended: how much else wanted the cores. */
  load1: number;
  /** The kind's sample requests under EXPLAIN ANALYZE, slowest last. */
  plans: Array<{ request: PlannedRequest; plan: QueryPlan }>;
}

/**
 * Search and filter latency over REST against the running app: keyword search, tag + due range,
 * overdue by priority and a deep keyset page, each under `connections` concurrent requests spread
 * over all users. Every response must be a 200 with rows, or the run fails.
 */
export async function measureSearch(
  baseUrl: string,
  users: readonly SearchUser[],
  options: MeasureSearchOptions,
): Promise<Section> {
  const log = options.log ?? (() => undefined);
  const started = performance.now();
  const kinds = await planQueries(baseUrl, users, options.perUser, options.databaseUrl);
  log(`planned the queries in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  const results: KindResult[] = [];
  for (const kind of kinds) {
    await loadKind(baseUrl, kind, options.connections, Math.max(0.5, options.seconds / 10)); // warm-up
    const cpu = startCpuAccounting(options.serverPid);
    const { load, avgRows } = await loadKind(baseUrl, kind, options.connections, options.seconds);
    const cores = cpu();
    const load1 = loadavg()[0];
    const plans = await explainSamples(options.databaseUrl, kind);
    results.push({ kind, load, avgRows, cores, load1, plans });
    log(
      `${kind.scenario}: p50 ${formatMs(load.p50)}, p95 ${formatMs(load.p95)}, ${load.rps.toFixed(0)} req/s`,
    );
  }

  const tasks = users.length * options.perUser;
  const rows: Measurement[] = results.map(({ kind, load, avgRows, plans, cores, load1 }) =>
    loadMeasurement(kind.scenario, load, {
      requests: load.requests,
      'distinct queries': kind.requests.length,
      'avg rows': Number(avgRows.toFixed(1)),
      'db ms (EXPLAIN)': Number(dbMs(plans).toFixed(2)),
      // What 2 cores shared by 10 connections run out of: CPU per request, not one query's latency.
      'db CPU ms/req': Number(((cores.postgres * 1000) / load.rps).toFixed(2)),
      'app CPU ms/req': Number(((cores.server * 1000) / load.rps).toFixed(2)),
      'load avg': Number(load1.toFixed(1)),
    }),
  );
  const worst = results.reduce((a, b) => (b.load.p95 > a.load.p95 ? b : a));
  const target: TargetCheck = {
    target: `search p95 < ${SEARCH_TARGET.p95Ms} ms over ${SEARCH_TARGET.tasks.toLocaleString('en-US')} tasks`,
    measured:
      `worst p95 ${formatMs(worst.load.p95)} (${worst.kind.scenario}) over ${tasks.toLocaleString('en-US')} tasks` +
      (tasks < SEARCH_TARGET.tasks ? ' — fewer tasks than the target names, so no verdict' : ''),
    met: worst.load.p95 < SEARCH_TARGET.p95Ms && tasks >= SEARCH_TARGET.tasks,
  };
  const missed = results.filter((result) => result.load.p95 >= SEARCH_TARGET.p95Ms);
  const breakdown: string[] = [];
  for (const result of missed) breakdown.push(...(await explainMiss(baseUrl, result, options)));
  return {
    id: 'search',
    title: `Search and filters over ${tasks.toLocaleString('en-US')} tasks (${users.length} users × ${options.perUser.toLocaleString('en-US')})`,
    rows,
    targets: [target],
    ...(breakdown.length ? { breakdown } : {}),
  };
}

/** One autocannon run cycling through the kind's requests; fails on any error, non-200 or empty page. */
async function loadKind(
  baseUrl: string,
  kind: QueryKind,
  connections: number,
  seconds: number,
): Promise<{ load: LoadResult; avgRows: number }> {
  let next = 0;
  let pages = 0;
  let rows = 0;
  let empty = 0;
  let unreadable = 0;
  const samples: string[] = [];
  const request: Request = {
    method: 'GET',
    setupRequest: (req) => {
      const planned = kind.requests[next++ % kind.requests.length];
      return {
        ...req,
        path: planned.path,
        headers: { ...req.headers, authorization: `Bearer ${planned.user.token}` },
      };
    },
    onResponse: (status, body) => {
      if (status !== 200) {
        if (samples.length < 3) samples.push(`${status} ${body.slice(0, 300)}`);
        return;
      }
      try {
        const count = (JSON.parse(body) as { items: unknown[] }).items.length;
        pages += 1;
        rows += count;
        if (!count) empty += 1;
      } catch {
        unreadable += 1;
      }
    },
  };
  const label = `search bench, ${kind.scenario}`;
  // the first non-200 answers say why a run failed
  const withSamples = (message: string) => (samples.length ? `${message}: ${samples.join(' | ')}` : message);
  const load = await runLoad({
    label,
    url: baseUrl,
    connections,
    duration: seconds,
    requests: [request],
  }).catch((error: Error) => {
    throw new Error(withSamples(error.message));
  });
  if (empty || unreadable || !pages)
    throw new Error(
      withSamples(
        `${label}: ${empty} empty pages, ${unreadable} unreadable bodies of ${load.requests} responses`,
      ),
    );
  return { load, avgRows: rows / pages };
}

/** EXPLAIN ANALYZE of a few of the kind's requests (different users and variants), slowest last. */
async function explainSamples(databaseUrl: string, kind: QueryKind): Promise<KindResult['plans']> {
  const step = Math.max(1, Math.floor(kind.requests.length / EXPLAINED_PER_KIND));
  const picked = kind.requests.filter((_, i) => i % step === 0).slice(0, EXPLAINED_PER_KIND);
  const plans: KindResult['plans'] = [];
  for (const request of picked) plans.push({ request, plan: await explainRequest(databaseUrl, request) });
  return plans.sort((a, b) => totalMs(a.plan) - totalMs(b.plan));
}

const totalMs = (plan: QueryPlan) => plan.executionMs + plan.planningMs;
const dbMs = (plans: KindResult['plans']) => median(plans.map(({ plan }) => totalMs(plan)));

/** Median time of the request made alone, `UNLOADED_RUNS` times. */
async function unloadedMs(api: ApiClient, path: string, token: string): Promise<number> {
  const times: number[] = [];
  for (let run = 0; run < UNLOADED_RUNS; run++) {
    const started = performance.now();
    const response = await api.request('GET', path, { token });
    if (response.status !== 200) throw new Error(`GET ${path}: ${response.status}`);
    times.push(performance.now() - started);
  }
  return median(times);
}

/**
 * Where a missed query's time goes: PostgreSQL's own time (EXPLAIN ANALYZE of the same statement)
 * vs the whole request one at a time, against a minimal authenticated request (GET /me: one profile read); then what load adds
 * and which process the CPU went to.
 */
async function explainMiss(
  baseUrl: string,
  { kind, load, cores, plans }: KindResult,
  options: MeasureSearchOptions,
): Promise<string[]> {
  const lines = [
    `${kind.scenario}: p50 ${formatMs(load.p50)}, p95 ${formatMs(load.p95)} at ${load.rps.toFixed(0)} req/s over ${options.connections} connections`,
  ];
  const api = new ApiClient(baseUrl);
  const samples: Array<{ http: number; db: number }> = [];
  for (const { request, plan } of plans)
    samples.push({ http: await unloadedMs(api, request.path, request.user.token), db: totalMs(plan) });
  const me = await unloadedMs(api, '/api/v1/me', plans[0].request.user.token);
  const http = median(samples.map((sample) => sample.http));
  const rest = median(samples.map((sample) => sample.http - sample.db));
  const meanDb = samples.reduce((sum, sample) => sum + sample.db, 0) / samples.length;
  lines.push(
    `  one request at a time (median of ${samples.length} of its queries): ${formatMs(http)} over HTTP, of which ` +
      `PostgreSQL ${formatMs(dbMs(plans))} (EXPLAIN ANALYZE) and ${formatMs(rest)} the app and HTTP ` +
      `(an authenticated GET /me alone: ${formatMs(me)})`,
    `  under load the p50 is ${formatMs(Math.max(0, load.p50 - http))} longer: requests wait for a core; at ` +
      `${load.rps.toFixed(0)} req/s PostgreSQL's execution alone needs ≈ ${((load.rps * meanDb) / 1000).toFixed(2)} ` +
      `of the ${availableParallelism()} cores (measured ${describeCores(cores)})`,
  );
  const slowest = plans[plans.length - 1];
  lines.push(
    `  slowest sampled query (${new URLSearchParams(slowest.request.params)}): ` +
      `${formatMs(slowest.plan.executionMs)} execution + ${formatMs(slowest.plan.planningMs)} planning; its plan (one more run):`,
    ...slowest.plan.plan.slice(0, PLAN_LINES).map((line) => `    ${line}`),
  );
  return lines;
}
