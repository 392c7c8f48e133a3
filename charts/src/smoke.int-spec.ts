// The smoke test the deploy and e2e workflows run against a cluster, run here against the built
// standalone bundle (same API, WebSocket and audit history in one process, embedded PostgreSQL), so
// the script itself is known to work and to fail when a step does.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runSmokeTest } from './smoke';

const MAIN = join(__dirname, '..', '..', 'dist', 'apps', 'standalone', 'main.js');

describe('smoke test', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'todo-smoke-'));
  let child: ChildProcess;
  let url: string;

  beforeAll(async () => {
    child = spawn(process.execPath, [MAIN], {
      env: { ...process.env, DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'warn', NODE_OPTIONS: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    url = await new Promise<string>((resolve, reject) => {
      child.stdout?.on('data', (chunk: Buffer) => {
        output += chunk;
        const match = /running at (http:\/\/\S+)/.exec(output);
        if (match?.[1]) resolve(match[1]);
      });
      child.stderr?.on('data', (chunk: Buffer) => (output += chunk));
      child.once('exit', (code) => reject(new Error(`standalone exited with ${code}:\n${output}`)));
    });
  }, 120_000);

  afterAll(async () => {
    if (child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('passes against a working deployment, every step logged', async () => {
    const steps: string[] = [];
    await runSmokeTest({ url, timeoutMs: 15_000, log: (step) => steps.push(step) });
    expect(steps).toEqual([
      'gateway ready',
      expect.stringMatching(/^registered smoke-/),
      expect.stringMatching(/^assistant: Added #1 Smoke/),
      'task #1 reached the WebSocket',
      'task #1 is in the history',
    ]);
  });

  it('fails when the WebSocket is not where it is said to be', async () => {
    await expect(runSmokeTest({ url, realtimeUrl: `${url}/nowhere`, timeoutMs: 2_000 })).rejects.toThrow();
  });

  it('fails when nothing answers', async () => {
    await expect(runSmokeTest({ url: 'http://127.0.0.1:9', timeoutMs: 1_000 })).rejects.toThrow(
      /fetch failed/,
    );
  });
});
