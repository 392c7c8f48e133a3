import { sharedMetric } from '@todo/metrics';
import { Counter, Gauge, Histogram } from 'prom-client';

/** The relay's health as Prometheus series (shared by every relay in the process). */
export function outboxMetrics() {
  return {
    pending: sharedMetric(
      'outbox_pending_events',
      (registry) =>
        new Gauge({
          name: 'outbox_pending_events',
          help: 'Events written but not yet published',
          registers: [registry],
        }),
    ),
    oldestPendingAge: sharedMetric(
      'outbox_oldest_pending_age_seconds',
      (registry) =>
        new Gauge({
          name: 'outbox_oldest_pending_age_seconds',
          help: 'Age of the oldest unpublished event (0 when none)',
          registers: [registry],
        }),
    ),
    publishLatency: sharedMetric(
      'outbox_publish_latency_seconds',
      (registry) =>
        new Histogram({
          name: 'outbox_publish_latency_seconds',
          help: 'From the commit of a change to the transport acknowledging its event',
          buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
          registers: [registry],
        }),
    ),
    published: sharedMetric(
      'outbox_published_events_total',
      (registry) =>
        new Counter({
          name: 'outbox_published_events_total',
          help: 'Events published',
          registers: [registry],
        }),
    ),
    failures: sharedMetric(
      'outbox_publish_failures_total',
      (registry) =>
        new Counter({
          name: 'outbox_publish_failures_total',
          help: 'Publish attempts that failed (the batch is retried with backoff)',
          registers: [registry],
        }),
    ),
  };
}
