import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ServerProcess, startServerProcess } from './server-process';

// `npm run bench` builds the standalone app next to the bench and runs from the workspace root.
const STANDALONE_MAIN = join(process.cwd(), 'dist/apps/standalone/main.js');

/** The real `npm start` bundle on the bench's database. `nodeOptions` e.g. `--cpu-prof`. */
export async function startStandalone(options: {
  databaseUrl: string;
  /** The Node.js binary the app runs on (`--node`). */
  node: string;
  env?: Record<string, string>;
  nodeOptions?: string[];
  /** Default: a new random one. */
  jwtSecret?: string;
}): Promise<ServerProcess> {
  const dataDir = mkdtempSync(join(tmpdir(), 'todo-bench-app-'));
  const server = await startServerProcess({
    name: 'standalone',
    node: options.node,
    args: [...(options.nodeOptions ?? []), STANDALONE_MAIN],
    cwd: dataDir,
    env: {
      PATH: process.env['PATH'],
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PORT: '0',
      LOG_LEVEL: 'warn',
      DATA_DIR: dataDir,
      DATABASE_URL: options.databaseUrl,
      JWT_SECRET: options.jwtSecret ?? randomBytes(32).toString('hex'),
      // The bench registers its users from one address.
      LOGIN_RATE_LIMIT_PER_MINUTE: '100000',
      REGISTRATION_RATE_LIMIT_PER_HOUR: '100000',
      ...options.env,
    },
  }).catch((error: unknown) => {
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  });
  return {
    url: server.url,
    pid: server.pid,
    stop: async () => {
      await server.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
