import { StartupError } from '@todo/config';
import { readFileSync, unlinkSync } from 'node:fs';
import { readFile, unlink, writeFile } from 'node:fs/promises';

interface LockOwner {
  readonly pid: number;
  /** The kernel's start time of the process (Linux), so a reused pid is not taken for the owner. */
  readonly startTime?: string;
  readonly since: string;
}

/**
 * Ties a data directory to the one process that runs it: `<dataDir>.lock` holds the owner's pid and
 * start time. A second process refuses to start while the owner lives; a lock whose owner is gone
 * (killed, crashed) is stale and taken over. Released on stop and on any exit short of SIGKILL.
 */
export class DataDirLock {
  private readonly releaseOnExit = () => {
    if (this.isStillOurs(readOrEmpty(this.file))) unlinkSync(this.file);
  };

  private constructor(
    private readonly file: string,
    private readonly content: string,
  ) {
    process.once('exit', this.releaseOnExit);
  }

  static async acquire(dataDir: string): Promise<DataDirLock> {
    const file = `${dataDir}.lock`;
    const owner: LockOwner = {
      pid: process.pid,
      startTime: await processStartTime(process.pid),
      since: new Date().toISOString(),
    };
    const content = `${JSON.stringify(owner)}\n`;
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        await writeFile(file, content, { flag: 'wx', mode: 0o600 });
        return new DataDirLock(file, content);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST')
          throw new StartupError(`Cannot lock the data directory ${dataDir}: ${(error as Error).message}`);
      }
      const holder = parseOwner(await readFile(file, 'utf8').catch(() => ''));
      if (holder && (await isRunning(holder)))
        throw new StartupError(
          `The data directory ${dataDir} is in use by another process (pid ${holder.pid}, running it since ${holder.since}). ` +
            'Stop that process first, or set DATA_DIR to a directory of its own.',
        );
      await unlink(file).catch(() => undefined); // stale: its owner is gone
    }
    throw new StartupError(`Cannot lock the data directory ${dataDir}: other processes keep taking it`);
  }

  async release(): Promise<void> {
    process.removeListener('exit', this.releaseOnExit);
    if (this.isStillOurs(await readFile(this.file, 'utf8').catch(() => ''))) await unlink(this.file);
  }

  private isStillOurs(content: string): boolean {
    return content === this.content;
  }
}

function readOrEmpty(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

function parseOwner(content: string): LockOwner | undefined {
  try {
    const owner = JSON.parse(content) as Partial<LockOwner>;
    return Number.isInteger(owner.pid) && typeof owner.since === 'string' ? (owner as LockOwner) : undefined;
  } catch {
    return undefined; // half-written by an owner that died while writing it
  }
}

async function isRunning(owner: LockOwner): Promise<boolean> {
  // Our own pid in a lock we have not taken: left by an earlier run (containers reuse pid 1).
  if (owner.pid === process.pid || !isAlive(owner.pid)) return false;
  const startTime = await processStartTime(owner.pid);
  return owner.startTime === undefined || startTime === undefined || startTime === owner.startTime;
}

/** Whether a process with this pid exists (EPERM: it does, under another user). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Field 22 of /proc/<pid>/stat (clock ticks after boot); undefined without procfs (macOS). */
async function processStartTime(pid: number): Promise<string | undefined> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) is in parentheses and may contain spaces: count after its end.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}
