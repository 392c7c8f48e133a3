import { readdirSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

/** CPU seconds (user + system) used so far by one process, from /proc (0 where /proc is missing). */
function cpuSecondsOf(pid: number): number {
  // State is the 3rd field, ppid the 4th; utime, stime are the 14th, 15th.
  const fields = statFields(pid);
  return fields ? (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND : 0;
}

/** Fields of /proc/<pid>/stat after the ")" that closes the command name (null when gone). */
function statFields(pid: number): string[] | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null;
  }
}

/**
 * Processes called `name` that descend from `ancestor`: the bench's own PostgreSQL (its postmaster
 * is a child of the bench process), not the other clusters running on a shared machine.
 */
function descendantsNamed(name: string, ancestor: number): number[] {
  let pids: number[];
  try {
    pids = readdirSync('/proc')
      .filter((entry) => /^\d+$/.test(entry))
      .map(Number);
  } catch {
    return [];
  }
  const parentOf = new Map(pids.map((pid) => [pid, Number(statFields(pid)?.[1] ?? 0)]));
  const descends = (pid: number): boolean => {
    for (let parent = parentOf.get(pid) ?? 0; parent > 1; parent = parentOf.get(parent) ?? 0)
      if (parent === ancestor) return true;
    return false;
  };
  return pids.filter((pid) => {
    try {
      return descends(pid) && readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === name;
    } catch {
      return false;
    }
  });
}

/**
 * Where the CPU went during a run: the server process, the bench's PostgreSQL processes, and the load
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
    postgres: new Map(descendantsNamed('postgres', process.pid).map((pid) => [pid, cpuSecondsOf(pid)])),
    loadGenerator: [process.pid, ...clientPids].reduce((sum, pid) => sum + cpuSecondsOf(pid), 0),
    at: performance.now(),
  });
  const start = snapshot();
  return () => {
    const end = snapshot();
    const seconds = (end.at - start.at) / 1000;
    // Per process: one that exited during the run takes its CPU along (an undercount, never negative).
    let postgres = 0;
    for (const [pid, used] of end.postgres) postgres += used - (start.postgres.get(pid) ?? 0);
    const cores = (key: 'server' | 'loadGenerator') => (end[key] - start[key]) / seconds;
    return { server: cores('server'), postgres: postgres / seconds, loadGenerator: cores('loadGenerator') };
  };
}

export function describeCores(cores: CoresUsed): string {
  return (
    `CPU: server process ${cores.server.toFixed(2)}, PostgreSQL ${cores.postgres.toFixed(2)}, ` +
    `load generator ${cores.loadGenerator.toFixed(2)} of ${availableParallelism()} cores`
  );
}
