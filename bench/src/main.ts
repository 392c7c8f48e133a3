import { EmbeddedPostgresServer } from '@todo/database';
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { measureChat } from './chat/measure-chat';
import { runChildBench } from './child-bench';
import { IN_PROCESS_SCENARIOS, parseBenchArgs, type Scenario, USAGE, UsageError } from './cli';
import { measureEventPipeline } from './events/event-pipeline';
import { measureGraphqlAbuse } from './graphql/measure-graphql-abuse';
import { withClient } from './harness/database';
import { BENCH_NODE, type NodeRuntime, resolveNode } from './harness/node-runtime';
import { measureRecurrence } from './recurrence/measure-recurrence';
import { measureRealtime } from './realtime/measure-realtime';
import { holdSockets } from './realtime/socket-holder';
import { measureReminderLateness } from './reminders/measure-reminder-lateness';
import type { BenchReport } from './report/bench-report';
import { missingFigures } from './report/check-report';
import { summarizeCpuProfile } from './report/cpu-profile';
import { describeMachine } from './report/machine';
import {
  type NodeComparisonReport,
  renderComparisonTables,
  writeNodeComparison,
} from './report/node-comparison';
import { renderText } from './report/table';
import { writeReport } from './report/write-report';
import { serveBaseline } from './rest/baseline-server';
import { measureOpenLoop } from './rest/measure-open-loop';
import { measureRest } from './rest/measure-rest';
import type { Section } from './results';
import { measureSearchScenario } from './search';
import { latencyOf } from './stats';
import { measureWebPush } from './web-push/measure-web-push';
import { servePushService } from './web-push/push-service-process';

/** Sizes of a full run (ARCHITECTURE §9 figures) and of the smoke run. */
const PLANS = {
  full: {
    rest: { users: 100, connections: 100, seconds: 20, targetRate: 2000, preparedRuns: 300 },
    openLoop: { users: 100, connections: 100, seconds: 20 },
    search: { users: 100, perUser: 10_000, connections: 10, seconds: 10 },
    events: {
      path: { rate: 50, seconds: 20 },
      capacityTasks: 3_000,
      target: { users: 100, connections: 100, topSeconds: 10, seconds: 60 },
    },
    reminders: { count: 10_000, seconds: 60 },
    recurrence: { rules: 2_000, perRule: 5 },
    webPush: { users: 100, count: 10_000, seconds: 60 },
    chat: { connections: 16, seconds: 10 },
    graphql: { chatTurns: 200, loopSeconds: 5 },
    realtime: {
      screen: { users: 10, rate: 20, seconds: 20 },
      idle: { sockets: 10_000, users: 200, seconds: 30 },
      fanOut: { users: 1_000, socketsPerUser: 10, rate: 200, seconds: 30, clientProcesses: 2 },
    },
  },
  smoke: {
    rest: { users: 10, connections: 10, seconds: 1, targetRate: 200, preparedRuns: 10 },
    openLoop: { users: 10, connections: 10, seconds: 1 },
    search: { users: 2, perUser: 500, connections: 2, seconds: 1 },
    events: {
      path: { rate: 50, seconds: 2 },
      capacityTasks: 100,
      target: { users: 10, connections: 10, topSeconds: 1, seconds: 3 },
    },
    reminders: { count: 200, seconds: 2 },
    recurrence: { rules: 100, perRule: 2 },
    webPush: { users: 4, count: 100, seconds: 2 },
    chat: { connections: 4, seconds: 1 },
    graphql: { chatTurns: 5, loopSeconds: 1 },
    realtime: {
      screen: { users: 2, rate: 20, seconds: 1 },
      idle: { sockets: 200, users: 10, seconds: 1 },
      fanOut: { users: 20, socketsPerUser: 2, rate: 40, seconds: 1, clientProcesses: 2 },
    },
  },
};

async function main() {
  const command = parseBenchArgs(process.argv.slice(2));
  if (command.kind === 'baseline-server') return serveBaseline(process.env);
  if (command.kind === 'socket-holder') return holdSockets();
  if (command.kind === 'push-service') return servePushService();
  if (command.kind === 'help') return console.log(USAGE);
  const { smoke, scenarios } = command;
  const selected = new Set(scenarios);
  const mode = smoke ? 'smoke' : 'full';
  const plan = PLANS[mode];
  const outDir = command.out ?? (smoke ? mkdtempSync(join(tmpdir(), 'todo-bench-smoke-')) : 'bench/results');
  if (command.nodes) {
    try {
      return await compareNodeVersions(command.nodes.map(resolveNode), { scenarios, smoke, outDir });
    } finally {
      if (smoke && !command.out) rmSync(outDir, { recursive: true, force: true });
    }
  }
  const appNode = command.node === undefined ? BENCH_NODE : resolveNode(command.node);
  const node = appNode.path;
  const profileDir = resolve(outDir, 'profiles'); // absolute: the profiled server runs elsewhere

  const started = Date.now();
  const dataDir = mkdtempSync(join(tmpdir(), 'todo-bench-'));
  const postgres = new EmbeddedPostgresServer({
    dataDir: join(dataDir, 'postgres'),
    port: 0,
    database: 'bench',
    // commit times of the app's transactions: the event path's hops (bench/src/events/event-hops.ts)
    settings: { track_commit_timestamp: 'on' },
  });
  const databaseUrl = await postgres.start();
  process.env['TEST_DATABASE_URL'] = databaseUrl; // the in-process reminder scenario's test databases
  const sections: Section[] = [];
  try {
    const step = (name: string) =>
      console.log(`\n▶ ${name} (${((Date.now() - started) / 1000).toFixed(0)} s)`);
    if (selected.has('rest')) {
      step('REST mixed CRUD');
      sections.push(
        await measureRest({
          databaseUrl,
          node,
          ...plan.rest,
          profile: smoke ? undefined : (run) => profileRun(profileDir, 'rest', run),
        }),
      );
    }
    if (selected.has('open-loop')) {
      step('REST open loop');
      sections.push(await measureOpenLoop({ databaseUrl, node, ...plan.openLoop }));
    }
    if (selected.has('events')) {
      step('event path');
      sections.push(
        ...(await measureEventPipeline(
          databaseUrl,
          node,
          plan.events,
          smoke ? undefined : (run) => profileRun(profileDir, 'events', run),
        )),
      );
    }
    const inProcess = IN_PROCESS_SCENARIOS.filter((scenario) => selected.has(scenario));
    if (command.node !== undefined && inProcess.length) {
      step(`${inProcess.join(', ')} in a bench process on Node ${appNode.version}`);
      sections.push(...(await inProcessOn(node, inProcess, smoke)));
    } else {
      if (selected.has('reminders')) {
        step('reminder lateness');
        sections.push(await reminders(plan.reminders));
      }
      if (selected.has('recurrence')) {
        step('recurrence search');
        sections.push(measureRecurrence(plan.recurrence));
      }
      if (selected.has('web-push')) {
        step('web push');
        sections.push(await webPush(plan.webPush));
      }
    }
    if (selected.has('chat')) {
      step('chat interpret');
      sections.push(await measureChat({ databaseUrl, node, ...plan.chat }));
    }
    if (selected.has('graphql')) {
      step('GraphQL abuse');
      sections.push(await measureGraphqlAbuse({ databaseUrl, node, ...plan.graphql }));
    }
    if (selected.has('realtime')) {
      step('realtime');
      sections.push(
        await measureRealtime({
          databaseUrl,
          node,
          ...plan.realtime,
          profile: smoke ? undefined : (run) => profileRun(profileDir, 'realtime', run),
        }),
      );
    }
    // Last: its million rows would slow the other scenarios' writes (bigger indexes to maintain).
    if (selected.has('search')) {
      step('search and filters');
      sections.push(
        await measureSearchScenario({
          databaseUrl,
          node,
          ...plan.search,
          log: (line) => console.log(`  ${line}`),
        }),
      );
    }
    const report: BenchReport = {
      mode,
      startedAt: new Date(started).toISOString(),
      durationSeconds: Math.round((Date.now() - started) / 1000),
      machine: describeMachine({ postgres: await postgresVersion(databaseUrl), appNode: appNode.version }),
      sections,
    };
    console.log(`\n${renderText(report)}`);
    const written = await writeReport(report, outDir);
    console.log(`\nresults: ${written.join(', ')}`);
    const missing = missingFigures(report);
    if (missing.length) throw new Error(`the bench printed no figure for: ${missing.join('; ')}`);
  } finally {
    await postgres.stop();
    rmSync(dataDir, { recursive: true, force: true });
    if (smoke && !command.out) rmSync(outDir, { recursive: true, force: true });
  }
}

async function reminders(load: { count: number; seconds: number }): Promise<Section> {
  const steady = await measureReminderLateness(load);
  const restarted = await measureReminderLateness({ ...load, restartAt: 0.5 });
  const row = (scenario: string, result: typeof steady) => ({
    scenario,
    throughput: load.count / load.seconds,
    latency: latencyOf(result),
    extra: { reminders: load.count, lost: result.lost, duplicates: result.duplicates },
  });
  const perMinute = Math.round((load.count / load.seconds) * 60).toLocaleString('en');
  return {
    id: 'reminders',
    title: `Reminder lateness: ${load.count.toLocaleString('en')} due over ${load.seconds} s (${perMinute}/min)`,
    rows: [
      row('due → reminder.due at a consumer', steady),
      row('same, scheduler restarted halfway', restarted),
    ],
    targets: [
      {
        target: 'p99 lateness < 1 s at 10,000/min; 0 lost, 0 duplicates across a restart',
        measured: `p99 ${steady.p99.toFixed(0)} ms steady, ${restarted.p99.toFixed(0)} ms with restart; lost ${steady.lost + restarted.lost}, duplicates ${steady.duplicates + restarted.duplicates}`,
        met:
          Math.max(steady.p99, restarted.p99) < 1000 &&
          steady.lost + restarted.lost + steady.duplicates + restarted.duplicates === 0,
      },
    ],
  };
}

async function webPush(load: { users: number; count: number; seconds: number }): Promise<Section> {
  const result = await measureWebPush(load);
  const { lost, duplicates, misdirected, refused, cpuMsPerPush, pushServiceCpuMsPerPush } = result;
  return {
    id: 'web-push',
    title: `Web Push: ${load.count.toLocaleString('en')} reminders of ${load.users} users (one browser each) over ${load.seconds} s`,
    rows: [
      {
        scenario: 'due → payload decrypted at a loopback push service (VAPID checked, own process)',
        throughput: load.count / load.seconds,
        latency: latencyOf(result),
        extra: {
          reminders: load.count,
          lost,
          duplicates,
          misdirected,
          refused,
          'app CPU ms per push': Number(cpuMsPerPush.toFixed(2)),
          'push service CPU ms per push': Number(pushServiceCpuMsPerPush.toFixed(2)),
        },
      },
    ],
    targets: [
      {
        target: 'p99 due → browser < 1 s; 0 lost, 0 duplicates, 0 to another user',
        measured: `p99 ${result.p99.toFixed(0)} ms; lost ${lost}, duplicates ${duplicates}, misdirected ${misdirected}, refused ${refused}`,
        met: result.p99 < 1000 && lost + duplicates + misdirected + refused === 0,
      },
    ],
  };
}

/** The in-process scenarios on another Node: a bench process of their own on it, its own database. */
async function inProcessOn(node: string, scenarios: Scenario[], smoke: boolean): Promise<Section[]> {
  const out = mkdtempSync(join(tmpdir(), 'todo-bench-in-process-'));
  try {
    return (await runChildBench({ node, scenarios, smoke, out })).sections;
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

/**
 * `--nodes`: the scenarios once per Node, one after the other, each in a bench process of its own
 * (`--node`, a fresh database, its report in `<outDir>/node-<version>/`), then the comparison. A Node
 * whose run fails does not cost the others theirs: the comparison names it, and the bench fails after.
 */
async function compareNodeVersions(
  nodes: NodeRuntime[],
  options: { scenarios: Scenario[]; smoke: boolean; outDir: string },
): Promise<void> {
  const started = Date.now();
  const runs: BenchReport[] = [];
  const failed: NodeComparisonReport['failed'] = [];
  for (const node of nodes) {
    console.log(`\n▶▶ the app on Node ${node.version} (${node.path})`);
    try {
      runs.push(
        await runChildBench({
          node: BENCH_NODE.path,
          appNode: node.path,
          scenarios: options.scenarios,
          smoke: options.smoke,
          out: join(options.outDir, `node-${node.version}`),
        }),
      );
    } catch (error) {
      failed.push({ node: node.version, error: (error as Error).message });
    }
  }
  if (!runs.length)
    throw new Error(`the bench failed on every Node: ${failed.map((run) => run.error).join('; ')}`);
  const comparison: NodeComparisonReport = {
    mode: options.smoke ? 'smoke' : 'full',
    startedAt: new Date(started).toISOString(),
    durationSeconds: Math.round((Date.now() - started) / 1000),
    runs,
    failed,
  };
  console.log(`\n${renderComparisonTables(comparison)}`);
  const written = await writeNodeComparison(comparison, options.outDir);
  console.log(`\nresults: ${written.join(', ')}`);
  if (failed.length) throw new Error(`the bench failed on Node ${failed.map((run) => run.node).join(', ')}`);
}

/** Runs `run` once more with the V8 CPU profiler on the server and returns where its time went. */
async function profileRun(dir: string, name: string, run: (nodeOptions: string[]) => Promise<void>) {
  const profileDir = join(dir, `${name}-${Date.now()}`);
  mkdirSync(profileDir, { recursive: true });
  await run(['--cpu-prof', `--cpu-prof-dir=${profileDir}`]);
  const file = readdirSync(profileDir).find((entry) => entry.endsWith('.cpuprofile'));
  return file
    ? [
        `CPU profile of the app at saturation (${join(profileDir, file)}):`,
        ...summarizeCpuProfile(join(profileDir, file)),
      ]
    : ['(the profiled run wrote no CPU profile)'];
}

async function postgresVersion(databaseUrl: string): Promise<string> {
  return withClient(
    databaseUrl,
    async (client) =>
      (await client.query<{ server_version: string }>('SHOW server_version')).rows[0].server_version,
  );
}

main().catch((error: unknown) => {
  console.error(error instanceof UsageError ? error.message : error);
  process.exit(error instanceof UsageError ? 2 : 1);
});
