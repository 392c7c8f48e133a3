import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiClient } from '@todo/testing';

/**
 * The `npm start` experience, for real: the built standalone bundle starts its own PostgreSQL,
 * keeps data across restarts, shuts down cleanly on SIGTERM and recovers after `kill -9`.
 */
const MAIN = join(__dirname, '..', '..', '..', 'dist', 'apps', 'standalone', 'main.js');

describe('standalone process (built bundle, embedded PostgreSQL)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'todo-standalone-'));
  let child: ChildProcess | undefined;

  afterAll(async () => {
    if (child?.exitCode === null) await stop('SIGTERM');
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function start(): Promise<ApiClient> {
    const started = Date.now();
    child = spawn(process.execPath, [MAIN], {
      env: { ...process.env, DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'warn', NODE_OPTIONS: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const url = await new Promise<string>((resolve, reject) => {
      child?.stdout?.on('data', (chunk: Buffer) => {
        output += chunk;
        const match = /running at (http:\/\/\S+)/.exec(output);
        if (match?.[1]) resolve(match[1]);
      });
      child?.stderr?.on('data', (chunk: Buffer) => (output += chunk));
      child?.once('exit', (code) => reject(new Error(`exited with ${code} before listening:\n${output}`)));
    });
    const api = new ApiClient(url);
    expect((await api.request('GET', '/health/ready')).status).toBe(200);
    console.log(`standalone ready in ${Date.now() - started} ms`);
    return api;
  }

  function stop(signal: NodeJS.Signals): Promise<number | null> {
    return new Promise((resolve) => {
      child?.once('exit', (code) => resolve(code));
      child?.kill(signal);
    });
  }

  const postmasterPid = () => {
    const file = join(dataDir, 'postgres', 'postmaster.pid');
    return existsSync(file) ? Number(readFileSync(file, 'utf8').split('\n')[0]) : undefined;
  };

  it('keeps data across a clean restart and after kill -9', async () => {
    const first = await start();
    const { token } = await first.register();
    const created = await first.request('POST', '/api/v1/tasks', {
      token,
      body: { title: 'Survive restarts' },
    });
    expect(created.status).toBe(201);

    expect(await stop('SIGTERM')).toBe(0);
    expect(postmasterPid()).toBeUndefined(); // the database was shut down with the app

    const second = await start();
    expect((await second.request('GET', '/api/v1/tasks/1', { token })).body.title).toBe('Survive restarts');

    await stop('SIGKILL'); // leaves its PostgreSQL running, holding the data directory
    const orphan = postmasterPid();
    expect(orphan).toEqual(expect.any(Number));

    const third = await start();
    expect((await third.request('GET', '/api/v1/tasks/1', { token })).body.title).toBe('Survive restarts');
    expect(postmasterPid()).not.toBe(orphan);
    expect(await stop('SIGTERM')).toBe(0);
  }, 90_000);
});
