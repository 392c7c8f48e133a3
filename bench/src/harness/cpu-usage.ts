import { readdirSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

/** CPU seconds (user + system) used so far by one process, from /proc (0 where /proc is missing). */
function cpuSecondsOf(pid: number): number {
  try {
    // Fields after the ")" that closes the command name: state is 3rd; utime, stime are 14th, 15th.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}

function pidsNamed(name: string): number[] {
  try {
    return readdirSync('/proc')
      .filter((entry) => /^\d+$/.test(entry))
      .map(Number)
      .filter((pid) => {
        try {
          return readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === name;
        } catch {
          return false;
        }
      });
  } catch {
    return [];
  }
}

/**
 * Where the CPU went during a run: the server process, all PostgreSQL backends, and the load
 * generator (this process and any client processes it started). Shown as cores busy on average,
 * so "1.0" is one core saturated.
 */
export interface CoresUsed {
  server: number;
  postgres: number;
  loadGenerator: number;
}

export function startCpuAccounting(serverPid: number, clientPids: readonly number[] = []): () => CoresUsed {
  const snapshot = () => ({
    server: cpuSecondsOf(serverPid),
    postgres: pidsNamed('postgres').reduce((sum, pid) => sum + cpuSecondsOf(pid), 0),
    loadGenerator: [process.pid, ...clientPids].reduce((sum, pid) => sum + cpuSecondsOf(pid), 0),
    at: performance.now(),
  });
  const start = snapshot();
  return () => {
    const end = snapshot();
    const seconds = (end.at - start.at) / 1000;
    const cores = (key: 'server' | 'postgres' | 'loadGenerator') => (end[key] - start[key]) / seconds;
    return { server: cores('server'), postgres: cores('postgres'), loadGenerator: cores('loadGenerator') };
  };
}

export function describeCores(cores: CoresUsed): string {
  return (
    `CPU: server process ${cores.server.toFixed(2)}, PostgreSQL ${cores.postgres.toFixed(2)}, ` +
    `load generator ${cores.loadGenerator.toFixed(2)} of ${availableParallelism()} cores`
  );
}
