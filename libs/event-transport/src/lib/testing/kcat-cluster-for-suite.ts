import type { EventsConfig } from '@todo/config';
import { type KcatMockCluster, kcatAvailable, startKcatMockCluster } from '@todo/testing';

/**
 * One kcat mock cluster for the calling suite (started before its tests, stopped after them), and
 * the Kafka settings its clients use against it. `available` is false when kcat is not installed.
 */
export function kcatClusterForSuite(clientId: string) {
  const available = kcatAvailable();
  let cluster: KcatMockCluster | undefined;
  beforeAll(async () => {
    if (available) cluster = await startKcatMockCluster();
  }, 30_000);
  afterAll(async () => {
    await cluster?.stop();
  }, 15_000);

  const running = (): KcatMockCluster => {
    if (!cluster) throw new Error('the kcat mock cluster is not running');
    return cluster;
  };
  return {
    available,
    cluster: running,
    brokers: () => running().brokers,
    settings: (overrides: Partial<EventsConfig['kafka']> = {}): EventsConfig['kafka'] => ({
      brokers: running().brokers.split(','),
      clientId,
      groupPrefix: 'spec.',
      groupSuffix: '',
      fetchMaxWaitMs: 100,
      consumerConcurrency: 32,
      // the broker's minimum: the mock makes a member joining a group another member just left
      // wait for session timeout - 1 s
      sessionTimeoutMs: 6_000,
      ssl: false,
      sasl: undefined,
      ...overrides,
    }),
  };
}
