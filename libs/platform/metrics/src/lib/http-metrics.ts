import type { FastifyInstance } from 'fastify';
import { Histogram, type Registry } from 'prom-client';

/** Records every HTTP response in a latency histogram labelled by route template (bounded cardinality). */
export function recordHttpMetrics(fastify: FastifyInstance, registry: Registry): void {
  const existing = registry.getSingleMetric('http_request_duration_seconds') as
    Histogram<'method' | 'route' | 'status_code'> | undefined;
  const duration =
    existing ??
    new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP request latency by method, route template and status code',
      labelNames: ['method', 'route', 'status_code'] as const,
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    });
  fastify.addHook('onResponse', (request, reply, done) => {
    duration.observe(
      {
        method: request.method,
        route: request.routeOptions.url ?? 'unmatched',
        status_code: String(reply.statusCode),
      },
      reply.elapsedTime / 1000,
    );
    done();
  });
}
