import { Controller, Get, Global, Module, Res, ServiceUnavailableException } from '@nestjs/common';
import {
  HealthCheck,
  HealthCheckService,
  HealthIndicatorService,
  TerminusModule,
  TypeOrmHealthIndicator,
} from '@nestjs/terminus';
import { ApiExcludeController } from '@nestjs/swagger';
import { Public } from '@todo/auth';
import { MigrationsHealthIndicator } from './migrations.health';
import { type ReadinessProbe, ReadinessProbes } from './readiness-probes';

// For orchestrators and scrapers, not API clients: described in the README, not in the OpenAPI document.
@ApiExcludeController()
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
    private readonly migrations: MigrationsHealthIndicator,
    private readonly probes: ReadinessProbes,
    private readonly indicator: HealthIndicatorService,
  ) {}

  /** The process is up and its event loop answers. */
  @Get('live')
  @HealthCheck()
  live() {
    return this.health.check([]);
  }

  /**
   * The database answers, its schema is current, and every registered dependency is up; otherwise 503
   * with Terminus's report of what is down (an expected state, not an internal error).
   */
  @Get('ready')
  @HealthCheck()
  async ready(@Res({ passthrough: true }) reply: { status(code: number): unknown }) {
    try {
      return await this.health.check([
        () => this.database.pingCheck('database', { timeout: 2_000 }),
        () => this.migrations.isUpToDate(),
        ...this.probes.entries().map(
          ([name, probe]) =>
            () =>
              this.probe(name, probe),
        ),
      ]);
    } catch (error) {
      if (!(error instanceof ServiceUnavailableException)) throw error;
      reply.status(503);
      return error.getResponse();
    }
  }

  private async probe(name: string, probe: ReadinessProbe) {
    const session = this.indicator.check(name);
    try {
      await probe();
      return session.up();
    } catch (error) {
      return session.down({ message: error instanceof Error ? error.message : String(error) });
    }
  }
}

/**
 * `/health/live` and `/health/ready` for orchestrators (Kubernetes probes, compose health checks).
 * Global so any module can add a readiness probe.
 */
@Global()
@Module({
  imports: [TerminusModule.forRoot({ logger: false })],
  controllers: [HealthController],
  providers: [MigrationsHealthIndicator, ReadinessProbes],
  exports: [ReadinessProbes],
})
export class HealthModule {}
