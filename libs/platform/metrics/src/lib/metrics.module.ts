import { Controller, Get, Header, Module } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Public } from '@todo/auth';
import { collectDefaultMetrics, Registry } from 'prom-client';

/** One registry per process, so tests and several apps in one process never collide on names. */
export const metricsRegistry = new Registry();
collectDefaultMetrics({ register: metricsRegistry });

// For orchestrators and scrapers, not API clients: described in the README, not in the OpenAPI document.
@ApiExcludeController()
@Public()
@Controller('metrics')
class MetricsController {
  @Get()
  @Header('Content-Type', metricsRegistry.contentType)
  scrape(): Promise<string> {
    return metricsRegistry.metrics();
  }
}

/** Prometheus exposition at `/metrics`. */
@Module({
  controllers: [MetricsController],
  providers: [{ provide: Registry, useValue: metricsRegistry }],
  exports: [Registry],
})
export class MetricsModule {}

/**
 * Returns the process-wide metric named `name`, creating it on first use. Several app instances in
 * one process (tests, standalone) then share one series instead of failing on a duplicate name.
 */
export function sharedMetric<T>(name: string, create: (registry: Registry) => T): T {
  return (metricsRegistry.getSingleMetric(name) as T | undefined) ?? create(metricsRegistry);
}
