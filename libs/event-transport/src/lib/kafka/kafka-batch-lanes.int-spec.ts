import type { EventsConfig } from '@todo/config';
import { type DomainEvent, TOPICS } from '@todo/events';
import { waitFor } from '@todo/testing';
import type { Producer } from 'kafkajs';
import { randomUUID } from 'node:crypto';
import { kcatClusterForSuite } from '../testing/kcat-cluster-for-suite';
import { sampleTaskCreated } from '../testing/sample-events';
import { createKafkaClient } from './kafka-client';
import { createOrderedProducer } from './kafka-event-publisher';
import { KafkaEventServer } from './kafka-event-server';

const { available, settings } = kcatClusterForSuite('batch-spec');

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function startServer(
  config: EventsConfig['kafka'],
  handle: (event: DomainEvent) => Promise<void>,
  consumerConcurrency = 32,
): Promise<KafkaEventServer> {
  const server = new KafkaEventServer(
    config,
    { defaultConsumer: 'batch', retry: { maxAttempts: 2, backoffMs: 10 } },
    { maxWaitTimeInMs: 100, joinTimeoutMs: 20_000, fromBeginning: true, consumerConcurrency },
  );
  server.addHandler('task.created', handle, true);
  await new Promise<void>((resolve, reject) => server.listen((error) => (error ? reject(error) : resolve())));
  return server;
}

/** Sends the events in one request, in this order, to the given partition (or by key). */
async function send(events: DomainEvent[], partition?: number): Promise<void> {
  const producer: Producer = createOrderedProducer(createKafkaClient(settings(), 'batch-spec-raw'));
  await producer.connect();
  try {
    await producer.send({
      topic: TOPICS.taskEvents,
      acks: -1,
      messages: events.map((event) => ({ key: event.subject, value: JSON.stringify(event), partition })),
    });
  } finally {
    await producer.disconnect();
  }
}

(available ? describe : describe.skip)('kafka consumer batches by key (kcat mock cluster)', () => {
  it('handles the keys of a fetched batch at once, within the concurrency limit, each key in publish order', async () => {
    const keys = Array.from({ length: 12 }, () => randomUUID());
    const events = Array.from({ length: 96 }, (_, i) =>
      sampleTaskCreated(`lane ${i}`, keys[i % keys.length]),
    );
    const ours = new Set(events.map((event) => event.id));
    const handled: DomainEvent[] = [];
    const running = new Set<string>();
    let mostAtOnce = 0;
    let sameKeyAtOnce = false;
    // already waiting when the group joins, so fetches return full batches
    await send(events);
    const server = await startServer(
      settings({ groupPrefix: `spec-lanes-${randomUUID()}.` }),
      async (event) => {
        if (!ours.has(event.id)) return;
        if (running.has(event.subject)) sameKeyAtOnce = true;
        running.add(event.subject);
        mostAtOnce = Math.max(mostAtOnce, running.size);
        await sleep(20);
        running.delete(event.subject);
        handled.push(event);
      },
      6,
    );
    try {
      await waitFor(() => handled.length === events.length, 'every event', 20_000);
    } finally {
      await server.close();
    }
    expect(sameKeyAtOnce).toBe(false);
    // more than one per partition (4 on the mock), never more than the limit
    expect(mostAtOnce).toBeGreaterThan(4);
    expect(mostAtOnce).toBeLessThanOrEqual(6);
    for (const key of keys)
      expect(handled.filter((event) => event.subject === key).map((event) => event.id)).toEqual(
        events.filter((event) => event.subject === key).map((event) => event.id),
      );
  }, 40_000);

  it('never commits past a message that is not done: what followed it in the batch is delivered again', async () => {
    const config = settings({ groupPrefix: `spec-prefix-${randomUUID()}.` });
    const [before, poison, ...after] = ['before', 'poison', 'after 1', 'after 2', 'after 3'].map((title) =>
      sampleTaskCreated(title),
    );
    const ours = new Set([before, poison, ...after].map((event) => event.id));
    const handled: string[] = [];
    let poisonAttempts = 0;
    const handle = async (event: DomainEvent) => {
      if (!ours.has(event.id)) return;
      if (event.id === poison.id) {
        poisonAttempts++;
        throw new Error('poison');
      }
      // the later keys finish while the poison is still being retried
      handled.push(event.id);
    };

    const first = await startServer(config, handle);
    try {
      // the dead-letter topic refuses every write: the poison can never be done in this run
      const producer = first.unwrap<{ deadLetterProducer: Producer }>().deadLetterProducer;
      producer.sendBatch = () => Promise.reject(new Error('dead-letter topic unavailable'));
      await send([before, poison, ...after], 0);
      await waitFor(
        () => poisonAttempts >= 4 && after.every((event) => handled.includes(event.id)),
        'the later keys handled and the poison delivered again',
        20_000,
      );
    } finally {
      await first.close();
    }
    expect(handled.filter((id) => id === before.id)).toHaveLength(1);

    handled.length = 0;
    const second = await startServer(config, handle);
    try {
      // the poison is dead-lettered now (two attempts), then the offset moves past it
      await waitFor(
        () => after.every((event) => handled.includes(event.id)),
        'the redelivered later keys',
        20_000,
      );
      await sleep(1_000); // room for a wrong redelivery of `before`
    } finally {
      await second.close();
    }
    expect(handled).not.toContain(before.id);
    expect(handled.filter((id) => after.some((event) => event.id === id))).toHaveLength(after.length);
  }, 60_000);
});
