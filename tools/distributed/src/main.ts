import { persistentSecret } from '@todo/config';
import { EmbeddedPostgresServer } from '@todo/database';
import { kcatAvailable, type KcatMockCluster, startKcatMockCluster } from '@todo/testing';
import { type ChildProcess, spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';

/**
 * `nx start distributed`: the distributed mode without Docker. Embedded PostgreSQL, kcat's mock
 * Kafka cluster (a real Kafka protocol broker in one process; data lives as long as it runs), the
 * migrations, then every deployable as its own process on its own port, its log lines prefixed with
 * its name. Ctrl-C (or SIGTERM) stops the apps (each drains), then Kafka and PostgreSQL.
 */
const dataDir = resolve(process.env['DATA_DIR'] ?? '.data/distributed');
const basePort = Number(process.env['PORT'] ?? 3000);
const dist = (appRoot: string) => join('dist', appRoot, 'main.js');

const apps = [
  { name: 'gateway', bundle: dist('apps/gateway'), port: basePort },
  { name: 'chat-agent', bundle: dist('apps/chat-agent'), port: basePort + 10 },
  { name: 'scheduler', bundle: dist('apps/scheduler'), port: basePort + 20 },
  { name: 'audit', bundle: dist('apps/audit'), port: basePort + 30 },
];
const colours = [36, 35, 33, 32, 34];
const running = new Map<string, ChildProcess>();
let stopping = false;
let started = 0;

function prefixed(name: string, child: ChildProcess): void {
  const label = `\x1b[${colours[started++ % colours.length]}m${name.padEnd(11)}|\x1b[0m `;
  for (const stream of [child.stdout, child.stderr])
    if (stream) createInterface({ input: stream }).on('line', (line) => console.log(label + line));
}

function start(name: string, bundle: string, env: NodeJS.ProcessEnv, args: string[] = []): ChildProcess {
  const child = spawn(process.execPath, ['--enable-source-maps', bundle, ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  prefixed(name, child);
  return child;
}

const exitOf = (child: ChildProcess) =>
  new Promise<number | null>((done) =>
    child.exitCode !== null || child.signalCode !== null ? done(child.exitCode) : child.once('exit', done),
  );

async function main() {
  if (!kcatAvailable()) {
    console.error(
      'start:distributed needs kcat, whose built-in mock cluster is the Kafka broker here: apt-get install -y kcat (Debian/Ubuntu), brew install kcat (macOS).',
    );
    process.exit(1);
  }
  const postgres = new EmbeddedPostgresServer({ dataDir: join(dataDir, 'postgres'), database: 'todo' });
  // set once the cluster runs; a Ctrl-C during start-up stops what already started
  const broker: { kafka?: KcatMockCluster } = {};

  const stopAll = async (code: number) => {
    if (stopping) return;
    stopping = true;
    console.log('\nstopping: apps (draining), then Kafka and PostgreSQL…');
    for (const child of running.values()) child.kill('SIGTERM');
    const killer = setTimeout(() => running.forEach((child) => child.kill('SIGKILL')), 20_000);
    await Promise.all([...running.values()].map(exitOf));
    clearTimeout(killer);
    await broker.kafka?.stop();
    await postgres.stop();
    process.exit(code);
  };
  process.on('SIGINT', () => void stopAll(0));
  process.on('SIGTERM', () => void stopAll(0));

  const databaseUrl = await postgres.start();
  const kafka = await startKcatMockCluster({ brokers: 1 });
  broker.kafka = kafka;
  const common = {
    NODE_ENV: 'production',
    DATABASE_URL: databaseUrl,
    JWT_SECRET: await persistentSecret(join(dataDir, 'jwt-secret')),
    EVENT_TRANSPORT: 'kafka',
    KAFKA_BROKERS: kafka.brokers,
    MIGRATIONS_RUN: 'false',
  };

  const migrate = start('migrate', apps[0].bundle, common, ['migrate']);
  if ((await exitOf(migrate)) !== 0) return stopAll(1);

  for (const app of apps) {
    const env: Record<string, string> = { ...common, PORT: String(app.port) };
    if (app.name === 'gateway')
      Object.assign(env, {
        CHAT_AGENT_TRANSPORT: 'http',
        CHAT_AGENT_URL: `http://127.0.0.1:${basePort + 10}`,
      });
    const child = start(app.name, app.bundle, env);
    running.set(app.name, child);
    child.once('exit', (code, signal) => {
      if (stopping) return;
      console.error(`${app.name} exited (${signal ?? code}); stopping everything`);
      void stopAll(1);
    });
  }
  console.log(
    `\n  distributed mode: gateway http://localhost:${basePort} · ` +
      apps
        .slice(1)
        .map((app) => `${app.name} :${app.port}`)
        .join(' · ') +
      `\n  PostgreSQL ${databaseUrl.replace(/\/\/[^@]*@/, '//')} · Kafka (kcat mock) ${kafka.brokers}\n  Ctrl-C stops everything\n`,
  );
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
