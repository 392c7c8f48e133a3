import { type CoresUsed, postmasterOf, startCpuAccounting } from './cpu-usage';
import { withClient } from './database';
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
  // only the bench's own PostgreSQL, not other clusters on the machine (asked while the backend lives)
  const postmaster = await withClient(databaseUrl, async (client) => {
    const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
    return postmasterOf(rows[0].pid);
  });
  const cpu = startCpuAccounting(serverPid, [], postmaster);
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
