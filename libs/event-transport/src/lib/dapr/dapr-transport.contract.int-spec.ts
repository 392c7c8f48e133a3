/**
 * CONTRACT tests of the Dapr transport: daprd cannot run on these machines, so the app is tested
 * against `FakeDaprSidecar`, a double of daprd's documented HTTP contract (requests exactly as a
 * sidecar sends them and answers it expects). They do not prove anything about a real daprd beyond
 * that documented contract.
 */
import { Injectable } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { type DomainEvent, EventConsumer, EVENTS_MIGRATIONS, TOPICS } from '@todo/events';
import { ReadinessProbes } from '@todo/health';
import { daprAppPort, FakeDaprSidecar, startTestApp, type TestApp, waitFor } from '@todo/testing';
import { randomUUID } from 'node:crypto';
import type { EventContext } from '../consumer/event-context';
import { startEventConsumers } from '../event-consumers';
import { EventPublisher } from '../event-publisher';
import { EventTransportModule } from '../event-transport.module';
import { sampleTaskCreated } from '../testing/sample-events';
import { describeTransportConformance } from '../testing/transport-conformance';
import { DaprEventServer } from './dapr-event-server';

const daprEnv = (sidecar: FakeDaprSidecar) => ({
  EVENT_TRANSPORT: 'dapr',
  DAPR_HOST: '127.0.0.1',
  DAPR_HTTP_PORT: String(sidecar.port),
  DAPR_APP_PORT: '0',
  DAPR_PUBSUB_NAME: 'pubsub',
});

describe('dapr transport contract: shared conformance suite against a fake sidecar', () => {
  let sidecar: FakeDaprSidecar;
  // One sidecar per test, like one per pod; it retries 3 times (the suite's EVENT_MAX_ATTEMPTS).
  beforeEach(async () => {
    sidecar = await FakeDaprSidecar.start({ maxAttempts: 3, backoffMs: 20 });
  });
  afterEach(() => sidecar.stop());

  describeTransportConformance('dapr (contract, fake sidecar)', () => ({
    env: () => daprEnv(sidecar),
    afterStart: (app) => sidecar.connectApp(daprAppPort(app.app)),
    sendRaw: async (_app, topic, key, body) => sidecar.deliverRaw(topic, body, { key }),
    deadLetters: async (_app, topic) => sidecar.parsedMessages(topic),
  }));
});

@Injectable()
class Seen {
  readonly calls: Array<{ consumer: string; id: string; attempt: number; event: DomainEvent }> = [];
  of(id: string) {
    return this.calls.filter((call) => call.id === id);
  }
}

/** Two consumers on `task-events` (one Dapr app id, so one route runs both) and one on `task-updates`. */
@EventConsumer()
class ContractConsumers {
  constructor(private readonly seen: Seen) {}

  @EventPattern('task.created', { consumer: 'contract-a' })
  first(@Payload() event: DomainEvent<'task.created'>, @Ctx() context: EventContext) {
    this.seen.calls.push({ consumer: 'contract-a', id: event.id, attempt: context.attempt, event });
    if (event.data.task.title.startsWith('fail'))
      throw new Error(`contract-a refused "${event.data.task.title}"`);
  }

  @EventPattern('task.created', { consumer: 'contract-b' })
  second(@Payload() event: DomainEvent<'task.created'>, @Ctx() context: EventContext) {
    this.seen.calls.push({ consumer: 'contract-b', id: event.id, attempt: context.attempt, event });
    if (event.data.task.title === 'b fails') throw new Error('contract-b refused');
  }

  @EventPattern('task.changed', { consumer: 'contract-a' })
  changed() {
    return undefined;
  }
}

describe('dapr transport contract: HTTP exchanges with the sidecar', () => {
  let sidecar: FakeDaprSidecar;
  let app: TestApp;
  let appUrl: string;
  let seen: Seen;

  beforeAll(async () => {
    sidecar = await FakeDaprSidecar.start({ maxAttempts: 3, backoffMs: 10 });
    app = await startTestApp({
      service: 'contract',
      imports: [
        EventTransportModule,
        { module: class ContractModule {}, controllers: [ContractConsumers], providers: [Seen] },
      ],
      migrations: EVENTS_MIGRATIONS,
      env: {
        EVENT_MAX_ATTEMPTS: '3',
        EVENT_RETRY_BACKOFF_MS: '10',
        OUTBOX_RELAY: 'false',
        ...daprEnv(sidecar),
      },
      beforeListen: startEventConsumers,
    });
    seen = app.app.get(Seen);
    appUrl = `http://127.0.0.1:${daprAppPort(app.app)}`;
  });
  afterAll(async () => {
    await app?.close();
    await sidecar?.stop();
  });
  afterEach(() => {
    sidecar.failPublishes(null);
    sidecar.setHealthy(true);
    sidecar.retryPolicy = { maxAttempts: 3, backoffMs: 10 };
  });

  /** A delivery exactly as daprd sends it (docs: "Dapr-generated CloudEvents example"). */
  const asSidecarSendsIt = (event: object, topic: string = TOPICS.taskEvents) => ({
    ...event,
    topic,
    pubsubname: 'pubsub',
    traceid: '00-113ad9c4e42b27583ae98ba698d54255-e3743e35ff56f219-01',
    traceparent: '00-113ad9c4e42b27583ae98ba698d54255-e3743e35ff56f219-01',
    tracestate: '',
  });
  const post = async (
    body: string,
    contentType = 'application/cloudevents+json',
    topic: string = TOPICS.taskEvents,
  ) => {
    const response = await fetch(`${appUrl}/events/${topic}`, {
      method: 'POST',
      headers: {
        'content-type': contentType,
        traceparent: '00-113ad9c4e42b27583ae98ba698d54255-e3743e35ff56f219-01',
      },
      body,
    });
    return { status: response.status, body: (await response.json()) as unknown };
  };

  it('answers GET /dapr/subscribe with one subscription per topic, routed, with its dead-letter topic', async () => {
    const response = await fetch(`${appUrl}/dapr/subscribe`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await response.json()).toEqual([
      {
        pubsubname: 'pubsub',
        topic: 'task-events',
        routes: { default: '/events/task-events' },
        deadLetterTopic: 'task-events.dlq',
      },
      {
        pubsubname: 'pubsub',
        topic: 'task-updates',
        routes: { default: '/events/task-updates' },
        deadLetterTopic: 'task-updates.dlq',
      },
    ]);
  });

  it('handles a delivery exactly as a sidecar sends it: SUCCESS after every consumer of the topic ran', async () => {
    const event = sampleTaskCreated('hello from dapr');
    const response = await post(JSON.stringify(asSidecarSendsIt(event)));
    expect(response).toEqual({ status: 200, body: { status: 'SUCCESS' } });
    expect(
      seen
        .of(event.id)
        .map((call) => call.consumer)
        .sort(),
    ).toEqual(['contract-a', 'contract-b']);
    // handlers get our event, without Dapr's extension attributes
    expect(seen.of(event.id)[0].event).toEqual(event);
  });

  it('accepts application/json deliveries too', async () => {
    const event = sampleTaskCreated('plain json');
    expect(await post(JSON.stringify(asSidecarSendsIt(event)), 'application/json')).toEqual({
      status: 200,
      body: { status: 'SUCCESS' },
    });
  });

  it('answers RETRY when a handler fails, and counts the attempts of redeliveries', async () => {
    const event = sampleTaskCreated('fail please');
    const body = JSON.stringify(asSidecarSendsIt(event));
    expect(await post(body)).toEqual({ status: 200, body: { status: 'RETRY' } });
    expect(await post(body)).toEqual({ status: 200, body: { status: 'RETRY' } });
    // contract-b succeeded the first time: the redelivery runs contract-a only, as attempt 2
    expect(seen.of(event.id).map((call) => `${call.consumer}#${call.attempt}`)).toEqual([
      'contract-a#1',
      'contract-b#1',
      'contract-a#2',
    ]);
  });

  it('re-runs only the consumer that failed, and dead-letters with its error at the last attempt', async () => {
    const event = sampleTaskCreated('b fails');
    const body = JSON.stringify(asSidecarSendsIt(event));
    expect(await post(body)).toEqual({ status: 200, body: { status: 'RETRY' } });
    expect(await post(body)).toEqual({ status: 200, body: { status: 'RETRY' } });
    // third attempt = EVENT_MAX_ATTEMPTS: the app publishes the dead letter itself, with the reason
    expect(await post(body)).toEqual({ status: 200, body: { status: 'SUCCESS' } });
    expect(seen.of(event.id).map((call) => `${call.consumer}#${call.attempt}`)).toEqual([
      'contract-a#1',
      'contract-b#1',
      'contract-b#2',
      'contract-b#3',
    ]);
    const letter = sidecar.publishes.find(
      (publish) => publish.topic === 'task-events.dlq' && (publish.body as { id?: string }).id === event.id,
    );
    expect(letter).toMatchObject({
      path: '/v1.0/publish/pubsub/task-events.dlq',
      contentType: 'application/cloudevents+json',
      query: {
        'metadata.partitionKey': event.subject,
        'metadata.x-error': 'contract-b refused',
        'metadata.x-error-attempts': '3',
        'metadata.x-original-topic': 'task-events',
        'metadata.x-consumer': 'contract-b',
      },
    });
    expect(letter?.query['metadata.cloudevent.id']).toBeUndefined();
    expect(letter?.body).toMatchObject(event);
    expect(sidecar.parsedMessages('task-events.dlq').at(-1)?.headers['x-error']).toBe('contract-b refused');
  });

  it('dead-letters an invalid event and malformed JSON with the reason, without calling a handler', async () => {
    const invalid = { ...sampleTaskCreated('bad'), data: { user_id: 'not-a-uuid' } };
    expect(await post(JSON.stringify(asSidecarSendsIt(invalid)))).toEqual({
      status: 200,
      body: { status: 'SUCCESS' },
    });
    expect(await post('{"specversion":"1.0", oops')).toEqual({ status: 200, body: { status: 'SUCCESS' } });
    expect(seen.of(invalid.id)).toHaveLength(0);
    const letters = sidecar.publishes.filter((publish) => publish.topic === 'task-events.dlq').slice(-2);
    expect(letters[0].query['metadata.x-error']).toMatch(/^invalid task\.created data/);
    expect(letters[0].query['metadata.x-error-attempts']).toBe('1');
    expect(letters[1]).toMatchObject({ contentType: 'text/plain', rawBody: '{"specversion":"1.0", oops' });
    expect(letters[1].query['metadata.x-error']).toMatch(/^not a CloudEvent/);
  });

  it('answers DROP for an invalid event and malformed JSON when it cannot dead-letter them itself', async () => {
    sidecar.failPublishes(500);
    const invalid = { ...sampleTaskCreated('bad'), data: { user_id: 'not-a-uuid' } };
    expect(await post(JSON.stringify(asSidecarSendsIt(invalid)))).toEqual({
      status: 200,
      body: { status: 'DROP' },
    });
    expect(await post('not json at all', 'application/json')).toEqual({
      status: 200,
      body: { status: 'DROP' },
    });
    // …and a handler failing at its last attempt stays RETRY (the sidecar's policy decides then)
    const failing = JSON.stringify(asSidecarSendsIt(sampleTaskCreated('fail again')));
    for (let i = 0; i < 3; i++)
      expect(await post(failing)).toEqual({ status: 200, body: { status: 'RETRY' } });
  });

  it('answers 404 (the sidecar drops) for a topic it does not subscribe to', async () => {
    const response = await fetch(`${appUrl}/events/unknown-topic`, {
      method: 'POST',
      headers: { 'content-type': 'application/cloudevents+json' },
      body: JSON.stringify(asSidecarSendsIt(sampleTaskCreated('x'), 'unknown-topic')),
    });
    expect(response.status).toBe(404);
  });

  it('publishes each event as a CloudEvent to /v1.0/publish/pubsub/<topic> with its id and partition key', async () => {
    const event = sampleTaskCreated('published');
    await app.app.get(EventPublisher).publish([{ topic: TOPICS.taskEvents, key: event.subject, event }]);
    const request = sidecar.publishes.find((publish) => (publish.body as { id?: string }).id === event.id);
    expect(request).toMatchObject({
      method: 'POST',
      path: '/v1.0/publish/pubsub/task-events',
      contentType: 'application/cloudevents+json',
      query: { 'metadata.cloudevent.id': event.id, 'metadata.partitionKey': event.subject },
      status: 204,
    });
    expect(Object.keys(request?.query ?? {}).sort()).toEqual([
      'metadata.cloudevent.id',
      'metadata.partitionKey',
    ]);
    expect(request?.body).toEqual(event);
    // what the sidecar put on the broker: our event plus Dapr's attributes
    const stored = sidecar
      .parsedMessages('task-events')
      .find((message) => (message.body as { id: string }).id === event.id);
    expect(stored?.key).toBe(event.subject);
    expect(stored?.body).toMatchObject({ ...event, topic: 'task-events', pubsubname: 'pubsub' });
  });

  it('publishes one key at a time, in order, and different keys in parallel', async () => {
    sidecar.publishDelayMs = 30;
    try {
      const keys = [randomUUID(), randomUUID(), randomUUID()];
      const events = Array.from({ length: 12 }, (_, i) => sampleTaskCreated(`order ${i}`, keys[i % 3]));
      const before = sidecar.publishes.length;
      await app.app
        .get(EventPublisher)
        .publish(events.map((event) => ({ topic: TOPICS.taskEvents, key: event.subject, event })));
      const requests = sidecar.publishes.slice(before);
      for (const key of keys) {
        const ofKey = requests.filter((request) => request.query['metadata.partitionKey'] === key);
        expect(ofKey.map((request) => (request.body as { id: string }).id)).toEqual(
          events.filter((event) => event.subject === key).map((event) => event.id),
        );
        for (let i = 1; i < ofKey.length; i++)
          expect(ofKey[i].startedAt).toBeGreaterThanOrEqual(ofKey[i - 1].endedAt);
      }
      const overlapping = requests.some((a) =>
        requests.some((b) => a !== b && a.startedAt < b.endedAt && b.startedAt < a.endedAt),
      );
      expect(overlapping).toBe(true);
    } finally {
      sidecar.publishDelayMs = 0;
    }
  });

  it('rejects publish when the sidecar answers 500, with the status and the sidecar reason', async () => {
    sidecar.failPublishes(500, 'kafka: client has run out of available brokers');
    const event = sampleTaskCreated('refused');
    await expect(
      app.app.get(EventPublisher).publish([{ topic: TOPICS.taskEvents, key: event.subject, event }]),
    ).rejects.toThrow(/HTTP 500 .*ERR_PUBSUB_PUBLISH_MESSAGE.*run out of available brokers/);
  });

  it('end to end through the fake sidecar: a poison event is dead-lettered by the sidecar when its policy is shorter', async () => {
    // The sidecar gives up after 2 attempts while the app would wait for 3: Dapr's own forwarding
    // to the deadLetterTopic is the backstop (the bytes unchanged, no error headers).
    sidecar.retryPolicy = { maxAttempts: 2, backoffMs: 10 };
    await sidecar.connectApp(daprAppPort(app.app));
    const event = sampleTaskCreated('fail forever');
    await app.app.get(EventPublisher).publish([{ topic: TOPICS.taskEvents, key: event.subject, event }]);
    await waitFor(
      () =>
        sidecar
          .messages('task-events.dlq')
          .some((message) => message.origin === 'dead-letter' && message.value.includes(event.id)),
      'the sidecar to dead-letter the event',
    );
    const letter = sidecar.messages('task-events.dlq').find((message) => message.value.includes(event.id));
    expect(letter?.headers).toEqual({});
    expect(letter?.key).toBe(event.subject);
    const deliveries = sidecar.deliveries.filter(
      (delivery) => (delivery.body as { id?: string }).id === event.id,
    );
    expect(deliveries.map((delivery) => delivery.outcome)).toEqual(['RETRY', 'RETRY']);
    expect(deliveries[0].path).toBe('/events/task-events');
  });

  it('end to end through the fake sidecar: DROP is forwarded to the deadLetterTopic at once', async () => {
    await sidecar.connectApp(daprAppPort(app.app));
    sidecar.failPublishes(500); // the app cannot dead-letter itself, so it answers DROP
    const key = randomUUID();
    sidecar.deliverRaw(TOPICS.taskEvents, '{"hello":"not a cloud event"}', { key });
    await waitFor(
      () => sidecar.messages('task-events.dlq').some((message) => message.key === key),
      'the sidecar to forward the dropped message',
    );
    expect(
      sidecar.deliveries.filter((delivery) => delivery.key === key).map((delivery) => delivery.outcome),
    ).toEqual(['DROP']);
  });

  it('is ready only while the sidecar is: /health/ready answers 503 with the sidecar probe down', async () => {
    const probe = app.app
      .get(ReadinessProbes)
      .entries()
      .find(([name]) => name === 'dapr-sidecar')?.[1];
    expect(probe).toBeDefined();
    const up = await app.api.request('GET', '/health/ready');
    expect(up.status).toBe(200);
    expect(up.body.info['dapr-sidecar']).toEqual({ status: 'up' });
    await expect(probe?.()).resolves.toBeUndefined();

    sidecar.setHealthy(false);
    expect((await app.api.request('GET', '/health/ready')).status).toBe(503);
    await expect(probe?.()).rejects.toThrow(
      /^the Dapr sidecar at http:\/\/127\.0\.0\.1:\d+ is not ready: GET \/v1\.0\/healthz\/outbound answered 500/,
    );

    await sidecar.stop();
    expect((await app.api.request('GET', '/health/ready')).status).toBe(503);
    await expect(probe?.()).rejects.toThrow(
      /^the Dapr sidecar at .* is unreachable: fetch failed \(ECONNREFUSED\)/,
    );
  });
});

describe('dapr transport contract: shutdown', () => {
  it('finishes deliveries in hand, and refuses new ones so the sidecar redelivers them', async () => {
    const server = new DaprEventServer(
      { host: '127.0.0.1', httpPort: 1, pubsubName: 'pubsub', appPort: 0 },
      { defaultConsumer: 'shutdown', retry: { maxAttempts: 3, backoffMs: 10 } },
    );
    let handled = 0;
    server.addHandler(
      'task.created',
      async () => {
        await new Promise((resolve) => setTimeout(resolve, 300));
        handled++;
      },
      true,
    );
    await new Promise<void>((resolve, reject) =>
      server.listen((error) => (error ? reject(error) : resolve())),
    );
    const url = `http://127.0.0.1:${server.port}/events/task-events`;
    const send = () =>
      fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/cloudevents+json' },
        body: JSON.stringify(sampleTaskCreated('slow')),
      }).then(
        async (response) => ({ status: response.status, body: await response.text() }),
        (error: Error) => ({ status: 0, body: error.message }),
      );

    const inHand = send();
    await new Promise((resolve) => setTimeout(resolve, 100));
    const closed = server.close();
    const late = await send();
    await closed;

    expect(await inHand).toEqual({ status: 200, body: '{"status":"SUCCESS"}' });
    expect(handled).toBe(1);
    expect(late.status === 0 || late.status >= 500).toBe(true); // refused or 503: the sidecar retries
  });
});
