import { sharedMetric } from '@todo/metrics';
import { Counter, Histogram } from 'prom-client';

/** How reminders fare, as Prometheus series (shared by every timer in the process). */
export function reminderMetrics() {
  return {
    outcomes: sharedMetric(
      'reminders_total',
      (registry) =>
        new Counter({
          name: 'reminders_total',
          help: 'Reminders that came due, by outcome (fired, missed, cancelled)',
          labelNames: ['outcome'],
          registers: [registry],
        }),
    ),
    lateness: sharedMetric(
      'reminder_lateness_seconds',
      (registry) =>
        new Histogram({
          name: 'reminder_lateness_seconds',
          help: 'From the time a reminder was due to the commit that fired it',
          buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 30, 60, 600],
          registers: [registry],
        }),
    ),
  };
}
