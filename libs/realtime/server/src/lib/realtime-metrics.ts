import { sharedMetric } from '@todo/metrics';
import { Counter, Gauge, Histogram } from 'prom-client';

/** The realtime service's Prometheus series (shared by every app instance in one process). */
export const realtimeMetrics = {
  openSockets: () =>
    sharedMetric(
      'realtime_open_sockets',
      (registry) =>
        new Gauge({
          name: 'realtime_open_sockets',
          help: 'Authenticated WebSocket connections open on this process',
          registers: [registry],
        }),
    ),
  sent: () =>
    sharedMetric(
      'realtime_messages_sent_total',
      (registry) =>
        new Counter({
          name: 'realtime_messages_sent_total',
          help: 'Messages written to sockets, by message type',
          labelNames: ['type'] as const,
          registers: [registry],
        }),
    ),
  dropped: () =>
    sharedMetric(
      'realtime_messages_dropped_total',
      (registry) =>
        new Counter({
          name: 'realtime_messages_dropped_total',
          help: 'Messages not delivered: stale (an older task version), slow_client (cut off for a full send buffer)',
          labelNames: ['reason'] as const,
          registers: [registry],
        }),
    ),
  closed: () =>
    sharedMetric(
      'realtime_sockets_closed_total',
      (registry) =>
        new Counter({
          name: 'realtime_sockets_closed_total',
          help: 'Sockets the server closed, by close code',
          labelNames: ['code'] as const,
          registers: [registry],
        }),
    ),
  deliveryLag: () =>
    sharedMetric(
      'realtime_delivery_lag_seconds',
      (registry) =>
        new Histogram({
          name: 'realtime_delivery_lag_seconds',
          help: 'Time from the event (the committed change, the fired reminder) to the socket write',
          buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
          registers: [registry],
        }),
    ),
};
