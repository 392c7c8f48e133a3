import type { AppConfig } from '@todo/config';
import type { DataSourceOptions, MixedList } from 'typeorm';

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- TypeORM's own type for migration classes
export type MigrationList = MixedList<Function>;

/** One place that turns configuration into TypeORM options: migrations only, never `synchronize`. */
export function dataSourceOptions(
  database: AppConfig['database'],
  migrations: MigrationList,
): DataSourceOptions {
  return {
    type: 'postgres',
    url: database.url,
    poolSize: database.poolSize,
    migrations,
    migrationsRun: false, // run by MigrationRunner under an advisory lock, see there
    migrationsTableName: 'schema_migrations',
    synchronize: false,
    applicationName: 'todo-assistant',
    extra: { connectionTimeoutMillis: 5_000, statement_timeout: 30_000 },
  };
}
