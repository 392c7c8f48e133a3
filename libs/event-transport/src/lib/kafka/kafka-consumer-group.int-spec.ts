import { Injectable } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import type { EventsConfig } from '@todo/config';
import { type DomainEvent, EventConsumer, EVENTS_MIGRATIONS, Inbox, TOPICS } from '@todo/events';
import { metricsRegistry } from '@todo/metrics';
import { startTestApp, type TestApp, waitFor } from '@todo/testing';
import { randomUUID } from 'node:crypto';
import net, { createServer, type Server, type Socket } from 'node:net';
import { startEventConsumers } from '../event-consumers';
import { EventPublisher } from '../event-publisher';
import { EventTransportModule } from '../event-transport.module';
import { kcatClusterForSuite } from '../testing/kcat-cluster-for-suite';
import { sampleTaskCreated } from '../testing/sample-events';
import { KafkaEventPublisher } from './kafka-event-publisher';
import { KafkaEventServer } from './kafka-event-server';

const kafka = kcatClusterForSuite('group-spec');
const { available, brokers } = kafka;

/** Settings with a fresh group prefix: a new durable group would replay the topic's earlier events. */
function settings(overrides: Partial<EventsConfig['kafka']> = {}): EventsConfig['kafka'] {
  return kafka.settings({ groupPrefix: `spec-group-${randomUUID()}.`, ...overrides });
}

const CONSUMER = 'replicas';

/** What one replica's handler saw; the effect is recorded through the inbox (exactly once per event). */
@Injectable()
class Handled {
  readonly calls: string[] = [];
  readonly effects: string[] = [];
}

@EventConsumer()
class ReplicaConsumer {
  constructor(
    private readonly handled: Handled,
    private readonly inbox: Inbox,
  ) {}

  @EventPattern('task.created', { consumer: CONSUMER })
  async onCreated(@Payload() event: DomainEvent<'task.created'>) {
    this.handled.calls.push(event.id);
    await this.inbox.once(CONSUMER, event.id, async () => {
      this.handled.effects.push(event.id);
    });
  }
}

/** A replica of a consumer app: the real HTTP app (health included) with the kafka transport. */
function startReplica(env: Record<string, string>, databaseUrl?: string): Promise<TestApp> {
  return startTestApp({
    service: 'group-spec',
    imports: [
      EventTransportModule,
      { module: class ReplicaModule {}, controllers: [ReplicaConsumer], providers: [Handled] },
    ],
    migrations: EVENTS_MIGRATIONS,
    databaseUrl,
    env: { EVENT_TRANSPORT: 'kafka', KAFKA_BROKERS: brokers(), OUTBOX_RELAY: 'false', ...env },
    beforeListen: startEventConsumers,
  });
}

async function readiness(app: TestApp): Promise<{ status: number; kafka?: string }> {
  const response = await app.api.request('GET', '/health/ready');
  const details = response.body?.details?.['kafka-consumers'];
  return { status: response.status, kafka: details?.message ?? details?.status };
}

/** Polls `/health/ready` in the background, keeping every answer, until stopped. */
function watchReadiness(app: TestApp) {
  const seen: Array<{ status: number; kafka?: string }> = [];
  let stopped = false;
  const done = (async () => {
    while (!stopped) {
      seen.push(await readiness(app));
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  })();
  return {
    seen,
    stop: async () => {
      stopped = true;
      await done;
    },
  };
}

function publishCreated(publisher: EventPublisher, count: number, title: string): Promise<string[]> {
  const events = Array.from({ length: count }, (_, i) => sampleTaskCreated(`${title} ${i}`));
  return publisher
    .publish(events.map((event) => ({ topic: TOPICS.taskEvents, key: event.subject, event })))
    .then(() => events.map((event) => event.id));
}

function listen(server: KafkaEventServer): Promise<void> {
  return new Promise<void>((resolve, reject) =>
    server.listen((error) => (error ? reject(error) : resolve())),
  );
}

/** The current value of a series of this process's registry, or undefined when it does not exist. */
async function metricValue(name: string, labels: Record<string, string>): Promise<number | undefined> {
  const values = (await metricsRegistry.getSingleMetric(name)?.get())?.values ?? [];
  return values.find((entry) =>
    Object.entries(labels).every(([label, value]) => String(entry.labels[label]) === value),
  )?.value;
}

(available ? describe : describe.skip)('kafka consumer groups (kcat mock cluster)', () => {
  it('shares one group between two replicas: each event handled once, readiness follows the membership, and a replica that shuts down hands its partitions over', async () => {
    // the production session timeout: the mock's rebalances wait for it (minus 1 s), see the README
    const env = { KAFKA_GROUP_PREFIX: `spec-replicas-${randomUUID()}.`, KAFKA_SESSION_TIMEOUT_MS: '10000' };
    const first = await startReplica(env);
    let second: TestApp | undefined;
    const publisher = new KafkaEventPublisher(settings());
    try {
      expect(await readiness(first)).toEqual({ status: 200, kafka: 'up' });
      const firstHandled = first.app.get(Handled);

      // a second replica joins: the first one rebalances (not ready), then both are members
      const watch = watchReadiness(first);
      second = await startReplica(env, first.databaseUrl);
      await waitFor(
        async () => (await readiness(first)).status === 200,
        'the first replica to rejoin',
        20_000,
      );
      await watch.stop();
      expect(watch.seen).toContainEqual({ status: 503, kafka: expect.stringMatching(/is rebalancing/) });
      expect(await readiness(second)).toEqual({ status: 200, kafka: 'up' });
      const secondHandled = second.app.get(Handled);

      const before = await publishCreated(publisher, 40, 'shared');
      const effects = () => [...firstHandled.effects, ...secondHandled.effects];
      await waitFor(() => before.every((id) => effects().includes(id)), 'every event, by either replica');
      // both replicas own partitions (4 partitions, 40 keys)
      expect(firstHandled.effects.length).toBeGreaterThan(0);
      expect(secondHandled.effects.length).toBeGreaterThan(0);

      // SIGTERM does app.close(): the second replica leaves the group, the first takes its partitions
      const closing = Date.now();
      await second.close();
      second = undefined;
      const after = await publishCreated(publisher, 40, 'taken over');
      await waitFor(() => after.every((id) => firstHandled.effects.includes(id)), 'the takeover', 30_000);
      const takeoverMs = Date.now() - closing;
      console.info(`kafka consumer group takeover after a replica left: ${takeoverMs} ms`);
      // without the LeaveGroup the coordinator would first wait for the session timeout (10 s)
      expect(takeoverMs).toBeLessThan(12_000);

      const all = effects();
      expect(all).toHaveLength(new Set(all).size);
      expect(new Set(all)).toEqual(new Set([...before, ...after]));
    } finally {
      await publisher.onModuleDestroy();
      await second?.close();
      await first.close();
    }
  }, 120_000);

  it('restarts the only replica of a group: consuming again within the session timeout', async () => {
    // audit or scheduler redeployed with one replica: the old process leaves, a new one joins
    const env = { KAFKA_GROUP_PREFIX: `spec-restart-${randomUUID()}.`, KAFKA_SESSION_TIMEOUT_MS: '10000' };
    const old = await startReplica(env);
    let replacement: TestApp | undefined;
    const publisher = new KafkaEventPublisher(settings());
    try {
      const stopping = Date.now();
      await old.close();
      const published = await publishCreated(publisher, 10, 'after the restart');
      replacement = await startReplica(env);
      const handled = replacement.app.get(Handled);
      await waitFor(
        () => published.every((id) => handled.effects.includes(id)),
        'the new replica to consume',
      );
      const restartMs = Date.now() - stopping;
      console.info(`kafka consumer restart (close, start, consume again): ${restartMs} ms`);
      // the mock holds the new member's JoinGroup until session timeout - 1 s after the old one left
      expect(restartMs).toBeLessThan(13_000);
    } finally {
      await publisher.onModuleDestroy();
      await replacement?.close();
    }
  }, 60_000);

  it('restarts a replica whose SyncGroup the coordinator refuses (INVALID_REQUEST), instead of giving up', async () => {
    // The mock completes a rebalance as soon as the leader's SyncGroup arrives and answers a
    // follower's later SyncGroup with INVALID_REQUEST, which kafkajs does not retry. Delaying the
    // second replica's requests makes it that late follower every time.
    const config = settings();
    const handled: string[] = [];
    const replica = (name: string) => {
      const server = new KafkaEventServer(
        { ...config, clientId: name },
        { defaultConsumer: 'late-follower', retry: { maxAttempts: 2, backoffMs: 10 } },
        { joinTimeoutMs: 40_000, restartBackoffMs: 200 },
      );
      server.addHandler('task.created', async (event: DomainEvent) => void handled.push(event.id), true);
      return server;
    };
    const leader = replica('leader');
    await listen(leader);
    const follower = replica('follower');
    const connect = net.connect;
    let slow = true;
    const spy = jest.spyOn(net, 'connect').mockImplementation(((...args: Parameters<typeof net.connect>) => {
      const socket = connect(...args);
      if (slow) {
        const write = socket.write.bind(socket) as (...rest: unknown[]) => boolean;
        socket.write = ((...rest: unknown[]) => {
          setTimeout(() => write(...rest), 300);
          return true;
        }) as typeof socket.write;
      }
      return socket;
    }) as typeof net.connect);
    const failures: string[] = [];
    const watcher = setInterval(() => {
      const problem = follower.problems().find((text) => /being restarted/.test(text));
      if (problem) {
        failures.push(problem);
        slow = false;
      }
    }, 50);
    const publisher = new KafkaEventPublisher(config);
    try {
      await listen(follower);
      expect(failures.some((failure) => /INVALID_REQUEST/.test(failure))).toBe(true);
      const ids = await publishCreated(publisher, 40, 'after the refused sync');
      await waitFor(() => ids.every((id) => handled.includes(id)), 'every event', 30_000);
    } finally {
      clearInterval(watcher);
      spy.mockRestore();
      await publisher.onModuleDestroy();
      await follower.close();
      await leader.close();
    }
  }, 90_000);

  it('keeps restarting a consumer whose broker is down at start-up, and consumes once it is up', async () => {
    // the bootstrap broker is a proxy that refuses connections at first (its port is reserved)
    const target = brokers().split(',')[0].split(':');
    const proxy = await closedPort();
    const config = settings({ brokers: [`127.0.0.1:${proxy.port}`] });
    const server = new KafkaEventServer(
      config,
      { defaultConsumer: 'late-broker', retry: { maxAttempts: 2, backoffMs: 10 } },
      { joinTimeoutMs: 60_000, restartBackoffMs: 200 },
    );
    const handled: string[] = [];
    server.addHandler('task.created', async (event: DomainEvent) => void handled.push(event.id), true);
    const seenProblems: string[] = [];
    const watcher = setInterval(() => seenProblems.push(...server.problems()), 100);
    const listening = listen(server);
    let relay: Server | undefined;
    try {
      // kafkajs gives up connecting after its own retries (~10 s); the consumer must be started again
      await waitFor(
        () => seenProblems.some((problem) => /failed .* being restarted/.test(problem)),
        'a restart of the consumer',
        30_000,
      );
      relay = await proxy.open(target[0], Number(target[1]));
      await listening;
      expect(server.problems()).toEqual([]);
      expect(
        await metricValue('kafka_consumer_restarts_total', { group: server.groupId('late-broker') }),
      ).toBeGreaterThan(0);

      const publisher = new KafkaEventPublisher(settings());
      try {
        const ids = await publishCreated(publisher, 5, 'after the outage');
        await waitFor(() => ids.every((id) => handled.includes(id)), 'the events published after the outage');
      } finally {
        await publisher.onModuleDestroy();
      }
    } finally {
      clearInterval(watcher);
      await server.close();
      await listening.catch(() => undefined);
      relay?.close();
    }
  }, 90_000);

  it('reports a joined consumer that completes no fetch as stuck, and recovers when the broker answers again', async () => {
    const server = new KafkaEventServer(
      settings(),
      { defaultConsumer: 'frozen', retry: { maxAttempts: 2, backoffMs: 10 } },
      { joinTimeoutMs: 20_000, stallTimeoutMs: 1_000 },
    );
    server.addHandler('task.created', async () => undefined, true);
    await listen(server);
    const current = kafka.cluster();
    try {
      expect(server.problems()).toEqual([]);
      current.pause();
      try {
        // short of the session timeout: the mock's own clock runs on while it is stopped
        await waitFor(
          () => server.problems().some((problem) => /completed no fetch/.test(problem)),
          'the frozen consumer to be reported',
          3_000,
        );
      } finally {
        current.resume();
      }
      await waitFor(() => server.problems().length === 0, 'the consumer to make progress again');
    } finally {
      current.resume();
      await server.close();
    }
  }, 40_000);

  it('gives up the start-up after the join timeout, naming the group and why it is not consuming', async () => {
    const server = new KafkaEventServer(
      settings({ brokers: ['127.0.0.1:1'] }),
      { defaultConsumer: 'nowhere', retry: { maxAttempts: 2, backoffMs: 10 } },
      // kafkajs gives up connecting after its own retries (~5 s), then the consumer is restarted
      { joinTimeoutMs: 8_000, restartBackoffMs: 200 },
    );
    server.addHandler('task.created', async () => undefined, true);
    // The deadline may find the group joining or between two attempts: either way it is named, with why.
    await expect(listen(server)).rejects.toThrow(
      /did not start within 8000 ms \(brokers: 127\.0\.0\.1:1\): consumer group spec-group-.*\.nowhere (is joining .*the last attempt failed|failed .* ago and is being restarted): .*ECONNREFUSED/,
    );
    expect(server.problems()).toEqual([]); // closed: nothing left running
  }, 20_000);

  it('exports the lag of each partition: it rises while the handler is blocked and falls after', async () => {
    const config = settings();
    const server = new KafkaEventServer(
      config,
      { defaultConsumer: 'lagging', retry: { maxAttempts: 2, backoffMs: 10 } },
      { joinTimeoutMs: 20_000, fromBeginning: false, stallTimeoutMs: 1_500 },
    );
    let release: () => void = () => undefined;
    const blocked = new Promise<void>((resolve) => (release = resolve));
    const handled: string[] = [];
    server.addHandler(
      'task.created',
      async (event: DomainEvent) => {
        await blocked;
        handled.push(event.id);
      },
      true,
    );
    await listen(server);
    const group = server.groupId('lagging');
    const publisher = new KafkaEventPublisher(config);
    try {
      expect(await metricValue('kafka_consumer_joined', { group })).toBe(1);
      // one key: one partition, handled one message at a time
      const key = randomUUID();
      const events = Array.from({ length: 20 }, (_, i) => sampleTaskCreated(`lag ${i}`, key));
      await publisher.publish(events.map((event) => ({ topic: TOPICS.taskEvents, key, event })));
      const lagOfKey = () => metricValue('kafka_consumer_lag_messages', { group, topic: TOPICS.taskEvents });
      await waitFor(async () => (await lagOfKey()) === 20, 'a lag of 20 while the handler is blocked');
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(await lagOfKey()).toBe(20);
      // a handler that does not return is a stuck consumer (the lag alone is not a problem)
      await waitFor(
        () => server.problems().some((problem) => /has been in its handler/.test(problem)),
        'the blocked handler to be reported',
      );

      release();
      await waitFor(() => handled.length === 20, 'the 20 events');
      await waitFor(async () => (await lagOfKey()) === 0, 'the lag to fall to 0');
      expect(server.problems()).toEqual([]);
      const lastProcessed = await metricValue('kafka_consumer_last_processed_timestamp_seconds', {
        group,
        topic: TOPICS.taskEvents,
      });
      expect(lastProcessed).toBeGreaterThan(Date.now() / 1000 - 30);
    } finally {
      release();
      await publisher.onModuleDestroy();
      await server.close();
    }
    expect(await metricValue('kafka_consumer_joined', { group })).toBe(0);
    // a closed consumer owns no partition any more: its lag series are gone
    expect(await metricValue('kafka_consumer_lag_messages', { group })).toBeUndefined();
  }, 60_000);
});

/**
 * A port where nothing listens yet ("the broker is down"); `open` starts a plain TCP relay there to
 * a real broker ("it came up").
 */
async function closedPort(): Promise<{ port: number; open(host: string, port: number): Promise<Server> }> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const address = probe.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return {
    port: address.port,
    open: async (host, targetPort) => {
      const relay = createServer((client: Socket) => {
        const upstream = net.connect(targetPort, host);
        client.pipe(upstream).pipe(client);
        const end = () => {
          client.destroy();
          upstream.destroy();
        };
        client.on('error', end).on('close', end);
        upstream.on('error', end).on('close', end);
      });
      await new Promise<void>((resolve) => relay.listen(address.port, '127.0.0.1', resolve));
      return relay;
    },
  };
}
