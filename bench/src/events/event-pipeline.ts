import { kcatAvailable, startKcatMockCluster } from '@todo/testing';
import type { Section } from '../results';
import type { HopSummary } from './event-hops';
import { type CapacityResult, measureEventCapacity } from './measure-event-capacity';
import { measureEventPath } from './measure-event-path';
import { measureEventTarget } from './measure-event-target';

export interface EventPipelinePlan {
  /** The event path at a modest rate, hop by hop. */
  path: { rate: number; seconds: number };
  /** Tasks created and completed into the backlog of the capacity runs. */
  capacityTasks: number;
  /** The run at the app's top write rate. */
  target: { users: number; connections: number; topSeconds: number; seconds: number };
}

/** Issue 19's Kafka figure: write → consumer p99 on the kcat mock with the default fetch wait. */
const KAFKA_P99_GOAL_MS = 150;

/**
 * The event pipeline: the path at a modest rate (standalone, Kafka, Kafka with a short fetch wait)
 * with its hops; capacity from a backlog (standalone, Kafka); and the run at the top write rate
 * against ARCHITECTURE §9's targets. Kafka runs are skipped with a notice without kcat.
 */
export async function measureEventPipeline(
  databaseUrl: string,
  /** The Node.js binary the app runs on. */
  node: string,
  plan: EventPipelinePlan,
  /** Profiles a separate standalone drain when capacity misses its target (as REST does at saturation). */
  profile?: (run: (nodeOptions: string[]) => Promise<void>) => Promise<string[]>,
): Promise<Section[]> {
  const kafka = kcatAvailable();
  if (!kafka) console.log('  ⚠ kcat is not installed: the Kafka runs of the event pipeline are skipped');
  const path = await eventPath(databaseUrl, node, plan.path, kafka);
  const capacity = [
    await measureEventCapacity({
      databaseUrl,
      node,
      transport: 'standalone, in-memory transport',
      tasks: plan.capacityTasks,
    }),
  ];
  if (kafka) {
    // A cluster of its own: new consumer groups read their topics from the start, and only this run's events are there.
    const cluster = await startKcatMockCluster();
    try {
      capacity.push(
        await measureEventCapacity({
          databaseUrl,
          node,
          transport: 'Kafka, kcat mock cluster',
          env: {
            EVENT_TRANSPORT: 'kafka',
            KAFKA_BROKERS: cluster.brokers,
            KAFKA_GROUP_PREFIX: `bench-capacity-${Date.now()}.`,
          },
          tasks: plan.capacityTasks,
        }),
      );
    } finally {
      await cluster.stop();
    }
  }
  const target = await targetSection(databaseUrl, node, plan.target, capacity);
  const standalone = capacity[0];
  if (profile && !target.targets.every((check) => check.met))
    standalone.breakdown.push(
      ...(await profile(async (nodeOptions) => {
        await measureEventCapacity({
          databaseUrl,
          node,
          transport: 'standalone, profiled',
          tasks: plan.capacityTasks,
          nodeOptions,
        });
      })),
    );
  return [
    ...path,
    {
      id: 'event-capacity',
      title: 'Event pipeline capacity: a backlog drained by the relay and every consumer group (events/s)',
      rows: capacity.map((run) => run.row),
      targets: [],
      breakdown: capacity.flatMap((run) => run.breakdown),
    },
    target,
  ];
}

async function eventPath(
  databaseUrl: string,
  node: string,
  load: { rate: number; seconds: number },
  kafka: boolean,
): Promise<Section[]> {
  const runs = [
    await measureEventPath({ databaseUrl, node, transport: 'standalone, in-memory transport', ...load }),
  ];
  if (kafka) {
    const cluster = await startKcatMockCluster();
    try {
      const env = {
        EVENT_TRANSPORT: 'kafka',
        KAFKA_BROKERS: cluster.brokers,
        KAFKA_GROUP_SUFFIX: `.bench-${Date.now()}`,
      };
      runs.push(
        await measureEventPath({ databaseUrl, node, transport: 'Kafka, kcat mock cluster', env, ...load }),
      );
      // The mock answers a waiting fetch only when its wait ends, not when a message arrives (a real
      // broker answers at once): each consumer hop waits ~half of KAFKA_FETCH_MAX_WAIT_MS on average.
      // A short wait shows the path without that artefact (at the price of more idle fetches).
      runs.push(
        await measureEventPath({
          databaseUrl,
          node,
          transport: 'Kafka, kcat mock cluster, KAFKA_FETCH_MAX_WAIT_MS=10',
          env: {
            ...env,
            KAFKA_GROUP_SUFFIX: `.bench-short-wait-${Date.now()}`,
            KAFKA_FETCH_MAX_WAIT_MS: '10',
          },
          ...load,
        }),
      );
    } finally {
      await cluster.stop();
    }
  }
  const rows = runs.map(({ breakdown: _breakdown, hops: _hops, ...row }) => row);
  const check = (row: Section['rows'][number] | undefined, limit: number, where: string) =>
    row && {
      target: `write → subscribed consumer p99 < ${limit} ms (${where})`,
      measured: `p99 ${row.latency.p99.toFixed(1)} ms, ${row.extra?.['lost']} lost`,
      met: row.latency.p99 < limit && row.extra?.['lost'] === 0,
    };
  const hops: HopSummary[] = runs.map((run) => run.hops);
  return [
    {
      id: 'events',
      title: `Event path at ${load.rate} writes/s for ${load.seconds} s`,
      rows,
      targets: [
        check(rows[0], 100, 'standalone'),
        check(rows[1], 250, 'Kafka'),
        check(rows[1], KAFKA_P99_GOAL_MS, 'Kafka, kcat mock, default fetch wait; issue 19'),
      ].filter((target) => !!target),
      breakdown: runs.flatMap((run) => run.breakdown),
    },
    {
      id: 'event-hops',
      title: `Event path hop by hop at ${load.rate} writes/s (commit timestamps; the audit consumer)`,
      rows: hops.flatMap((hop) => hop.rows),
      targets: [],
      breakdown: hops.map((hop) => hop.dominant),
    },
  ];
}

async function targetSection(
  databaseUrl: string,
  node: string,
  plan: EventPipelinePlan['target'],
  capacity: CapacityResult[],
): Promise<Section> {
  const run = await measureEventTarget({ databaseUrl, node, ...plan });
  const [standalone, viaKafka] = capacity;
  const ratio = standalone.eventsPerSecond / run.eventsPerSecond;
  const kafkaRatio = viaKafka && viaKafka.eventsPerSecond / run.eventsPerSecond;
  return {
    id: 'event-target',
    title: `Event pipeline at the top write rate for ${plan.seconds} s (standalone)`,
    rows: run.rows,
    targets: [
      {
        target: 'outbox backlog never above 1 s of events at the top write rate',
        measured: `max ${run.maxBacklogSeconds.toFixed(2)} s of events (${run.eventsPerSecond.toFixed(0)} events/s written)`,
        met: run.maxBacklogSeconds <= 1,
      },
      {
        target: 'change → audit consumer p99 < 250 ms at the top write rate (standalone), 0 lost',
        measured: `p99 ${run.p99.toFixed(1)} ms, ${run.lost} lost`,
        met: run.p99 < 250 && run.lost === 0,
      },
      {
        target:
          'pipeline capacity ≥ 3 × the top write rate (events/s drained from a backlog ÷ events/s written)',
        measured:
          `standalone ${ratio.toFixed(2)}× (${standalone.eventsPerSecond.toFixed(0)} ÷ ${run.eventsPerSecond.toFixed(0)} events/s)` +
          (kafkaRatio === undefined ? '' : `; Kafka (kcat mock) ${kafkaRatio.toFixed(2)}×`),
        met: ratio >= 3,
      },
    ],
    breakdown: run.breakdown,
  };
}
