import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { DataSource } from 'typeorm';

/** Ready only once the schema is current: a replica must not serve an older or newer schema's traffic. */
@Injectable()
export class MigrationsHealthIndicator {
  constructor(
    private readonly dataSource: DataSource,
    private readonly indicator: HealthIndicatorService,
  ) {}

  async isUpToDate(key = 'migrations') {
    const session = this.indicator.check(key);
    const pending = await this.dataSource.showMigrations();
    return pending
      ? session.down({ message: 'pending migrations: run `migrate` or set MIGRATIONS_RUN=true' })
      : session.up();
  }
}
