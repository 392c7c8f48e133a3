import { spawnSync } from 'node:child_process';
import { arch, availableParallelism, cpus, loadavg, release, totalmem, type } from 'node:os';

/** What the figures were measured on, so runs on different machines are not compared blindly. */
export interface MachineDescription {
  cpuModel: string;
  logicalCores: number;
  memoryGiB: number;
  /** `os.type() os.release() os.arch()`, e.g. `Linux 6.1.0 x64`. */
  os: string;
  /** The bench's Node.js: the load generators, socket holders and in-process scenarios run on it. */
  node: string;
  /** The Node.js the app (and the REST baselines) ran on (`--node`); the bench's own by default. */
  appNode: string;
  /** 1, 5 and 15 minute load averages when the run ended (a figure taken under load is not a quiet one). */
  loadAverage: number[];
  /** As given by the caller, e.g. the result of `SELECT version()` or `17.5`. */
  postgres: string;
  /** `kcat 1.7.1 (librdkafka 2.0.2)`, when kcat is installed (it runs the mock Kafka cluster). */
  kcat?: string;
}

export function describeMachine(extra: { postgres: string; appNode: string }): MachineDescription {
  const cores = cpus();
  return {
    cpuModel: cores[0]?.model.trim() || 'unknown CPU',
    // cpus() is empty on some platforms; availableParallelism() always answers
    logicalCores: cores.length || availableParallelism(),
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    os: `${type()} ${release()} ${arch()}`,
    node: process.versions.node,
    appNode: extra.appNode,
    loadAverage: loadavg().map((average) => Math.round(average * 100) / 100),
    postgres: extra.postgres,
    kcat: kcatVersion(),
  };
}

/**
 * One line, e.g. `2 × AMD EPYC · 24 GiB · Linux 6.1.0 x64 · load average 0.3, 0.5, 0.6 · Node 20.20.2 ·
 * PostgreSQL 17.5`; when the app ran on another Node: `… · app on Node 24.11.0 · load generators and socket holders on Node 20.20.2 · …`.
 */
export function summarizeMachine(machine: MachineDescription, options = { loadAverage: true }): string {
  // `SELECT version()` is long ("PostgreSQL 17.5 on x86_64-pc-linux-gnu, compiled by …"): keep the version
  const postgres = /^PostgreSQL\s+\S+/i.exec(machine.postgres)?.[0] ?? `PostgreSQL ${machine.postgres}`;
  return [
    `${machine.logicalCores} × ${machine.cpuModel}`,
    `${Math.round(machine.memoryGiB)} GiB`,
    machine.os,
    ...(options.loadAverage ? [`load average ${machine.loadAverage.join(', ')}`] : []),
    ...(machine.appNode !== machine.node
      ? [`app on Node ${machine.appNode}`, `load generators and socket holders on Node ${machine.node}`]
      : [`Node ${machine.node}`]),
    postgres.replace(/,$/, ''),
    ...(machine.kcat ? [machine.kcat] : []),
  ].join(' · ');
}

function kcatVersion(): string | undefined {
  const probe = spawnSync('kcat', ['-V'], { encoding: 'utf8', timeout: 5_000 });
  if (probe.error || probe.status !== 0) return undefined;
  const kcat = /Version\s+(\S+)/.exec(probe.stdout)?.[1];
  const librdkafka = /librdkafka\s+(\S+)/.exec(probe.stdout)?.[1];
  if (!kcat) return undefined;
  return librdkafka ? `kcat ${kcat} (librdkafka ${librdkafka})` : `kcat ${kcat}`;
}
