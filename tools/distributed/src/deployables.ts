import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

/** The distributed deployables and the folder of each one's bundle under dist/. */
export const DEPLOYABLES = {
  gateway: 'apps/gateway',
  'chat-agent': 'apps/chat-agent',
  scheduler: 'apps/scheduler',
  audit: 'apps/audit',
  realtime: 'apps/realtime',
} as const;

export type DeployableName = keyof typeof DEPLOYABLES;

/** Settings every deployable shares: one database, one broker, one signing key. */
export interface SharedSettings {
  databaseUrl: string;
  kafkaBrokers: string;
  jwtSecret: string;
  /** The chat-agent's base URL, for the gateway (chat over HTTP). */
  chatAgentUrl: string;
  /** A realtime process's base URL, for the gateway to forward the web app's live updates to. */
  realtimeUrl: string;
}

/** The environment of one deployable in the distributed mode without Docker (Kafka transport). */
export function deployableEnv(
  name: DeployableName,
  port: number,
  shared: SharedSettings,
): Record<string, string> {
  return {
    NODE_ENV: 'production',
    PORT: String(port),
    DATABASE_URL: shared.databaseUrl,
    JWT_SECRET: shared.jwtSecret,
    EVENT_TRANSPORT: 'kafka',
    KAFKA_BROKERS: shared.kafkaBrokers,
    MIGRATIONS_RUN: 'false',
    ...(name === 'gateway'
      ? {
          CHAT_AGENT_TRANSPORT: 'http',
          CHAT_AGENT_URL: shared.chatAgentUrl,
          REALTIME_URL: shared.realtimeUrl,
        }
      : {}),
  };
}

/** Starts a deployable's bundle as a child process; each output line goes to `onLine`. */
export function runDeployable(
  workspaceRoot: string,
  name: DeployableName,
  env: Record<string, string>,
  onLine: (line: string) => void,
  args: string[] = [],
): ChildProcess {
  const bundle = join(workspaceRoot, 'dist', DEPLOYABLES[name], 'main.js');
  const child = spawn(process.execPath, ['--enable-source-maps', bundle, ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  for (const stream of [child.stdout, child.stderr]) createInterface({ input: stream }).on('line', onLine);
  return child;
}

/** Resolves with the exit code once the process has ended (at once if it already has). */
export function exitOf(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) =>
    child.exitCode !== null || child.signalCode !== null
      ? resolve(child.exitCode)
      : child.once('exit', resolve),
  );
}

/** Waits until `GET /health/ready` answers 200; fails at once if the process exits first. */
export async function waitUntilReady(child: ChildProcess, port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(`exited (${child.signalCode ?? child.exitCode}) before it was ready`);
    const ready = await fetch(`http://127.0.0.1:${port}/health/ready`).then(
      (response) => response.ok,
      () => false,
    );
    if (ready) return;
    if (Date.now() > deadline) throw new Error(`not ready on port ${port} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
