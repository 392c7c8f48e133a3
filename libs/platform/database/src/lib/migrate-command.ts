import type { AppConfig } from '@todo/config';
import { connectDataSource } from './connect-data-source';
import { dataSourceOptions, type MigrationList } from './data-source-options';
import { runPendingMigrations } from './migration-runner';

/** `node main.js migrate`: applies pending migrations and exits (distributed deployments, CI jobs). */
export async function migrateCommand(
  database: AppConfig['database'],
  migrations: MigrationList,
): Promise<string[]> {
  const dataSource = await connectDataSource(dataSourceOptions(database, migrations));
  try {
    return await runPendingMigrations(dataSource);
  } finally {
    await dataSource.destroy();
  }
}
