import { readdirSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

/** Fields of /proc/<pid>/stat after the ")" that closes the command name (state first); null if gone. */
function statFields(pid: number): string[] | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null;
  }
}

/** CPU seconds (user + system) used so far by one process, from /proc (0 where /proc is missing). */
function cpuSecondsOf(pid: number): number {
  const fields = statFields(pid); // utime, stime are the 14th and 15th fields of the whole line
  return fields ? (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND : 0;
}

/**
 * CPU seconds used so far by one PostgreSQL cluster: its postmaster, its live backends and the
 * backends that already exited (the postmaster's reaped children's time, cutime + cstime), so
 * short-lived connections count and other clusters on the machine do not.
 */
function clusterCpuSeconds(postmasterPid: number): number {
  const fields = statFields(postmasterPid);
  if (!fields) return 0;
  const reaped = (Number(fields[13]) + Number(fields[14])) / TICKS_PER_SECOND;
  const children = pidsNamed('postgres').filter((pid) => statFields(pid)?.[1] === String(postmasterPid));
  return cpuSecondsOf(postmasterPid) + reaped + children.reduce((sum, pid) => sum + cpuSecondsOf(pid), 0);
}

/** The postmaster of the server behind a connection: the parent of that connection's backend. */
export function postmasterOf(backendPid: number): number | undefined {
  const parent = Number(statFields(backendPid)?.[1]);
  return Number.isInteger(parent) && parent > 1 ? parent : undefined;
}

/** The bench's embedded PostgreSQL: the `postgres` process this bench process started. */
function benchPostmaster(): number {
  return pidsNamed('postgres').find((pid) => statFields(pid)?.[1] === String(process.pid)) ?? 0;
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

/** `postmasterPid`: the cluster to count (see `postmasterOf`); without it, the bench's own. */
export function startCpuAccounting(
  serverPid: number,
  clientPids: readonly number[] = [],
  postmasterPid?: number,
): () => CoresUsed {
  const snapshot = () => ({
    server: cpuSecondsOf(serverPid),
    postgres: clusterCpuSeconds(postmasterPid ?? benchPostmaster()),
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
