import { persistentSecret } from '@todo/config';
import { EmbeddedPostgresServer } from '@todo/database';
import { kcatAvailable, type KcatMockCluster, startKcatMockCluster } from '@todo/testing';
import type { ChildProcess } from 'node:child_process';
import { join, resolve } from 'node:path';
import {
  DEPLOYABLES,
  type DeployableName,
  deployableEnv,
  exitOf,
  runDeployable,
  waitUntilReady,
} from './deployables';

/**
 * `nx start distributed`: the distributed mode without Docker. Embedded PostgreSQL, kcat's mock
 * Kafka cluster (a real Kafka-protocol broker in one process; its data lives as long as it runs),
 * the migrations, then every deployable as its own process on its own port, its log lines prefixed
 * with its name. Ctrl-C (or SIGTERM) stops the apps (each drains), then Kafka and PostgreSQL.
 */
const workspaceRoot = process.cwd();
const dataDir = resolve(process.env['DATA_DIR'] ?? '.data/distributed');
const basePort = Number(process.env['PORT'] ?? 3000);
const names = Object.keys(DEPLOYABLES) as DeployableName[];
const portOf = (name: DeployableName) => basePort + 10 * names.indexOf(name);
const colours = [35, 33, 32, 34, 36, 31];
const running = new Map<string, ChildProcess>();
let stopping = false;

const printer = (name: string, index: number) => {
  const label = `\x1b[${colours[index % colours.length]}m${name.padEnd(11)}|\x1b[0m `;
  return (line: string) => console.log(label + line);
};

async function main() {
  if (!kcatAvailable()) {
    console.error(
      'the distributed mode without Docker needs kcat, whose built-in mock cluster is its Kafka broker: ' +
        'apt-get install -y kcat (Debian/Ubuntu) or brew install kcat (macOS).',
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
  const shared = {
    databaseUrl,
    kafkaBrokers: kafka.brokers,
    jwtSecret: await persistentSecret(join(dataDir, 'jwt-secret')),
    chatAgentUrl: `http://127.0.0.1:${portOf('chat-agent')}`,
    realtimeUrl: `http://127.0.0.1:${portOf('realtime')}`,
  };

  const migrate = runDeployable(
    workspaceRoot,
    'gateway',
    deployableEnv('gateway', 0, shared),
    printer('migrate', names.length),
    ['migrate'],
  );
  if ((await exitOf(migrate)) !== 0) return stopAll(1);

  names.forEach((name, index) => {
    const child = runDeployable(
      workspaceRoot,
      name,
      deployableEnv(name, portOf(name), shared),
      printer(name, index),
    );
    running.set(name, child);
    child.once('exit', (code, signal) => {
      if (stopping) return;
      console.error(`${name} exited (${signal ?? code}); stopping everything`);
      void stopAll(1);
    });
  });
  try {
    await Promise.all(
      names.map((name) => waitUntilReady(running.get(name) as ChildProcess, portOf(name), 120_000)),
    );
  } catch (error) {
    console.error(`a deployable did not become ready: ${(error as Error).message}`);
    return stopAll(1);
  }
  console.log(
    `\n  distributed mode: gateway http://localhost:${basePort} · ` +
      names
        .slice(1)
        .map((name) => `${name} :${portOf(name)}${name === 'realtime' ? ' (WebSocket /realtime)' : ''}`)
        .join(' · ') +
      `\n  PostgreSQL ${databaseUrl.replace(/\/\/[^@]*@/, '//')} · Kafka (kcat mock) ${kafka.brokers}\n  Ctrl-C stops everything\n`,
  );
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
