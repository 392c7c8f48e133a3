import { type DomainEvent, TOPICS } from '@todo/events';
import { type TestApp, waitFor } from '@todo/testing';
import type { Consumer, IHeaders, Producer } from 'kafkajs';
import { randomUUID } from 'node:crypto';
import { kcatClusterForSuite } from '../testing/kcat-cluster-for-suite';
import { sampleTaskCreated } from '../testing/sample-events';
import {
  type ConformanceHarness,
  type DeadLetter,
  describeTransportConformance,
} from '../testing/transport-conformance';
import { createKafkaClient } from './kafka-client';
import {
  CLOUDEVENTS_CONTENT_TYPE,
  createOrderedProducer,
  KafkaEventPublisher,
} from './kafka-event-publisher';
import { KafkaEventServer } from './kafka-event-server';

const kafka = kcatClusterForSuite('kafka-spec');
const { available, brokers, settings } = kafka;

interface Received {
  readonly partition: number;
  readonly offset: string;
  readonly timestamp: number;
  readonly key: string | null;
  readonly body: unknown;
  readonly headers: Record<string, string>;
}

/** Reads a topic from its beginning in a fresh consumer group, in the background. */
class TopicReader {
  readonly received: Received[] = [];
  private constructor(private readonly consumer: Consumer) {}

  static async start(topic: string): Promise<TopicReader> {
    const consumer = createKafkaClient(settings(), 'spec-reader').consumer({
      groupId: `spec-reader-${randomUUID()}`,
      maxWaitTimeInMs: 100,
    });
    const reader = new TopicReader(consumer);
    const joined = new Promise<void>((resolve) => {
      const remove = consumer.on(consumer.events.GROUP_JOIN, () => {
        remove();
        resolve();
      });
    });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ partition, message }) => {
        const text = message.value?.toString('utf8') ?? '';
        let body: unknown = text;
        try {
          body = JSON.parse(text);
        } catch {
          // kept as the raw string
        }
        reader.received.push({
          partition,
          offset: message.offset,
          timestamp: Number(message.timestamp),
          key: message.key?.toString('utf8') ?? null,
          body,
          headers: headerStrings(message.headers),
        });
      },
    });
    await joined;
    return reader;
  }

  stop(): Promise<void> {
    return this.consumer.disconnect();
  }
}

function headerStrings(headers: IHeaders | undefined): Record<string, string> {
  return Object.fromEntries(
    Object.entries(headers ?? {}).map(([name, value]) => [
      name,
      Array.isArray(value) ? value.map(String).join(',') : String(value ?? ''),
    ]),
  );
}

describe('kafka (kcat mock cluster)', () => {
  // Shared by the conformance tests: one raw producer, one reader per dead-letter topic (a group join
  // costs ~3 s on the mock, so they live for the whole suite).
  let rawProducer: Promise<Producer> | undefined;
  const readers = new Map<string, Promise<TopicReader>>();
  const startedAt = new WeakMap<TestApp, number>();
  const reader = (topic: string) => {
    let existing = readers.get(topic);
    if (!existing) readers.set(topic, (existing = TopicReader.start(topic)));
    return existing;
  };

  const harness: ConformanceHarness = {
    // A fresh consumer group per test app (like a realtime replica): the mock makes a member that
    // joins a group another member just LEFT wait for the session timeout (29 s with the production
    // 30 s), while a new group joins in 3 s. Such a group starts at the latest offset, so the events
    // of earlier tests are not replayed.
    env: () => ({
      EVENT_TRANSPORT: 'kafka',
      KAFKA_BROKERS: brokers(),
      KAFKA_GROUP_SUFFIX: `.${randomUUID()}`,
    }),
    sendRaw: async (_app, topic, key, body) => {
      rawProducer ??= (async () => {
        const producer = createOrderedProducer(createKafkaClient(settings(), 'spec-raw'));
        await producer.connect();
        return producer;
      })();
      await (await rawProducer).send({ topic, acks: -1, messages: [{ key, value: Buffer.from(body) }] });
    },
    // The memory broker of each test app starts with no dead letters; the Kafka topic outlives the
    // app, so only letters written since this app started count.
    deadLetters: async (app, topic): Promise<DeadLetter[]> =>
      (await reader(topic)).received
        .filter((letter) => letter.timestamp >= (startedAt.get(app) ?? 0))
        .map(({ body, headers }) => ({ body, headers })),
    afterStart: async (app) => {
      startedAt.set(app, Date.now());
      await reader(`${TOPICS.taskEvents}.dlq`);
    },
  };

  describeTransportConformance('kafka', () => (available ? harness : null));

  afterAll(async () => {
    await (await rawProducer)?.disconnect();
    for (const pending of readers.values()) await (await pending).stop();
  }, 20_000);
});

(available ? describe : describe.skip)('kafka transport specifics', () => {
  it('sends the messages of one key to one partition, in publish order, as CloudEvents', async () => {
    const topic = `spec-partitions-${randomUUID()}`;
    const publisher = new KafkaEventPublisher(settings());
    const keys = Array.from({ length: 12 }, () => randomUUID());
    const events = Array.from({ length: 48 }, (_, i) => sampleTaskCreated(`p ${i}`, keys[i % keys.length]));
    try {
      await publisher.publish(events.slice(0, 30).map((event) => ({ topic, key: event.subject, event })));
      await publisher.publish(
        events.slice(30).map((event) => ({ topic, key: event.subject, event, headers: { 'x-trace': 't' } })),
      );
    } finally {
      await publisher.onModuleDestroy();
    }

    const topicReader = await TopicReader.start(topic);
    try {
      await waitFor(() => topicReader.received.length === events.length, 'every message');
    } finally {
      await topicReader.stop();
    }
    const received = topicReader.received;
    for (const key of keys) {
      const ofKey = received.filter((message) => message.key === key);
      expect(new Set(ofKey.map((message) => message.partition)).size).toBe(1);
      const inOffsetOrder = [...ofKey].sort((a, b) => Number(a.offset) - Number(b.offset));
      expect(inOffsetOrder.map((message) => (message.body as DomainEvent).id)).toEqual(
        events.filter((event) => event.subject === key).map((event) => event.id),
      );
    }
    expect(new Set(received.map((message) => message.partition)).size).toBeGreaterThan(1);
    expect(received.every((message) => message.headers['content-type'] === CLOUDEVENTS_CONTENT_TYPE)).toBe(
      true,
    );
    expect(received.filter((message) => message.headers['x-trace'] === 't')).toHaveLength(18);
    expect(received[0].body).toEqual(
      events.find((event) => event.id === (received[0].body as DomainEvent).id),
    );
  }, 30_000);

  it('resumes from the committed offset after a restart: nothing redelivered, nothing missed', async () => {
    const config = settings({ groupPrefix: `spec-resume-${randomUUID()}.` });
    const handled: string[] = [];
    const ours = new Set<string>();
    const startServer = async () => {
      const server = new KafkaEventServer(
        config,
        { defaultConsumer: 'resume', retry: { maxAttempts: 3, backoffMs: 10 } },
        { maxWaitTimeInMs: 100, joinTimeoutMs: 20_000 },
      );
      server.addHandler(
        'task.created',
        async (event: DomainEvent) => {
          // the topic also holds the conformance suite's events (a new durable group reads from the beginning)
          if (ours.has(event.id)) handled.push(event.id);
        },
        true,
      );
      await new Promise<void>((resolve, reject) =>
        server.listen((error) => (error ? reject(error) : resolve())),
      );
      return server;
    };
    const publisher = new KafkaEventPublisher(config);
    const publish = async (count: number) => {
      const events = Array.from({ length: count }, (_, i) => sampleTaskCreated(`resume ${i}`));
      for (const event of events) ours.add(event.id);
      await publisher.publish(
        events.map((event) => ({ topic: TOPICS.taskEvents, key: event.subject, event })),
      );
      return events.map((event) => event.id);
    };

    try {
      const first = await startServer();
      const before = await publish(10);
      await waitFor(() => before.every((id) => handled.includes(id)), 'the first batch').finally(() =>
        first.close(),
      );

      const whileDown = await publish(10);
      const second = await startServer();
      try {
        await waitFor(() => whileDown.every((id) => handled.includes(id)), 'the batch published while down');
        await new Promise((resolve) => setTimeout(resolve, 1_000)); // room for a wrong redelivery
      } finally {
        await second.close();
      }
      expect([...handled].sort()).toEqual([...before, ...whileDown].sort());
    } finally {
      await publisher.onModuleDestroy();
    }
  }, 45_000);

  it('keeps a message uncommitted when its dead letter cannot be written, and delivers it again', async () => {
    const poison = sampleTaskCreated('always fails');
    const calls: string[] = [];
    const server = new KafkaEventServer(
      settings({ groupPrefix: `spec-dlq-failure-${randomUUID()}.` }),
      { defaultConsumer: 'dlq-failure', retry: { maxAttempts: 2, backoffMs: 10 } },
      { maxWaitTimeInMs: 100, joinTimeoutMs: 20_000, fromBeginning: false },
    );
    server.addHandler(
      'task.created',
      async (event: DomainEvent) => {
        if (event.id !== poison.id) return;
        calls.push(event.id);
        throw new Error('poison');
      },
      true,
    );
    await new Promise<void>((resolve, reject) =>
      server.listen((error) => (error ? reject(error) : resolve())),
    );
    const publisher = new KafkaEventPublisher(settings());
    try {
      // the first dead-letter write fails, as if the broker refused it
      const producer = server.unwrap<{ deadLetterProducer: Producer }>().deadLetterProducer;
      const send = producer.sendBatch.bind(producer);
      const letters: unknown[] = [];
      let failNext = true;
      producer.sendBatch = async (batch) => {
        if (failNext) {
          failNext = false;
          throw new Error('dead-letter topic unavailable');
        }
        letters.push(
          ...(batch.topicMessages ?? []).flatMap((topic) => topic.messages.map((m) => String(m.value))),
        );
        return send(batch);
      };

      await publisher.publish([{ topic: TOPICS.taskEvents, key: poison.subject, event: poison }]);
      await waitFor(() => letters.length === 1, 'the second dead-letter write');
      // two attempts, dead-letter write fails -> not committed -> delivered again: two more attempts
      expect(calls).toHaveLength(4);
      expect(JSON.parse(letters[0] as string)).toEqual(poison);
    } finally {
      await publisher.onModuleDestroy();
      await server.close();
    }
  }, 30_000);

  it('fails a publish to a frozen cluster within its bound, and publishes again once it thaws', async () => {
    const topic = `spec-pause-${randomUUID()}`;
    const publisher = new KafkaEventPublisher(settings());
    const message = (title: string) => {
      const event = sampleTaskCreated(title);
      return [{ topic, key: event.subject, event }];
    };
    try {
      await publisher.publish(message('before'));
      const current = kafka.cluster();
      current.pause();
      const began = Date.now();
      try {
        await expect(publisher.publish(message('while frozen'))).rejects.toThrow(/did not acknowledge/);
      } finally {
        current.resume();
      }
      expect(Date.now() - began).toBeLessThan(15_000);
      await publisher.publish(message('after'));
    } finally {
      await publisher.onModuleDestroy();
    }
  }, 40_000);

  it('fails a publish fast when no broker listens', async () => {
    const publisher = new KafkaEventPublisher(settings({ brokers: ['127.0.0.1:1'] }));
    const began = Date.now();
    try {
      await expect(publisher.publish(message())).rejects.toThrow(/did not acknowledge/);
      expect(Date.now() - began).toBeLessThan(15_000);
    } finally {
      await publisher.onModuleDestroy();
    }

    function message() {
      const event = sampleTaskCreated('nobody home');
      return [{ topic: 'spec-unreachable', key: event.subject, event }];
    }
  }, 30_000);
});
