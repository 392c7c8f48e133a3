import { SIGNED_IN_TASK_API } from '@todo/integration-testing';
import { createEvent, type DomainEvent } from '@todo/events';
import { EventTransportModule, MemoryBroker, startEventConsumers } from '@todo/event-transport';
import { SchedulerModule } from '@todo/scheduling';
import {
  type BrowserPushSubscription,
  closeNow,
  DecryptingPushService,
  listenOnLoopback,
  startTestApp,
  type TestApp,
  waitFor,
} from '@todo/testing';
import { PushSubscriptions } from './push-subscriptions';
import { ReminderPushConsumer } from './reminder-push.consumer';
import { ReminderPushModule, WEB_PUSH_MIGRATIONS, WebPushApiModule } from './web-push.module';
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { DataSource } from 'typeorm';
import { generateVAPIDKeys } from 'web-push';

/**
 * Web Push of fired reminders, end to end: REST subscriptions, the scheduler firing a reminder, the
 * consumer pushing it to a loopback push service that verifies VAPID and decrypts like a browser.
 */
describe('Web Push of fired reminders (real PostgreSQL, decrypting push service)', () => {
  const vapid = { ...generateVAPIDKeys(), subject: 'mailto:ops@example.com' };
  let t: TestApp;
  let push: DecryptingPushService;
  let token: string;
  let userId: string;
  let strangerToken: string;

  beforeAll(async () => {
    push = await DecryptingPushService.start();
    t = await startTestApp({
      slices: [SIGNED_IN_TASK_API],
      imports: [
        EventTransportModule,
        WebPushApiModule,
        SchedulerModule.forRoot({ timer: 'postgres' }),
        ReminderPushModule.forRoot({ vapid }),
      ],
      migrations: WEB_PUSH_MIGRATIONS,
      beforeListen: startEventConsumers,
      env: {
        VAPID_PUBLIC_KEY: vapid.publicKey,
        VAPID_PRIVATE_KEY: vapid.privateKey,
        VAPID_SUBJECT: vapid.subject,
        WEB_PUSH_ALLOW_HTTP_LOOPBACK: 'true',
        EVENT_MAX_ATTEMPTS: '3',
        EVENT_RETRY_BACKOFF_MS: '50',
        WEB_PUSH_TIMEOUT_MS: '1000',
      },
    });
    ({
      token,
      user: { id: userId },
    } = await t.api.register());
    ({ token: strangerToken } = await t.api.register());
  });
  afterAll(async () => {
    await t?.close();
    await push?.close();
  });

  const call = (method: string, path: string, body?: unknown, as = token) =>
    t.api.request(method, `/api/v1${path}`, { body, token: as });
  /** The subscription as the browser posts it again later (without the id the server gave it). */
  const asPosted = ({ endpoint, keys }: BrowserPushSubscription) => ({ endpoint, keys });
  const subscribeBrowser = async (as = token) => {
    const browser = push.subscribe(vapid.publicKey);
    const response = await call('POST', '/push/subscriptions', browser, as);
    expect(response.status).toBe(201);
    return { ...browser, id: response.body.id as string };
  };
  const subscriptionIds = async (as = token) =>
    (await call('GET', '/push/subscriptions', undefined, as)).body.items.map(
      (item: { id: string }) => item.id,
    );
  /** A task due in a second with a reminder at its due time; resolves with the task. */
  const taskWithReminderDueNow = async (title: string) => {
    const task = await call('POST', '/tasks', {
      title,
      due: new Date(Date.now() + 1000).toISOString(),
      reminders: [{ before: 'PT0S' }],
    });
    expect(task.status).toBe(201);
    return task.body;
  };
  const reminderDue = (user: string, title = 'Water the plants'): DomainEvent<'reminder.due'> => {
    const taskId = randomUUID();
    return createEvent('reminder.due', {
      source: '/todo/scheduler',
      subject: taskId,
      data: {
        user_id: user,
        reminder: { id: randomUUID(), before: 'PT0S', at: null, fire_at: '2030-01-03T08:00:00.000Z' },
        task: { id: taskId, number: 7, title, due: '2030-01-03T08:00:00.000Z', time_zone: 'UTC' },
        fired_at: '2030-01-03T08:00:00.050Z',
      },
    });
  };

  it('serves the VAPID public key the browser subscribes with, and documents the routes', async () => {
    const response = await t.api.request('GET', '/api/v1/push/vapid-public-key');
    expect(response).toMatchObject({ status: 200, body: { public_key: vapid.publicKey } });
    const docs = await t.api.request('GET', '/api/docs/openapi.json');
    expect(
      docs.body.paths['/api/v1/push/subscriptions'].post.requestBody.content['application/json'].schema,
    ).toMatchObject({ required: ['endpoint', 'keys'], additionalProperties: false });
  });

  it("pushes a fired reminder to each of the user's browsers, signed and encrypted, and to no one else", async () => {
    const laptop = await subscribeBrowser();
    const phone = await subscribeBrowser();
    const strangers = await subscribeBrowser(strangerToken);
    const task = await taskWithReminderDueNow('Call the plumber');

    await waitFor(
      async () => push.payloadsFor(laptop.endpoint).length + push.payloadsFor(phone.endpoint).length === 2,
      'a push to both browsers',
      5000,
    );
    const expected = {
      type: 'reminder.due',
      reminder_id: task.reminders[0].id,
      task_id: task.id,
      task_number: task.number,
      title: 'Call the plumber',
      due: task.due,
      fire_at: task.reminders[0].fire_at,
    };
    expect(push.payloadsFor(laptop.endpoint)).toEqual([expected]);
    expect(push.payloadsFor(phone.endpoint)).toEqual([expected]);
    const [delivered] = push.received.filter((message) => message.endpoint === laptop.endpoint);
    expect(delivered.claims).toMatchObject({ aud: push.origin, sub: 'mailto:ops@example.com' });
    expect(delivered.headers).toMatchObject({ ttl: '86400', urgency: 'high' });
    expect(push.payloadsFor(strangers.endpoint)).toEqual([]);
    expect(push.refused).toEqual([]);
    for (const id of [laptop.id, phone.id, strangers.id]) await call('DELETE', `/push/subscriptions/${id}`);
    await call('DELETE', `/push/subscriptions/${strangers.id}`, undefined, strangerToken);
  });

  it('removes a subscription the push service answers 410 Gone for, and still serves the others', async () => {
    const revoked = await subscribeBrowser();
    const kept = await subscribeBrowser();
    push.expire(revoked.endpoint);
    await taskWithReminderDueNow('Renew the passport');

    await waitFor(
      async () => !(await subscriptionIds()).includes(revoked.id),
      'the revoked subscription removed',
      5000,
    );
    await waitFor(
      async () => push.payloadsFor(kept.endpoint).length === 1,
      'a push to the kept browser',
      5000,
    );
    expect(await subscriptionIds()).toEqual([kept.id]);
    expect(push.payloadsFor(revoked.endpoint)).toEqual([]);
    await call('DELETE', `/push/subscriptions/${kept.id}`);
  });

  it('pushes a redelivered event once, and a retry only to the browsers that failed', async () => {
    const consumer = t.app.get(ReminderPushConsumer);
    const laptop = await subscribeBrowser();
    const phone = await subscribeBrowser();
    const event = reminderDue(userId);

    // Two deliveries at once: the inbox claim of each (subscription, event) lets one through.
    await Promise.all([consumer.reminderDue(event), consumer.reminderDue(event)]);
    await consumer.reminderDue(event);
    expect(push.payloadsFor(laptop.endpoint)).toHaveLength(1);
    expect(push.payloadsFor(phone.endpoint)).toHaveLength(1);
    // RFC 8030 topic: a message pushed again replaces the first one the browser has not fetched.
    const [{ headers }] = push.received.filter((message) => message.endpoint === laptop.endpoint);
    expect(headers.topic).toBe(event.id.replaceAll('-', ''));

    const partly = reminderDue(userId, 'Pay the rent');
    push.answerNext(phone.endpoint, 500);
    await expect(consumer.reminderDue(partly)).rejects.toThrow(
      /Web Push failed for 1 of 2 subscriptions: .* answered 500/,
    );
    expect(push.payloadsFor(laptop.endpoint)).toHaveLength(2);
    expect(push.payloadsFor(phone.endpoint)).toHaveLength(1);
    await consumer.reminderDue(partly); // the transport's retry
    expect(push.payloadsFor(laptop.endpoint)).toHaveLength(2);
    expect(push.payloadsFor(phone.endpoint).map((payload) => (payload as { title: string }).title)).toEqual([
      'Water the plants',
      'Pay the rent',
    ]);
    for (const id of [laptop.id, phone.id]) await call('DELETE', `/push/subscriptions/${id}`);
  });

  it('waits for unresponsive push services once per event, not once per browser', async () => {
    const silent = createServer(() => undefined); // accepts requests, never answers
    const base = await listenOnLoopback(silent);
    try {
      const ids: string[] = [];
      for (let i = 0; i < 4; i++) {
        const { keys } = push.subscribe(vapid.publicKey);
        ids.push(
          (await call('POST', '/push/subscriptions', { endpoint: `${base}/push/${i}`, keys })).body.id,
        );
      }
      const started = Date.now();
      await expect(t.app.get(ReminderPushConsumer).reminderDue(reminderDue(userId))).rejects.toThrow(
        /failed for 4 of 4 subscriptions: .*did not answer/,
      );
      // One push after another would take 4 timeouts of 1 s.
      expect(Date.now() - started).toBeLessThan(3000);
      for (const id of ids) await call('DELETE', `/push/subscriptions/${id}`);
    } finally {
      await closeNow(silent);
    }
  });

  it('holds no database connection while pushes are in flight: more pushes wait than the pool has connections', async () => {
    const dataSource = t.app.get(DataSource);
    const requests: string[] = [];
    const silent = createServer((request) => void requests.push(request.url ?? '')); // never answers
    const base = await listenOnLoopback(silent);
    try {
      const { keys } = push.subscribe(vapid.publicKey);
      const { id } = (await call('POST', '/push/subscriptions', { endpoint: `${base}/push/slow`, keys }))
        .body;
      const events = Array.from({ length: 12 }, () => reminderDue(userId)); // the pool has 10 connections
      const handled = Promise.allSettled(
        events.map((event) => t.app.get(ReminderPushConsumer).reminderDue(event)),
      );
      await waitFor(async () => requests.length === events.length, 'every push in flight at once', 5000);
      const [{ open }]: Array<{ open: number }> = await dataSource.query(
        `SELECT count(*)::int AS open FROM pg_stat_activity
         WHERE datname = current_database() AND state LIKE 'idle in transaction%' AND query ILIKE '%push_%'`,
      );
      expect(open).toBe(0);
      expect((await call('GET', '/push/subscriptions')).status).toBe(200);

      // Every push timed out: each claim was given back, so the transport's retry pushes again.
      expect((await handled).map((outcome) => outcome.status)).toEqual(events.map(() => 'rejected'));
      const [{ claims }]: Array<{ claims: number }> = await dataSource.query(
        `SELECT count(*)::int AS claims FROM push_deliveries WHERE event_id = ANY($1::uuid[])`,
        [events.map((event) => event.id)],
      );
      expect(claims).toBe(0);
      await call('DELETE', `/push/subscriptions/${id}`);
    } finally {
      await closeNow(silent);
    }
  });

  it("takes over a dead handler's claim when it expires, and leaves a live one's delivery to it", async () => {
    const subscriptions = t.app.get(PushSubscriptions);
    const consumer = t.app.get(ReminderPushConsumer);
    const laptop = await subscribeBrowser();

    // A handler claimed the delivery, then its process died before pushing or recording.
    const orphaned = reminderDue(userId, 'Orphaned claim');
    const deadClaim = randomUUID();
    expect((await subscriptions.claimDeliveries(orphaned.id, userId, deadClaim, 1500)).claimed).toHaveLength(
      1,
    );
    const started = Date.now();
    await consumer.reminderDue(orphaned); // the redelivery waits for the claim to expire
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(push.payloadsFor(laptop.endpoint)).toEqual([expect.objectContaining({ title: 'Orphaned claim' })]);
    expect(await subscriptions.recordDelivered(orphaned.id, laptop.id, deadClaim)).toBe(false);

    // A live handler records its push while the duplicate waits: the duplicate pushes nothing.
    const inFlight = reminderDue(userId, 'Claimed elsewhere');
    const liveClaim = randomUUID();
    expect(
      (await subscriptions.claimDeliveries(inFlight.id, userId, liveClaim, 60_000)).claimed,
    ).toHaveLength(1);
    const duplicate = consumer.reminderDue(inFlight);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await subscriptions.recordDelivered(inFlight.id, laptop.id, liveClaim)).toBe(true);
    await duplicate;
    expect(push.payloadsFor(laptop.endpoint)).toHaveLength(1);

    // A live handler whose push failed gives the delivery back: the waiting duplicate pushes it.
    const failed = reminderDue(userId, 'Given back');
    const failedClaim = randomUUID();
    await subscriptions.claimDeliveries(failed.id, userId, failedClaim, 60_000);
    const waiting = consumer.reminderDue(failed);
    await subscriptions.releaseClaim(failed.id, laptop.id, failedClaim);
    await waiting;
    expect(push.payloadsFor(laptop.endpoint).map((payload) => (payload as { title: string }).title)).toEqual([
      'Orphaned claim',
      'Given back',
    ]);
    await call('DELETE', `/push/subscriptions/${laptop.id}`);
  });

  it('retries a failing push service through the transport, then dead-letters the event', async () => {
    const flaky = await subscribeBrowser();
    push.answerNext(flaky.endpoint, 503);
    await taskWithReminderDueNow('Flaky push service');
    await waitFor(async () => push.payloadsFor(flaky.endpoint).length === 1, 'the retried push', 5000);

    push.answerNext(flaky.endpoint, 500, 500, 500);
    const task = await taskWithReminderDueNow('Broken push service');
    const broker = t.app.get(MemoryBroker);
    await waitFor(
      async () =>
        broker.deadLetters('reminders.dlq').some((letter) => JSON.parse(letter.body).subject === task.id),
      'the dead letter',
      8000,
    );
    const letter = broker.deadLetters('reminders.dlq').find((l) => JSON.parse(l.body).subject === task.id);
    expect(letter?.headers).toMatchObject({ 'x-consumer': 'web-push', 'x-error-attempts': '3' });
    expect(letter?.headers['x-error']).toMatch(/answered 500/);
    expect(push.payloadsFor(flaky.endpoint)).toHaveLength(1);
    await call('DELETE', `/push/subscriptions/${flaky.id}`);
  });

  it('refuses subscriptions a person can fix with a 400 naming the field', async () => {
    const browser = push.subscribe(vapid.publicKey);
    const refused = async (body: unknown) => {
      const response = await call('POST', '/push/subscriptions', body);
      expect(response.status).toBe(400);
      return response.body.error.details;
    };
    const withKeys = (keys: Record<string, unknown>) => ({ ...browser, keys: { ...browser.keys, ...keys } });
    const curveless = Buffer.concat([Buffer.from([4]), Buffer.alloc(64, 1)]).toString('base64url');

    expect(await refused({ ...browser, endpoint: 'http://push.example.com/x' })).toEqual([
      { path: 'endpoint', message: 'must be an https:// URL' },
    ]);
    expect(await refused({ ...browser, endpoint: 'https://169.254.169.254/latest' })).toEqual([
      {
        path: 'endpoint',
        message: 'must name the push service by its host name, not an IP address or localhost',
      },
    ]);
    expect(await refused({ ...browser, endpoint: 'not a url' })).toEqual([
      { path: 'endpoint', message: 'must be an absolute https:// URL' },
    ]);
    expect(await refused({ ...browser, endpoint: `https://push.example.com/${'x'.repeat(2048)}` })).toEqual([
      { path: 'endpoint', message: 'must be at most 2048 characters' },
    ]);
    expect(await refused(withKeys({ p256dh: curveless }))).toEqual([
      { path: 'keys.p256dh', message: 'must be an uncompressed P-256 public key (65 bytes)' },
    ]);
    expect(await refused(withKeys({ auth: Buffer.alloc(15).toString('base64url') }))).toEqual([
      { path: 'keys.auth', message: 'must be 16 bytes' },
    ]);
    expect(await refused(withKeys({ auth: 'a+b/' }))).toEqual([
      { path: 'keys.auth', message: 'must be URL-safe base64 (A–Z, a–z, 0–9, "-", "_")' },
    ]);
    expect(await refused({ endpoint: browser.endpoint })).toEqual([
      { path: 'keys', message: 'must be the subscription keys {"p256dh", "auth"} from the browser' },
    ]);
    expect(await refused({ ...browser, userId: randomUUID() })).toEqual([
      { path: '', message: 'unknown field: userId' },
    ]);
    expect(await subscriptionIds()).toEqual([]);
  });

  it('unsubscribes, re-subscribes idempotently, hands an endpoint to the account signed in last', async () => {
    const browser = await subscribeBrowser();
    const control = await subscribeBrowser();
    const again = await call('POST', '/push/subscriptions', asPosted(browser));
    expect(again).toMatchObject({ status: 200, body: { id: browser.id, endpoint: browser.endpoint } });

    const remove = (id: string, as = token) => call('DELETE', `/push/subscriptions/${id}`, undefined, as);
    expect((await remove(browser.id, strangerToken)).status).toBe(404);
    expect((await remove('not-an-id')).status).toBe(400);
    expect((await remove(browser.id)).status).toBe(204);
    expect((await remove(browser.id)).status).toBe(404);
    expect(await subscriptionIds()).toEqual([control.id]);
    await taskWithReminderDueNow('Only the control browser hears this');
    await waitFor(async () => push.payloadsFor(control.endpoint).length === 1, 'the control push', 5000);
    expect(push.payloadsFor(browser.endpoint)).toEqual([]);

    // Both browsers, now signed in as someone else.
    const taken = await call('POST', '/push/subscriptions', asPosted(browser), strangerToken);
    expect(taken.status).toBe(201);
    const handedOver = await call('POST', '/push/subscriptions', asPosted(control), strangerToken);
    expect(handedOver).toMatchObject({ status: 200, body: { id: control.id } });
    expect(await subscriptionIds()).toEqual([]);
    expect(await subscriptionIds(strangerToken)).toEqual([control.id, taken.body.id]);
    for (const id of [control.id, taken.body.id]) await remove(id, strangerToken);
  });

  it('limits how many browsers one user subscribes', async () => {
    const { token: busy } = await t.api.register();
    for (let i = 0; i < 20; i++) await subscribeBrowser(busy);
    const over = await call('POST', '/push/subscriptions', push.subscribe(vapid.publicKey), busy);
    expect(over.status).toBe(409);
    expect(over.body.error.message).toMatch(/20 browsers; remove one/);
  });

  it('offers the same over GraphQL', async () => {
    expect((await t.api.graphql('{ vapidPublicKey }')).body.data).toEqual({
      vapidPublicKey: vapid.publicKey,
    });
    const browser = push.subscribe(vapid.publicKey);
    const subscribe = `mutation ($input: PushSubscriptionInput!) {
      subscribePush(input: $input) { id endpoint createdAt }
    }`;
    const created = await t.api.graphql(subscribe, { input: asPosted(browser) }, token);
    const id = created.body.data?.subscribePush.id;
    expect(created.body.data?.subscribePush.endpoint).toBe(browser.endpoint);
    expect((await t.api.graphql('{ pushSubscriptions { id } }', {}, token)).body.data).toEqual({
      pushSubscriptions: [{ id }],
    });

    const refused = await t.api.graphql(
      subscribe,
      { input: { endpoint: 'http://push.example.com/x', keys: { ...browser.keys, auth: 'AA' } } },
      token,
    );
    expect(refused.body.errors?.[0].extensions).toMatchObject({
      code: 'VALIDATION_FAILED',
      status: 400,
      details: [
        { path: 'endpoint', message: 'must be an https:// URL' },
        { path: 'keys.auth', message: 'must be 16 bytes' },
      ],
    });

    const unsubscribe = 'mutation ($id: ID!) { unsubscribePush(id: $id) }';
    expect((await t.api.graphql(unsubscribe, { id }, strangerToken)).body.errors?.[0].extensions.code).toBe(
      'NOT_FOUND',
    );
    expect((await t.api.graphql(unsubscribe, { id }, token)).body.data).toEqual({ unsubscribePush: true });
    expect(await subscriptionIds()).toEqual([]);
  });
});
