import { StartupError } from '@todo/config';
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataDirLock } from './data-dir-lock';

/** The start time the kernel gives a process (field 22 of /proc/<pid>/stat). */
const startTimeOf = (pid: number) => {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
};

describe('DataDirLock', () => {
  const root = mkdtempSync(join(tmpdir(), 'data-dir-lock-'));
  const dataDir = join(root, 'postgres');
  const lockFile = `${dataDir}.lock`;
  let other: ChildProcess | undefined;
  afterEach(() => {
    other?.kill('SIGKILL');
    rmSync(lockFile, { force: true });
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  const writeLock = (owner: { pid: number; startTime?: string }) =>
    writeFileSync(lockFile, JSON.stringify({ ...owner, since: '2026-12-03T09:00:00.000Z' }));

  it('is taken by one holder at a time and released on stop', async () => {
    const lock = await DataDirLock.acquire(dataDir);
    expect(JSON.parse(readFileSync(lockFile, 'utf8'))).toMatchObject({ pid: process.pid });
    await lock.release();
    expect(existsSync(lockFile)).toBe(false);
  });

  it('refuses while another live process holds it, naming that process', async () => {
    other = spawn('sleep', ['30']);
    const pid = other.pid ?? 0;
    writeLock({ pid, startTime: startTimeOf(pid) });
    const refused = DataDirLock.acquire(dataDir);
    await expect(refused).rejects.toThrow(StartupError);
    await expect(refused).rejects.toThrow(
      `The data directory ${dataDir} is in use by another process (pid ${pid}, running it since 2026-12-03T09:00:00.000Z)`,
    );
  });

  it.each([
    ['is gone', () => ({ pid: 2 ** 22 + 1 })],
    ['is a reused pid (another start time)', () => ({ pid: process.ppid, startTime: '1' })],
    ['is this very pid, from an earlier run', () => ({ pid: process.pid, startTime: '1' })],
  ])('takes over a lock whose owner %s', async (_, owner) => {
    writeLock(owner());
    const lock = await DataDirLock.acquire(dataDir);
    expect(JSON.parse(readFileSync(lockFile, 'utf8'))).toMatchObject({ pid: process.pid });
    await lock.release();
  });
});
