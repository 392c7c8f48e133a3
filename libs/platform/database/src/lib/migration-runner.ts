import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@todo/config';
import { DataSource } from 'typeorm';

/** Any constant shared by every replica: serializes concurrent migration runs across processes. */
const MIGRATION_LOCK_KEY = 7_414_071;

/** Applies pending migrations in one transaction each, holding a cluster-wide advisory lock. */
export async function runPendingMigrations(dataSource: DataSource): Promise<string[]> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    return applied.map((migration) => migration.name);
  } finally {
    await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
    await runner.release();
  }
}

@Injectable()
export class MigrationRunner implements OnModuleInit {
  private readonly logger = new Logger(MigrationRunner.name);

  constructor(
    private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onModuleInit(): Promise<void> {
    if (!this.config.database.migrationsRun) return;
    const applied = await runPendingMigrations(this.dataSource);
    if (applied.length) this.logger.log(`applied migrations: ${applied.join(', ')}`);
  }
}
