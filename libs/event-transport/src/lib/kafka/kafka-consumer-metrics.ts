import { sharedMetric } from '@todo/metrics';
import { Counter, Gauge } from 'prom-client';

function consumerSeries() {
  return {
    lag: sharedMetric(
      'kafka_consumer_lag_messages',
      (registry) =>
        new Gauge({
          name: 'kafka_consumer_lag_messages',
          help:
            'Messages of a partition this replica owns that are not processed yet: the high watermark of ' +
            'its last fetch minus the next offset to process (as fresh as that fetch; gone when the ' +
            'partition is revoked)',
          labelNames: ['group', 'topic', 'partition'] as const,
          registers: [registry],
        }),
    ),
    joined: sharedMetric(
      'kafka_consumer_joined',
      (registry) =>
        new Gauge({
          name: 'kafka_consumer_joined',
          help:
            "This process's consumers that are members of the group with their partitions assigned " +
            '(1 per consumer; 0 while it starts, rebalances or restarts)',
          labelNames: ['group'] as const,
          registers: [registry],
        }),
    ),
    lastProcessed: sharedMetric(
      'kafka_consumer_last_processed_timestamp_seconds',
      (registry) =>
        new Gauge({
          name: 'kafka_consumer_last_processed_timestamp_seconds',
          help: 'When this process last finished a message of the topic (handled or dead-lettered)',
          labelNames: ['group', 'topic'] as const,
          registers: [registry],
        }),
    ),
    restarts: sharedMetric(
      'kafka_consumer_restarts_total',
      (registry) =>
        new Counter({
          name: 'kafka_consumer_restarts_total',
          help: 'Times a consumer failed (could not join, or crashed) and was started again after a backoff',
          labelNames: ['group'] as const,
          registers: [registry],
        }),
    ),
  };
}

/**
 * The Prometheus view of one consumer (one group in this process). Lag is computed from the
 * consumer's own fetches rather than with admin calls (OffsetFetch + ListOffsets): it needs no extra
 * connection or ACLs, and works on brokers without the admin API (the kcat mock). The price: a
 * partition shows up only once this replica fetched data from it, and its value is as fresh as that
 * fetch; a group with no running member has no lag series at all (alert on `kafka_consumer_joined`).
 */
export class KafkaConsumerMetrics {
  private readonly series = consumerSeries();
  /** High watermark of the last batch per owned partition (`topic\0partition`). */
  private readonly highWatermarks = new Map<string, number>();
  private isJoined = false;

  constructor(private readonly group: string) {
    this.series.joined.inc({ group }, 0); // the series exists (at 0) before the first join
  }

  joined(joined: boolean): void {
    if (joined === this.isJoined) return;
    this.isJoined = joined;
    // inc/dec: two members of one group in one process (tests, standalone) do not overwrite each other
    if (joined) this.series.joined.inc({ group: this.group });
    else this.series.joined.dec({ group: this.group });
    if (!joined) this.revokeAll();
  }

  /** A fetched batch is about to be processed, starting at `firstOffset`. */
  batchStarted(topic: string, partition: number, highWatermark: string, firstOffset: string): void {
    this.highWatermarks.set(partitionKey(topic, partition), Number(highWatermark));
    this.setLag(topic, partition, Number(firstOffset));
  }

  /** Every message of the partition up to `offset` is done (handled or dead-lettered); it will be committed. */
  processed(topic: string, partition: number, offset: string): void {
    this.setLag(topic, partition, Number(offset) + 1);
    this.series.lastProcessed.set({ group: this.group, topic }, Date.now() / 1000);
  }

  restarted(): void {
    this.series.restarts.inc({ group: this.group });
  }

  private setLag(topic: string, partition: number, nextOffset: number): void {
    const highWatermark = this.highWatermarks.get(partitionKey(topic, partition));
    if (highWatermark === undefined) return;
    this.series.lag.set(
      { group: this.group, topic, partition: String(partition) },
      Math.max(0, highWatermark - nextOffset),
    );
  }

  /** Partitions may move to another member: their lag is no longer this replica's to report. */
  private revokeAll(): void {
    for (const key of this.highWatermarks.keys()) {
      const [topic, partition] = key.split('\0');
      this.series.lag.remove({ group: this.group, topic, partition });
    }
    this.highWatermarks.clear();
  }
}

function partitionKey(topic: string, partition: number): string {
  return `${topic}\0${partition}`;
}
