import { startStandalone } from '../harness/standalone-process';
import { registerUsers } from '../harness/users';
import type { Section } from '../results';
import { measureSearch } from './measure-search';
import { seedTasks } from './seed-tasks';

/**
 * The search scenario on its own app: starts the standalone app on `databaseUrl`, registers
 * `users` users through the API, seeds `perUser` tasks for each directly in the database, measures
 * search and filters over REST, stops the app. The section's title says how long seeding took.
 */
export async function measureSearchScenario(options: {
  databaseUrl: string;
  /** The Node.js binary the app runs on. */
  node: string;
  users: number;
  perUser: number;
  connections: number;
  seconds: number;
  log?: (line: string) => void;
}): Promise<Section> {
  const { databaseUrl, node, perUser, log } = options;
  const app = await startStandalone({ databaseUrl, node });
  try {
    const users = await registerUsers(app.url, options.users);
    const seed = await seedTasks(databaseUrl, users, perUser, { log });
    log?.(`seeded ${seed.tasks.toLocaleString('en-US')} tasks in ${seed.seconds.toFixed(1)} s`);
    const section = await measureSearch(app.url, users, { ...options, serverPid: app.pid });
    return { ...section, title: `${section.title}, seeded in ${seed.seconds.toFixed(1)} s` };
  } finally {
    await app.stop();
  }
}
