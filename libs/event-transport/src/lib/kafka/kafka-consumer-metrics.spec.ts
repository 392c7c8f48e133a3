import { metricsRegistry } from '@todo/metrics';
import { randomUUID } from 'node:crypto';
import { KafkaConsumerMetrics } from './kafka-consumer-metrics';

async function series(name: string, group: string) {
  const values = (await metricsRegistry.getSingleMetric(name)?.get())?.values ?? [];
  return values.filter((entry) => entry.labels['group'] === group);
}

describe('KafkaConsumerMetrics', () => {
  it('reports the lag of a partition from its last batch and the offsets processed since', async () => {
    const group = randomUUID();
    const metrics = new KafkaConsumerMetrics(group);
    metrics.joined(true);
    metrics.batchStarted('t', 2, '110', '100'); // offsets 100..109 fetched, none processed
    expect((await series('kafka_consumer_lag_messages', group)).map((entry) => entry.value)).toEqual([10]);
    metrics.processed('t', 2, '100');
    metrics.processed('t', 2, '104');
    expect(await series('kafka_consumer_lag_messages', group)).toEqual([
      expect.objectContaining({ labels: { group, topic: 't', partition: '2' }, value: 5 }),
    ]);
    metrics.processed('t', 2, '109');
    expect((await series('kafka_consumer_lag_messages', group))[0].value).toBe(0);
    const [lastProcessed] = await series('kafka_consumer_last_processed_timestamp_seconds', group);
    expect(lastProcessed.value).toBeCloseTo(Date.now() / 1000, -1);
  });

  it('drops the lag of every partition when the consumer stops being a member (they may move)', async () => {
    const group = randomUUID();
    const metrics = new KafkaConsumerMetrics(group);
    metrics.joined(true);
    metrics.batchStarted('t', 0, '5', '0');
    metrics.batchStarted('u', 1, '7', '3');
    expect(await series('kafka_consumer_lag_messages', group)).toHaveLength(2);
    metrics.joined(false);
    expect(await series('kafka_consumer_lag_messages', group)).toEqual([]);
    // an offset processed after the revocation does not bring a stale series back
    metrics.processed('t', 0, '1');
    expect(await series('kafka_consumer_lag_messages', group)).toEqual([]);
  });

  it('counts the joined members of a group in this process, from 0 before the first join', async () => {
    const group = randomUUID();
    const first = new KafkaConsumerMetrics(group);
    const second = new KafkaConsumerMetrics(group);
    const joined = async () => (await series('kafka_consumer_joined', group))[0].value;
    expect(await joined()).toBe(0);
    first.joined(true);
    second.joined(true);
    first.joined(true); // repeated state changes count once
    expect(await joined()).toBe(2);
    second.joined(false);
    expect(await joined()).toBe(1);
    first.restarted();
    expect((await series('kafka_consumer_restarts_total', group))[0].value).toBe(1);
  });
});
