import { SIGNED_IN_TASK_API } from '@todo/integration-testing';
import { AuthenticationModule } from '@todo/accounts';
import { AuditLogModule, AUDIT_MIGRATIONS, AuditApiModule } from '@todo/audit-log';
import { ChatModule, CHAT_MIGRATIONS } from '@todo/chat';
import { ChatApiModule } from '@todo/chat-api';
import { EventPublisher, EventTransportModule, startEventConsumers } from '@todo/event-transport';
import { createEvent, type DomainEvent, topicOf } from '@todo/events';
import { sampleTaskSnapshot } from '@todo/events/testing';
import { REALTIME_MIGRATIONS } from './realtime-migrations';
import { RealtimeModule, useRealtimeSockets } from './realtime.module';
import {
  CLOSE_CODES,
  type ReminderMessage,
  type ResumedMessage,
  type TaskMessage,
} from '@todo/realtime-contract';
import { SocketClient } from './testing/socket-client';
import { SchedulerModule } from '@todo/scheduling';
import { startTestApp, type TestApp, waitFor } from '@todo/testing';
import { randomBytes } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { metricsRegistry } from '@todo/metrics';
import { DataSource } from 'typeorm';

/**
 * The realtime service as `npm start` composes it (every module in one process, memory transport,
 * real PostgreSQL), with real WebSocket clients (`ws`) on the app's HTTP port.
 */
describe('realtime WebSockets (standalone composition)', () => {
  const jwtSecret = randomBytes(32).toString('hex');
  let t: TestApp;
  let db: DataSource;
  const sockets: SocketClient[] = [];
  const open = async (options: Parameters<typeof SocketClient.ready>[1]) => {
    const client = await SocketClient.ready(t.api.baseUrl, options);
    sockets.push(client);
    return client;
  };
  const refused = async (options: Parameters<typeof SocketClient.connect>[1]) => {
    const client = await SocketClient.connect(t.api.baseUrl, options);
    sockets.push(client);
    const closed = await client.closed;
    expect(client.messages).toEqual([]); // nothing before authentication
    return closed;
  };
  const isTask = (id: string, change?: string) => (message: { type: string }) =>
    message.type === 'task' &&
    (message as TaskMessage).task.id === id &&
    (!change || (message as TaskMessage).change === change);

  beforeAll(async () => {
    t = await startTestApp({
      slices: [SIGNED_IN_TASK_API],
      imports: [
        EventTransportModule,
        AuditApiModule,
        ChatApiModule.with(ChatModule),
        AuditLogModule,
        SchedulerModule.forRoot({ timer: 'postgres' }),
        RealtimeModule.with(AuthenticationModule),
      ],
      migrations: [...AUDIT_MIGRATIONS, ...CHAT_MIGRATIONS, ...REALTIME_MIGRATIONS],
      env: {
        CORS_ORIGINS: 'https://app.example',
        REALTIME_MAX_CONNECTIONS_PER_USER: '3',
        REALTIME_MAX_BUFFERED_BYTES: String(512 * 1024),
      },
      jwtSecret,
      beforeListen: async (app, config) => {
        useRealtimeSockets(app);
        await startEventConsumers(app, config);
      },
    });
    db = t.app.get(DataSource);
  });
  afterEach(async () => {
    const clients = sockets.splice(0);
    await Promise.all(clients.map((client) => client.close()));
    // every message each client received matched the published contract
    expect(clients.flatMap((client) => client.errors.map((error) => error.message))).toEqual([]);
  });
  afterAll(() => t.close());

  const call = (token: string, method: string, path: string, body?: unknown) =>
    t.api.request(method, `/api/v1${path}`, { body, token });

  it("pushes each change to all of the user's sockets within a second, and to no one else", async () => {
    const ann = await t.api.register();
    const bob = await t.api.register();
    const [laptop, phone] = [await open({ token: ann.token }), await open({ token: ann.token })];
    const bobs = await open({ token: bob.token });
    expect(laptop.messages[0]).toMatchObject({
      type: 'hello',
      protocol: 'todo.realtime.v1',
      user_id: ann.user.id,
    });
    expect(
      Math.abs(Date.parse((laptop.messages[0] as { server_time: string }).server_time) - Date.now()),
    ).toBeLessThan(5_000);

    const started = Date.now();
    const created = await call(ann.token, 'POST', '/tasks', { title: 'Dentist' });
    const id = created.body.id as string;
    const [onLaptop, onPhone] = await Promise.all([
      laptop.next<TaskMessage>(isTask(id, 'created'), 1_000),
      phone.next<TaskMessage>(isTask(id, 'created'), 1_000),
    ]);
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(onLaptop).toEqual(onPhone);
    expect(onLaptop).toMatchObject({ change: 'created', task: { id, title: 'Dentist', version: 1 } });
    expect(onLaptop.event_id).toEqual(expect.any(String));

    await call(ann.token, 'PATCH', `/tasks/${id}`, { title: 'Dentist at 2' });
    await call(ann.token, 'POST', `/tasks/${id}/complete`);
    await call(ann.token, 'POST', `/tasks/${id}/reopen`);
    await call(ann.token, 'DELETE', `/tasks/${id}`);
    await phone.next(isTask(id, 'deleted'), 1_000);
    const seen = phone.ofType('task').filter((message) => message.task.id === id);
    expect(seen.map((message) => [message.change, message.task.version])).toEqual([
      ['created', 1],
      ['updated', 2],
      ['completed', 3],
      ['reopened', 4],
      ['deleted', 4],
    ]);
    expect(seen[1].task.title).toBe('Dentist at 2');
    expect(bobs.ofType('task')).toEqual([]);
  });

  it('pushes a task the assistant added from a chat message', async () => {
    const ann = await t.api.register();
    const client = await open({ token: ann.token });
    const chat = await call(ann.token, 'POST', '/chat', { message: 'add buy oat milk tomorrow at 5pm' });
    expect(chat.status).toBe(200);
    const pushed = await client.next<TaskMessage>((message) => message.type === 'task', 1_000);
    expect(pushed).toMatchObject({ change: 'created', task: { title: expect.stringMatching(/oat milk/i) } });
  });

  it('delivers a PT0S reminder as a notification on time', async () => {
    const ann = await t.api.register();
    const client = await open({ token: ann.token });
    const due = new Date(Date.now() + 2_000);
    const task = await call(ann.token, 'POST', '/tasks', {
      title: 'Call the plumber',
      due: due.toISOString(),
      reminders: [{ before: 'PT0S' }],
    });
    expect(task.status).toBe(201);
    const notification = await client.next<ReminderMessage>((message) => message.type === 'reminder', 5_000);
    const lateMs = Date.now() - due.getTime();
    expect(lateMs).toBeGreaterThanOrEqual(0);
    expect(lateMs).toBeLessThan(1_000);
    expect(notification).toMatchObject({
      reminder: { id: task.body.reminders[0].id, before: 'PT0S' },
      task: { id: task.body.id, number: task.body.number, title: 'Call the plumber' },
    });
    expect(Date.parse(notification.reminder.fire_at)).toBe(due.getTime());
    expect(Date.parse(notification.task.due ?? '')).toBe(due.getTime());
  });

  describe('authentication', () => {
    it('refuses a missing, malformed, forged or expired token, and a token in the URL (4401)', async () => {
      const ann = await t.api.register();
      const expired = jwt.sign({ sub: ann.user.id, exp: Math.floor(Date.now() / 1000) - 10 }, jwtSecret);
      const forged = jwt.sign({ sub: ann.user.id }, randomBytes(32).toString('hex'), { expiresIn: 600 });
      for (const options of [
        {},
        { token: 'not-a-jwt' },
        { token: forged },
        { token: expired },
        { protocols: ['todo.realtime.v1'], headers: {} },
      ])
        expect(await refused(options)).toEqual({
          code: CLOSE_CODES.unauthorized,
          reason: expect.any(String),
        });
      expect(await refused({ query: { access_token: ann.token, token: ann.token } })).toMatchObject({
        code: CLOSE_CODES.unauthorized,
      });
    });

    it('closes a socket when its token expires', async () => {
      const ann = await t.api.register();
      const shortLived = jwt.sign({ sub: ann.user.id, exp: Math.floor(Date.now() / 1000) + 2 }, jwtSecret);
      const client = await open({ token: shortLived });
      expect(await client.closed).toEqual({
        code: CLOSE_CODES.unauthorized,
        reason: expect.stringMatching(/expired/),
      });
    });

    it('closes the sockets of a deleted account at once and refuses its tokens (revoked)', async () => {
      const ann = await t.api.register();
      const bob = await t.api.register();
      const client = await open({ token: ann.token });
      const bobs = await open({ token: bob.token });
      const started = Date.now();
      await db.query('DELETE FROM users WHERE id = $1', [ann.user.id]);
      expect(await client.closed).toEqual({
        code: CLOSE_CODES.unauthorized,
        reason: 'the account no longer exists',
      });
      expect(Date.now() - started).toBeLessThan(1_000);
      expect(await refused({ token: ann.token })).toMatchObject({ code: CLOSE_CODES.unauthorized });
      expect(bobs.socket.readyState).toBe(bobs.socket.OPEN);
    });

    it('accepts a single-use ticket from POST /api/v1/realtime/ticket, once', async () => {
      const ann = await t.api.register();
      expect((await t.api.request('POST', '/api/v1/realtime/ticket')).status).toBe(401);
      const issued = await call(ann.token, 'POST', '/realtime/ticket');
      expect(issued.status).toBe(201);
      expect(issued.body).toEqual({ ticket: expect.any(String), expires_at: expect.any(String) });
      const client = await open({ ticket: issued.body.ticket });
      expect(client.messages[0]).toMatchObject({ type: 'hello', user_id: ann.user.id });
      expect(await refused({ ticket: issued.body.ticket })).toMatchObject({ code: CLOSE_CODES.unauthorized });
      expect(await refused({ ticket: 'made-up' })).toMatchObject({ code: CLOSE_CODES.unauthorized });
    });

    it('checks the Origin against CORS_ORIGINS (or the same origin) and the subprotocol', async () => {
      const ann = await t.api.register();
      const host = new URL(t.api.baseUrl).host;
      expect(await refused({ token: ann.token, headers: { origin: 'https://evil.example' } })).toMatchObject({
        code: CLOSE_CODES.forbiddenOrigin,
      });
      await open({ token: ann.token, headers: { origin: 'https://app.example' } });
      await open({ token: ann.token, headers: { origin: `http://${host}` } });
      await expect(
        SocketClient.connect(t.api.baseUrl, { protocols: ['chat.v9', `bearer.${ann.token}`] }),
      ).rejects.toThrow(/400/);
    });

    it('caps the sockets of one user (4409)', async () => {
      const ann = await t.api.register();
      for (let i = 0; i < 3; i++) await open({ token: ann.token });
      expect(await refused({ token: ann.token })).toMatchObject({ code: CLOSE_CODES.tooManyConnections });
    });
  });

  it('resumes after a reconnect: replays what was missed, or asks for a refetch', async () => {
    const ann = await t.api.register();
    const first = await open({ token: ann.token });
    const task = await call(ann.token, 'POST', '/tasks', { title: 'Resume me' });
    const seen = await first.next<TaskMessage>(isTask(task.body.id, 'created'), 1_000);
    await first.close();

    await call(ann.token, 'PATCH', `/tasks/${task.body.id}`, { title: 'Resumed' });
    await call(ann.token, 'POST', `/tasks/${task.body.id}/complete`);
    const again = await open({ token: ann.token });
    again.send({ type: 'resume', last_event_id: seen.event_id });
    const resumed = await again.next<ResumedMessage>((message) => message.type === 'resumed');
    expect(resumed.refetch).toBe(false);
    await again.next(isTask(task.body.id, 'completed'));
    const versions = again.ofType('task').map((message) => message.task.version);
    expect(versions).toEqual(expect.arrayContaining([2, 3]));
    expect(versions).not.toContain(1); // what it saw is not sent again

    const stranger = await open({ token: ann.token });
    stranger.send({ type: 'resume', last_event_id: 'an-event-this-server-never-saw' });
    expect(await stranger.next((message) => message.type === 'resumed')).toEqual({
      type: 'resumed',
      refetch: true,
      replayed: 0,
    });
  });

  it('drops a task state that arrives twice or late (older version)', async () => {
    const ann = await t.api.register();
    const client = await open({ token: ann.token });
    const snapshot = sampleTaskSnapshot({ title: 'v2', version: 2 });
    const changed = (version: number): DomainEvent<'task.changed'> =>
      createEvent('task.changed', {
        source: '/todo/test',
        subject: snapshot.id,
        data: {
          user_id: ann.user.id,
          change: 'updated',
          task: { ...snapshot, version, title: `v${version}` },
        },
      });
    const publish = (event: DomainEvent) =>
      t.app.get(EventPublisher).publish([{ topic: topicOf(event.type), key: event.subject, event }]);
    const v2 = changed(2);
    await publish(v2);
    await publish(v2); // redelivered
    await publish(changed(1)); // late
    await publish(changed(3));
    await client.next(
      (message) => isTask(snapshot.id)(message) && (message as TaskMessage).task.version === 3,
    );
    expect(client.ofType('task').map((message) => message.task.title)).toEqual(['v2', 'v3']);
  });

  it('answers bad client frames with an error (or 1009 when too big) and keeps serving', async () => {
    const ann = await t.api.register();
    const client = await open({ token: ann.token });
    client.send('{not json');
    expect(await client.next((message) => message.type === 'error')).toMatchObject({
      code: 'malformed_json',
    });
    client.send({ type: 'subscribe', to: 'everything' });
    await waitFor(() => client.ofType('error').length === 2, 'second error');
    expect(client.ofType('error')[1]).toMatchObject({ code: 'invalid_message' });
    client.socket.send(Buffer.from([1, 2, 3]), { binary: true });
    await waitFor(() => client.ofType('error').length === 3, 'third error');
    expect(client.ofType('error')[2]).toMatchObject({ code: 'binary_frame' });
    client.send({ type: 'ping', id: 'p1' });
    expect(await client.next((message) => message.type === 'pong')).toMatchObject({ id: 'p1' });

    const big = await open({ token: ann.token });
    big.send({ type: 'ping', id: 'x'.repeat(10_000) });
    expect((await big.closed).code).toBe(CLOSE_CODES.messageTooBig);

    const flood = await open({ token: ann.token });
    for (let i = 0; i < 100; i++) flood.send({ type: 'ping' });
    expect((await flood.closed).code).toBe(CLOSE_CODES.tooManyMessages);

    // the first socket still works
    const task = await call(ann.token, 'POST', '/tasks', { title: 'Still here' });
    await client.next(isTask(task.body.id), 1_000);
  });

  it('cuts off a client that does not read, while the others keep receiving', async () => {
    const ann = await t.api.register();
    const slow = await open({ token: ann.token });
    const fast = await open({ token: ann.token });
    slow.socket.pause(); // stops reading: the server's send buffer for it fills up
    const description = 'x'.repeat(10_000);
    const publisher = t.app.get(EventPublisher);
    let sent = 0;
    // ~20 MB in bursts of 200 KB: enough to fill the loopback socket buffers and then the bound
    for (let batch = 0; batch < 100; batch++) {
      const events = Array.from({ length: 20 }, () => {
        const snapshot = sampleTaskSnapshot({ description });
        return createEvent('task.changed', {
          source: '/todo/test',
          subject: snapshot.id,
          data: { user_id: ann.user.id, change: 'created', task: snapshot },
        });
      });
      await publisher.publish(
        events.map((event) => ({ topic: topicOf(event.type), key: event.subject, event })),
      );
      sent += events.length;
      await waitFor(() => fast.ofType('task').length === sent, `the fast client to receive ${sent}`, 2_000);
    }
    expect(fast.ofType('task')).toHaveLength(sent);
    expect(fast.socket.readyState).toBe(fast.socket.OPEN);
    slow.socket.resume();
    const closed = await slow.closed;
    expect(closed).toEqual({ code: CLOSE_CODES.tooSlow, reason: expect.stringMatching(/too slow/) });
    expect(slow.ofType('task').length).toBeLessThan(sent);
    const metrics = await metricsRegistry.getSingleMetricAsString('realtime_messages_dropped_total');
    expect(metrics).toMatch(/reason="slow_client"} [1-9]/);
  });
});
