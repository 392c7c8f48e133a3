import { mkdir, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { StartupError } from './startup-errors';

/**
 * `mkdir -p` that fails at once with the path and the reason. Node's own recursive mkdir loops
 * forever where a parent exists but refuses new entries (e.g. anything under /proc).
 */
export async function createDirectory(path: string): Promise<void> {
  const missing: string[] = [];
  for (let current = resolve(path); !(await isDirectory(current)); current = dirname(current)) {
    missing.unshift(current);
    if (dirname(current) === current) break;
  }
  for (const directory of missing) {
    try {
      await mkdir(directory);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST' && (await isDirectory(directory))) continue;
      throw new StartupError(`Cannot create the directory ${resolve(path)}: ${(error as Error).message}`);
    }
  }
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}
