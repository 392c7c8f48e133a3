import { startStandalone } from '../harness/standalone-process';
import { registerUsers } from '../harness/users';
import type { Section } from '../results';
import { measureSearch } from './measure-search';
import type { SearchUser } from './search-queries';
import { seedTasks, type SeedResult } from './seed-tasks';

export { measureSearch, SEARCH_TARGET, type MeasureSearchOptions } from './measure-search';
export type { SearchUser } from './search-queries';
export { seedTasks, type SeedOptions, type SeedResult } from './seed-tasks';

export interface SearchScenarioOptions {
  /** The database the running app uses (seeded directly, then EXPLAINed). */
  databaseUrl: string;
  /** The running app (e.g. `startStandalone(...).url`). */
  baseUrl: string;
  /** Freshly registered users without tasks (e.g. `registerUsers` from the harness). */
  users: readonly SearchUser[];
  perUser: number;
  connections: number;
  /** Seconds of load per query kind. */
  seconds: number;
  /** The app's process id (`StandaloneProcess.pid`): CPU per process in the breakdown of a miss. */
  serverPid?: number;
  log?: (line: string) => void;
}

/**
 * Seeds `perUser` tasks for every user, then measures search and filters over REST. The section's
 * title says how long seeding took; `seed` has the phases.
 */
export async function runSearchScenario(
  options: SearchScenarioOptions,
): Promise<{ section: Section; seed: SeedResult }> {
  const { databaseUrl, baseUrl, users, perUser, connections, seconds, serverPid, log } = options;
  const seed = await seedTasks(databaseUrl, users, perUser, { log });
  log?.(`seeded ${seed.tasks.toLocaleString('en-US')} tasks in ${seed.seconds.toFixed(1)} s`);
  const section = await measureSearch(baseUrl, users, {
    connections,
    seconds,
    perUser,
    databaseUrl,
    serverPid,
    log,
  });
  return { section: { ...section, title: `${section.title}, seeded in ${seed.seconds.toFixed(1)} s` }, seed };
}

/**
 * The whole scenario on its own app: starts the standalone app on `databaseUrl`, registers `users`
 * users through the API, seeds and measures (`runSearchScenario`), stops the app.
 */
export async function measureSearchScenario(options: {
  databaseUrl: string;
  users: number;
  perUser: number;
  connections: number;
  seconds: number;
  log?: (line: string) => void;
}): Promise<Section> {
  const app = await startStandalone({ databaseUrl: options.databaseUrl });
  try {
    const users = await registerUsers(app.url, options.users);
    const { section } = await runSearchScenario({ ...options, baseUrl: app.url, users, serverPid: app.pid });
    return section;
  } finally {
    await app.stop();
  }
}
