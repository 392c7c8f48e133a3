import { Injectable } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { type DomainEvent, EventConsumer, EVENTS_MIGRATIONS, Inbox, TOPICS } from '@todo/events';
import { startTestApp, type TestApp } from '@todo/testing';
import { randomUUID } from 'node:crypto';
import { DataSource, type EntityManager } from 'typeorm';
import { startEventConsumers } from '../event-consumers';
import { EventPublisher } from '../event-publisher';
import { EventTransportModule } from '../event-transport.module';
import { sampleTaskCreated } from '../testing/sample-events';
import { describeTransportConformance } from '../testing/transport-conformance';
import { MemoryBroker } from './memory-broker';

describeTransportConformance('memory', () => ({
  env: () => ({ EVENT_TRANSPORT: 'memory' }),
  sendRaw: (app, topic, key, body) =>
    app.app.get(MemoryBroker).publish([{ topic, key, event: JSON.parse(body) }]),
  deadLetters: async (app, topic) =>
    app.app
      .get(MemoryBroker)
      .deadLetters(topic)
      .map((letter) => ({ body: JSON.parse(letter.body), headers: letter.headers })),
}));

const CONSUMER = 'memory-batches';

@Injectable()
class Effects {
  readonly committed: Array<{ id: string; key: string }> = [];
}

/** Applied once per inbox batch to all its `batched …` events; refuses a batch holding `batched poison`. */
async function recordTitles(tx: EntityManager, titles: readonly string[]): Promise<void> {
  await tx.query(`SELECT 1`);
  if (titles.includes('batched poison')) throw new Error('statement refused');
}

@EventConsumer()
class BatchingConsumer {
  constructor(
    private readonly effects: Effects,
    private readonly inbox: Inbox,
  ) {}

  @EventPattern('task.created', { consumer: CONSUMER })
  async created(@Payload() event: DomainEvent<'task.created'>): Promise<void> {
    const title = event.data.task.title;
    const ran = title.startsWith('batched')
      ? await this.inbox.onceBatched(CONSUMER, event.id, recordTitles, title)
      : await this.inbox.once(CONSUMER, event.id, async (tx) => {
          await tx.query(`SELECT 1`);
          if (title === 'poison') throw new Error('side effect refused');
        });
    if (ran) this.effects.committed.push({ id: event.id, key: event.subject });
  }
}

describe('memory transport with an inbox consumer (PostgreSQL)', () => {
  let app: TestApp;
  const publish = (events: DomainEvent[]) =>
    app.app
      .get(EventPublisher)
      .publish(events.map((event) => ({ topic: TOPICS.taskEvents, key: event.subject, event })));
  const inboxTransactions = async (): Promise<number[]> =>
    (
      await app.app
        .get(DataSource)
        .query(
          `SELECT count(*)::int AS events FROM inbox WHERE consumer = $1 GROUP BY xmin ORDER BY events DESC`,
          [CONSUMER],
        )
    ).map((row: { events: number }) => row.events);

  beforeEach(async () => {
    app = await startTestApp({
      service: 'memory-batches',
      imports: [
        EventTransportModule,
        { module: class BatchingModule {}, controllers: [BatchingConsumer], providers: [Effects] },
      ],
      migrations: EVENTS_MIGRATIONS,
      env: {
        EVENT_TRANSPORT: 'memory',
        OUTBOX_RELAY: 'false',
        EVENT_MAX_ATTEMPTS: '2',
        EVENT_RETRY_BACKOFF_MS: '20',
      },
      beforeListen: startEventConsumers,
    });
  });
  afterEach(() => app?.close());

  it('hands the consumer the next event of every key at once: large inbox batches, order per key kept', async () => {
    const busyKey = randomUUID();
    const onBusyKey = Array.from({ length: 30 }, (_, i) => sampleTaskCreated(`busy ${i}`, busyKey));
    const oneEach = Array.from({ length: 120 }, (_, i) => sampleTaskCreated(`alone ${i}`));
    const events = [...onBusyKey.slice(0, 10), ...oneEach, ...onBusyKey.slice(10)];
    await publish(events);

    const effects = app.app.get(Effects).committed;
    expect(effects).toHaveLength(events.length); // acknowledged only once all were handled
    expect(effects.filter((effect) => effect.key === busyKey).map((effect) => effect.id)).toEqual(
      onBusyKey.map((event) => event.id),
    );
    const transactions = await inboxTransactions();
    // 121 keys are ready together: the first transaction takes the inbox's whole batch of 100 (hashed
    // lanes capped it at their number); the busy key's later events follow one per transaction.
    expect(transactions[0]).toBe(100);
    expect(transactions.reduce((sum, events) => sum + events, 0)).toBe(events.length);
  });

  it('runs a failing side effect alone and commits the rest of its batch together, once', async () => {
    const events = Array.from({ length: 60 }, (_, i) => sampleTaskCreated(`neighbour ${i}`));
    const poison = sampleTaskCreated('poison');
    await publish([...events.slice(0, 30), poison, ...events.slice(30)]);
    const effects = app.app.get(Effects).committed;
    expect(effects.map((effect) => effect.id).sort()).toEqual(events.map((event) => event.id).sort());
    expect(app.app.get(MemoryBroker).deadLetters(`${TOPICS.taskEvents}.dlq`)).toHaveLength(1);
    // The batch of 61 was rolled back once; its 60 good events then committed in one transaction.
    expect(await inboxTransactions()).toEqual([60]);
  });

  it('applies a batched side effect to the whole batch in one statement; a poison among them is isolated by halving', async () => {
    const events = Array.from({ length: 63 }, (_, i) => sampleTaskCreated(`batched ${i}`));
    const poison = sampleTaskCreated('batched poison');
    await publish([...events.slice(0, 20), poison, ...events.slice(20)]);
    const effects = app.app.get(Effects).committed;
    expect(effects.map((effect) => effect.id).sort()).toEqual(events.map((event) => event.id).sort());
    expect(app.app.get(MemoryBroker).deadLetters(`${TOPICS.taskEvents}.dlq`)).toHaveLength(1);
    // 64 → 32 + 32 (one clean) → 16 + 16 → … → the poison alone: one clean transaction per level.
    const transactions = await inboxTransactions();
    expect(transactions).toEqual([32, 16, 8, 4, 2, 1]);
  });
});
