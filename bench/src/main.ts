import { EmbeddedPostgresServer } from '@todo/database';
import { kcatAvailable, startKcatMockCluster } from '@todo/testing';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { measureChatInterpret } from './chat-interpret';
import { measureEventLatency } from './event-latency';
import { measureReminderLateness } from './reminder-lateness';
import { ms } from './stats';

/**
 * `npm run bench -- [--smoke] [--only events,reminders,chat]`: starts its own PostgreSQL (and a kcat
 * mock Kafka cluster), runs the scenarios and prints tables. Scenarios so far: event path latency
 * (memory and Kafka transports), reminder lateness (10,000 reminders over 60 s, then the same across a
 * scheduler restart), chat interpret latency and throughput over HTTP.
 */
async function main() {
  const { values } = parseArgs({
    options: {
      smoke: { type: 'boolean', default: false },
      only: { type: 'string', default: 'events,reminders,chat' },
    },
  });
  const scenarios = new Set(values.only.split(','));
  const chatLoad = values.smoke ? { requests: 500, concurrency: 8 } : { requests: 10_000, concurrency: 16 };
  const load = values.smoke ? { rate: 50, seconds: 2 } : { rate: 200, seconds: 15 };
  const reminderLoad = values.smoke ? { count: 500, seconds: 5 } : { count: 10_000, seconds: 60 };
  const dataDir = mkdtempSync(join(tmpdir(), 'todo-bench-'));
  const postgres = new EmbeddedPostgresServer({
    dataDir: join(dataDir, 'postgres'),
    port: 0,
    database: 'bench',
  });
  process.env['TEST_DATABASE_URL'] = await postgres.start();
  const rows: Array<Record<string, string | number>> = [];
  const reminderRows: Array<Record<string, string | number>> = [];
  const chatRows: Array<Record<string, string | number>> = [];
  try {
    const report = (transport: string, result: Awaited<ReturnType<typeof measureEventLatency>>) =>
      rows.push({
        scenario: `event commit → consumer (${transport})`,
        'events/s': result.rate,
        events: result.count,
        p50: ms(result.p50),
        p90: ms(result.p90),
        p99: ms(result.p99),
        max: ms(result.max),
        lost: result.lost,
      });
    if (scenarios.has('events'))
      report('memory', await measureEventLatency({ EVENT_TRANSPORT: 'memory', LOG_LEVEL: 'error' }, load));
    if (scenarios.has('events') && kcatAvailable()) {
      const cluster = await startKcatMockCluster();
      try {
        const env = { EVENT_TRANSPORT: 'kafka', KAFKA_BROKERS: cluster.brokers, LOG_LEVEL: 'error' };
        report('kafka, kcat mock cluster', await measureEventLatency(env, load));
      } finally {
        await cluster.stop();
      }
    }
    const reportReminders = (run: string, result: Awaited<ReturnType<typeof measureReminderLateness>>) =>
      reminderRows.push({
        scenario: `reminders due → reminder.due at a consumer (${run})`,
        reminders: reminderLoad.count,
        'over s': reminderLoad.seconds,
        p50: ms(result.p50),
        p99: ms(result.p99),
        max: ms(result.max),
        lost: result.lost,
        duplicates: result.duplicates,
      });
    if (scenarios.has('reminders')) {
      reportReminders('steady', await measureReminderLateness(reminderLoad));
      reportReminders(
        'scheduler restarted halfway',
        await measureReminderLateness({ ...reminderLoad, restartAt: 0.5 }),
      );
    }
    if (scenarios.has('chat')) {
      const result = await measureChatInterpret(chatLoad);
      const row = (scenario: string, stats: typeof result.http, throughput: number | string = '') =>
        chatRows.push({
          scenario,
          requests: stats.count,
          p50: ms(stats.p50),
          p90: ms(stats.p90),
          p99: ms(stats.p99),
          max: ms(stats.max),
          [`req/s (${chatLoad.concurrency} clients)`]: throughput,
        });
      row('POST /chat/interpret (offline engine, HTTP + auth)', result.http, result.throughput);
      row('baseline: GET /me (same HTTP + auth, no engine)', result.baseline);
      row('interpret() alone (no HTTP)', result.engine);
    }
  } finally {
    await postgres.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
  for (const table of [rows, reminderRows, chatRows]) if (table.length) console.table(table);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
