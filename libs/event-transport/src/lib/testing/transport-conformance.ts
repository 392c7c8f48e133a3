import { Injectable } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { type DomainEvent, EventConsumer, EVENTS_MIGRATIONS, Inbox, TOPICS } from '@todo/events';
import { startTestApp, type TestApp, waitFor } from '@todo/testing';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import type { EventContext } from '../consumer/event-context';
import { startEventConsumers } from '../event-consumers';
import { EventPublisher } from '../event-publisher';
import { EventTransportModule } from '../event-transport.module';
import { sampleTaskCreated } from './sample-events';

export interface DeadLetter {
  readonly body: unknown;
  readonly headers: Readonly<Record<string, string>>;
}

/** What a transport's test provides to run the shared suite against it. */
export interface ConformanceHarness {
  /** Variables that select and configure the transport (EVENT_TRANSPORT=…, broker addresses). */
  env(): Record<string, string>;
  /** Sends a message exactly as given, bypassing our publisher (for malformed messages). */
  sendRaw(app: TestApp, topic: string, key: string, body: string): Promise<void>;
  /** Messages that arrived on `<topic>.dlq` so far. */
  deadLetters(app: TestApp, topic: string): Promise<DeadLetter[]>;
  /** Runs once the consumer app listens (e.g. a fake sidecar reads its subscriptions). */
  afterStart?(app: TestApp): Promise<void>;
}

const CONSUMER = 'conformance';

/** Records what the conformance consumer saw; titles steer it (`fail:N`, `fail-always`, `slow:MS`, `poison-effect`). */
@Injectable()
class Recorder {
  readonly calls: Array<{ id: string; title: string; attempt: number }> = [];
  readonly effects: Array<{ id: string; key: string; title: string }> = [];
  readonly started = new Set<string>();
}

@EventConsumer()
class ConformanceConsumer {
  constructor(
    private readonly recorder: Recorder,
    private readonly inbox: Inbox,
  ) {}

  @EventPattern('task.created', { consumer: CONSUMER })
  async onCreated(@Payload() event: DomainEvent<'task.created'>, @Ctx() context: EventContext) {
    const title = event.data.task.title;
    this.recorder.calls.push({ id: event.id, title, attempt: context.attempt });
    this.recorder.started.add(event.id);
    const failTimes = /^fail:(\d+)/.exec(title);
    if (title.startsWith('fail-always') || (failTimes && this.callsFor(event.id) <= Number(failTimes[1])))
      throw new Error(`handler refused "${title}"`);
    const slow = /^slow:(\d+)/.exec(title);
    if (slow) await new Promise((resolve) => setTimeout(resolve, Number(slow[1])));
    const ran = await this.inbox.once(CONSUMER, event.id, async (tx) => {
      // A side effect in the inbox's transaction; `poison-effect` fails it (and any batch it is in).
      await tx.query(`SELECT 1`);
      if (title.startsWith('poison-effect')) throw new Error(`side effect refused "${title}"`);
    });
    // Recorded once committed: the effect of a batch rolled back and run again is not counted twice.
    if (ran) this.recorder.effects.push({ id: event.id, key: event.subject, title });
  }

  private callsFor(id: string): number {
    return this.recorder.calls.filter((call) => call.id === id).length;
  }
}

/**
 * The delivery guarantees every transport must give, run against each of them: delivery, order per
 * key, duplicates absorbed by the inbox, retries then dead letter, invalid events dead-lettered
 * without reaching a handler, and a graceful shutdown that finishes the message in hand.
 */
export function describeTransportConformance(name: string, harness: () => ConformanceHarness | null) {
  const maybe = harness() ? describe : describe.skip;
  maybe(`${name} transport conformance`, () => {
    let app: TestApp;
    let recorder: Recorder;
    let publisher: EventPublisher;

    const start = async () => {
      const current = harness() as ConformanceHarness;
      app = await startTestApp({
        service: 'conformance',
        imports: [
          EventTransportModule,
          { module: class ConformanceModule {}, controllers: [ConformanceConsumer], providers: [Recorder] },
        ],
        migrations: EVENTS_MIGRATIONS,
        env: {
          EVENT_MAX_ATTEMPTS: '3',
          EVENT_RETRY_BACKOFF_MS: '20',
          OUTBOX_RELAY: 'false',
          ...current.env(),
        },
        beforeListen: startEventConsumers,
      });
      recorder = app.app.get(Recorder);
      publisher = app.app.get(EventPublisher);
      await current.afterStart?.(app);
    };
    const publish = (events: DomainEvent[]) =>
      publisher.publish(events.map((event) => ({ topic: TOPICS.taskEvents, key: event.subject, event })));

    beforeEach(start);
    afterEach(() => app?.close());

    it('delivers every event to the handler', async () => {
      const events = Array.from({ length: 20 }, (_, i) => sampleTaskCreated(`deliver ${i}`));
      await publish(events);
      await waitFor(() => recorder.effects.length === 20, '20 events');
      expect(new Set(recorder.effects.map((effect) => effect.id))).toEqual(
        new Set(events.map((event) => event.id)),
      );
    });

    it('keeps the order of events with the same key', async () => {
      const keys = Array.from({ length: 5 }, () => randomUUID());
      const events = Array.from({ length: 50 }, (_, i) =>
        sampleTaskCreated(`seq ${Math.floor(i / 5)}`, keys[i % 5]),
      );
      await publish(events.slice(0, 25));
      await publish(events.slice(25));
      await waitFor(() => recorder.effects.length === 50, '50 events');
      for (const key of keys) {
        const seen = recorder.effects.filter((effect) => effect.key === key).map((effect) => effect.id);
        expect(seen).toEqual(events.filter((event) => event.subject === key).map((event) => event.id));
      }
    });

    it('absorbs a redelivered event: the handler runs again, its effect happens once', async () => {
      const event = sampleTaskCreated('twice');
      await publish([event]);
      await publish([event]);
      await waitFor(
        () => recorder.calls.filter((call) => call.id === event.id).length === 2,
        'two deliveries',
      );
      expect(recorder.effects.filter((effect) => effect.id === event.id)).toHaveLength(1);
    });

    it('retries a failing handler and succeeds when it recovers', async () => {
      const event = sampleTaskCreated('fail:2 then work');
      await publish([event]);
      await waitFor(() => recorder.effects.some((effect) => effect.id === event.id), 'the third attempt');
      expect(recorder.calls.filter((call) => call.id === event.id)).toHaveLength(3);
    });

    it('dead-letters an event whose handler keeps failing, with the error, and goes on', async () => {
      const key = randomUUID();
      const poison = sampleTaskCreated('fail-always', key);
      const next = sampleTaskCreated('after the poison', key);
      await publish([poison, next]);
      await waitFor(
        () => recorder.effects.some((effect) => effect.id === next.id),
        'the next event on the key',
      );
      expect(recorder.calls.filter((call) => call.id === poison.id)).toHaveLength(3);
      const letters = await findDeadLetters(poison.id);
      expect(letters).toHaveLength(1);
      expect(letters[0].headers['x-error']).toContain('handler refused "fail-always"');
    });

    it('commits deliveries in batches; a failing side effect is dead-lettered alone, the others commit once', async () => {
      const events = Array.from({ length: 30 }, (_, i) => sampleTaskCreated(`batch ${i}`));
      const poison = sampleTaskCreated('poison-effect');
      await publish([...events.slice(0, 15), poison, ...events.slice(15)]);
      await waitFor(() => recorder.effects.length === 30, '30 effects');
      expect((await findDeadLetters(poison.id))[0].headers['x-error']).toContain('side effect refused');
      const ids = events.map((event) => event.id);
      expect(recorder.effects.map((effect) => effect.id).sort()).toEqual([...ids].sort());
      const inbox: Array<{ event_id: string; tx: string }> = await app.app
        .get(DataSource)
        .query(`SELECT event_id, xmin::text AS tx FROM inbox WHERE consumer = $1`, [CONSUMER]);
      expect(inbox.map((row) => row.event_id).sort()).toEqual([...ids].sort()); // none for the poison
      // xmin is the inserting transaction: fewer transactions than events means batches formed.
      expect(new Set(inbox.map((row) => row.tx)).size).toBeLessThan(ids.length);
    });

    it('runs the side effect of an event delivered twice in one batch once', async () => {
      const event = sampleTaskCreated('twice in a batch');
      const others = Array.from({ length: 8 }, (_, i) => sampleTaskCreated(`neighbour ${i}`));
      // Another key puts the copy on another partition or lane, so both are in flight together.
      await publisher.publish(
        [event, ...others, { ...event, subject: randomUUID() }].map((item) => ({
          topic: TOPICS.taskEvents,
          key: item.subject,
          event: item,
        })),
      );
      await waitFor(
        () =>
          recorder.calls.filter((call) => call.id === event.id).length === 2 && recorder.effects.length >= 9,
        'both deliveries and the neighbours',
      );
      expect(recorder.effects.filter((effect) => effect.id === event.id)).toHaveLength(1);
    });

    it('dead-letters invalid events without calling a handler', async () => {
      const badData = { ...sampleTaskCreated('bad'), data: { user_id: 'not-a-uuid' } };
      await harness()?.sendRaw(app, TOPICS.taskEvents, badData.subject, JSON.stringify(badData));
      await harness()?.sendRaw(app, TOPICS.taskEvents, 'k', '{"hello":"not a cloud event"}');
      const invalidData = (await findDeadLetters(badData.id))[0];
      expect(invalidData.headers['x-error']).toMatch(/invalid task\.created data/);
      await waitFor(
        async () => (await deadLettersOn()).some((letter) => isNotCloudEvent(letter.body)),
        'the dead letter of the non-CloudEvent',
      );
      const notCloudEvent = (await deadLettersOn()).find((letter) => isNotCloudEvent(letter.body));
      expect(notCloudEvent?.headers['x-error']).toMatch(/not a CloudEvent/);
      expect(recorder.calls.filter((call) => call.id === badData.id)).toHaveLength(0);
    });

    it('finishes the message in hand when shutting down', async () => {
      const event = sampleTaskCreated('slow:800');
      const published = publish([event]).catch(() => undefined);
      await waitFor(() => recorder.started.has(event.id), 'the handler to start');
      await app.close();
      expect(recorder.effects.map((effect) => effect.id)).toContain(event.id);
      await published;
      await start(); // afterEach closes this one
    });

    /** The non-CloudEvent as dead-lettered: as is, or (Dapr) wrapped as `data` of a CloudEvent. */
    function isNotCloudEvent(body: unknown): boolean {
      const letter = body as { hello?: string; data?: { hello?: string } } | undefined;
      return (letter?.hello ?? letter?.data?.hello) === 'not a cloud event';
    }

    async function deadLettersOn(): Promise<DeadLetter[]> {
      return (await harness()?.deadLetters(app, `${TOPICS.taskEvents}.dlq`)) ?? [];
    }

    async function findDeadLetters(id: string): Promise<DeadLetter[]> {
      await waitFor(
        async () => (await deadLettersOn()).some((letter) => (letter.body as { id?: string })?.id === id),
        'the dead letter',
      );
      return (await deadLettersOn()).filter((letter) => (letter.body as { id?: string })?.id === id);
    }
  });
}
