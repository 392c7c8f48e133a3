import { type CoresUsed, startCpuAccounting } from './cpu-usage';
import { startWaitSampling } from './pg-wait-sampler';

export interface Observed<T> {
  value: T;
  cores: CoresUsed;
  /** What the database connections were doing (see `startWaitSampling`). */
  database: string;
}

/** Runs `run` while accounting CPU per process and sampling the database's connections. */
export async function observe<T>(
  databaseUrl: string,
  serverPid: number,
  run: () => Promise<T>,
): Promise<Observed<T>> {
  const cpu = startCpuAccounting(serverPid);
  const waits = await startWaitSampling(databaseUrl);
  let value: T;
  try {
    value = await run();
  } catch (error) {
    await waits(); // stop the sampler
    throw error;
  }
  return { value, cores: cpu(), database: await waits() };
}
