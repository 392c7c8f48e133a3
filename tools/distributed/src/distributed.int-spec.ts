// The distributed mode end to end, every deployable its own process (as `nx start distributed`
// runs them): real PostgreSQL, the kcat mock Kafka cluster, HTTP between gateway and chat-agent,
// real WebSocket clients on two realtime processes.
import {
  CLOSE_CODES,
  type ReminderMessage,
  type ResumedMessage,
  type ServerMessage,
  type TaskMessage,
} from '@todo/realtime-contract';
import { SocketClient } from '@todo/realtime/testing';
import {
  ApiClient,
  createTestDatabase,
  freeLoopbackPort,
  kcatAvailable,
  type KcatMockCluster,
  startKcatMockCluster,
  waitFor,
} from '@todo/testing';
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import {
  type DeployableName,
  deployableEnv,
  exitOf,
  runDeployable,
  type SharedSettings,
  waitUntilReady,
} from './deployables';

const workspaceRoot = join(__dirname, '..', '..', '..');

const describeWithKafka = kcatAvailable() ? describe : describe.skip;

describeWithKafka('distributed mode: one process per deployable', () => {
  let kafka: KcatMockCluster;
  let database: { url: string; drop: () => Promise<void> };
  let shared: SharedSettings;
  let api: ApiClient;
  let gatewayUrl: string;
  const processes: { name: string; child: ChildProcess; log: string[] }[] = [];
  /** The two realtime replicas (each its own process and Kafka consumer group). */
  const realtime: { url: string; child: ChildProcess }[] = [];
  const sockets: SocketClient[] = [];

  async function start(name: DeployableName, port?: number): Promise<ChildProcess> {
    const listenOn = port ?? (await freeLoopbackPort());
    const log: string[] = [];
    const child = runDeployable(workspaceRoot, name, deployableEnv(name, listenOn, shared), (line) => {
      log.push(line);
      if (log.length > 200) log.shift();
    });
    processes.push({ name, child, log });
    await waitUntilReady(child, listenOn, 150_000).catch((error: Error) => {
      throw new Error(`${name}: ${error.message}\n${log.join('\n')}`);
    });
    return child;
  }

  beforeAll(async () => {
    [kafka, database] = await Promise.all([startKcatMockCluster({ brokers: 1 }), createTestDatabase()]);
    const chatAgentPort = await freeLoopbackPort();
    const realtimePorts = [await freeLoopbackPort(), await freeLoopbackPort()];
    shared = {
      databaseUrl: database.url,
      kafkaBrokers: kafka.brokers,
      jwtSecret: 'distributed-end-to-end-signing-key-0123456789',
      chatAgentUrl: `http://127.0.0.1:${chatAgentPort}`,
      // the replica the last test does not kill
      realtimeUrl: `http://127.0.0.1:${realtimePorts[1]}`,
    };
    const migrate = runDeployable(
      workspaceRoot,
      'gateway',
      deployableEnv('gateway', 0, shared),
      () => undefined,
      ['migrate'],
    );
    expect(await exitOf(migrate)).toBe(0);
    gatewayUrl = `http://127.0.0.1:${await freeLoopbackPort()}`;
    await Promise.all([
      start('gateway', Number(new URL(gatewayUrl).port)),
      start('chat-agent', chatAgentPort),
      start('scheduler'),
      start('audit'),
    ]);
    // then the realtime replicas: six bundles loading at once on a busy 2-core machine took longer
    // than the readiness deadline
    const replicas = await Promise.all(realtimePorts.map((port) => start('realtime', port)));
    realtime.push(
      ...replicas.map((child, index) => ({ url: `http://127.0.0.1:${realtimePorts[index]}`, child })),
    );
    api = new ApiClient(gatewayUrl);
  }, 360_000);

  afterAll(async () => {
    await Promise.all(sockets.map((client) => client.close()));
    for (const { child } of processes) child.kill('SIGTERM');
    await Promise.all(processes.map(({ child }) => exitOf(child)));
    await kafka?.stop();
    await database?.drop();
    // every message every socket received matched the published contract
    expect(sockets.flatMap((client) => client.errors.map((error) => error.message))).toEqual([]);
  });

  const connect = async (replica: { url: string }, token: string) => {
    const client = await SocketClient.ready(replica.url, { token });
    sockets.push(client);
    return client;
  };
  const isTask = (id: string, version: number) => (message: ServerMessage) =>
    message.type === 'task' && message.task.id === id && message.task.version === version;
  const taskIdsSeen = (client: SocketClient) => new Set(client.ofType('task').map(({ task }) => task.id));

  /** How many entries of `action` the history of each of the user's tasks #1..#count has. */
  const entriesPerTask = (token: string, count: number, action: string) =>
    Promise.all(
      Array.from(
        { length: count },
        async (_, index) =>
          (await history(token, index + 1)).filter((entry) => entry.action === action).length,
      ),
    );
  const history = async (token: string, number: number) =>
    (await api.request('GET', `/api/v1/tasks/${number}/history`, { token })).body.items as {
      action: string;
    }[];

  it('registers and chats through the gateway, the chat-agent answering over HTTP; audit records the change', async () => {
    const { token } = await api.register();
    const chat = await api.request('POST', '/api/v1/chat', {
      token,
      body: { message: 'Add a task to buy milk tomorrow at 5pm' },
    });
    expect(chat.status).toBe(200);
    expect(chat.body.tool_calls[0]).toMatchObject({ name: 'add_task', result: { status: 'done' } });
    // the gateway has no assistant of its own here: the chat-agent process served the message
    const chatAgentLog = processes.find(({ name }) => name === 'chat-agent')?.log ?? [];
    expect(chatAgentLog.some((line) => line.includes('/api/v1/chat'))).toBe(true);
    const tasks = await api.request('GET', '/api/v1/tasks', { token });
    expect(tasks.body.items.map((task: { title: string }) => task.title)).toEqual(['Buy milk']);
    await waitFor(
      async () => (await history(token, 1)).some((entry) => entry.action === 'created'),
      'audit history',
      30_000,
    );
  });

  it('two scheduler replicas fire each reminder once, and audit records it once', async () => {
    await start('scheduler');
    const { token } = await api.register();
    const count = 10;
    for (let number = 1; number <= count; number++) {
      const created = await api.request('POST', '/api/v1/tasks', {
        token,
        body: { title: `Call ${number}` },
      });
      expect(created.status).toBe(201);
      const reminder = await api.request('POST', `/api/v1/tasks/${number}/reminders`, {
        token,
        body: { at: new Date(Date.now() + 2_000).toISOString() },
      });
      expect(reminder.status).toBe(201);
    }
    const fired = async (number: number) =>
      (await api.request('GET', `/api/v1/tasks/${number}/reminders`, { token })).body.items[0].state ===
      'fired';
    await waitFor(
      async () => (await entriesPerTask(token, count, 'reminded')).every(Boolean),
      'every reminder in the history',
      60_000,
    );
    for (let number = 1; number <= count; number++) expect(await fired(number)).toBe(true);
    expect(await entriesPerTask(token, count, 'reminded')).toEqual(Array(count).fill(1));
  });

  it('kill -9 of audit in the middle of writes: after its restart every change is in the history exactly once', async () => {
    const { token } = await api.register();
    const audit = processes.find(({ name }) => name === 'audit')?.child as ChildProcess;
    const count = 30;
    const writes = Array.from({ length: count }, (_, index) =>
      api.request('POST', '/api/v1/tasks', { token, body: { title: `Write ${index + 1}` } }),
    );
    await new Promise((resolve) => setTimeout(resolve, 150));
    audit.kill('SIGKILL');
    const statuses = (await Promise.all(writes)).map((response) => response.status);
    expect(statuses.every((status) => status === 201)).toBe(true);
    await exitOf(audit);
    await start('audit');
    await waitFor(
      async () => (await entriesPerTask(token, count, 'created')).every(Boolean),
      'every created task in the history',
      90_000,
    );
    expect(await entriesPerTask(token, count, 'created')).toEqual(Array(count).fill(1));
  });

  it('a reminder fired by the scheduler process reaches a socket on the realtime process as a notification', async () => {
    const ann = await api.register();
    const bob = await api.register();
    const annSocket = await connect(realtime[0], ann.token);
    const bobSocket = await connect(realtime[0], bob.token);
    const due = new Date(Date.now() + 3_000);
    const task = await api.request('POST', '/api/v1/tasks', {
      token: ann.token,
      body: { title: 'Call the plumber', due: due.toISOString(), reminders: [{ before: 'PT0S' }] },
    });
    expect(task.status).toBe(201);
    // scheduler (timer, outbox) → Kafka `reminders` → the realtime process → the socket
    const notification = await annSocket.next<ReminderMessage>(
      (message) => message.type === 'reminder',
      30_000,
    );
    console.log(`reminder due → socket on the realtime process: ${Date.now() - due.getTime()} ms late`);
    expect(notification).toMatchObject({
      reminder: { id: task.body.reminders[0].id, before: 'PT0S' },
      task: { id: task.body.id, number: task.body.number, title: 'Call the plumber' },
    });
    expect(Date.parse(notification.reminder.fire_at)).toBe(due.getTime());
    // the task's own change reached Ann's socket too, and nothing of Ann's reached Bob's
    expect(taskIdsSeen(annSocket)).toEqual(new Set([task.body.id]));
    expect(bobSocket.messages.map((message) => message.type)).not.toContain('reminder');
    expect(taskIdsSeen(bobSocket).size).toBe(0);
  });

  it("the gateway forwards the web app's live updates to realtime: a socket on the page's own origin, a ticket, a refusal's close code", async () => {
    const ann = await api.register();
    // as the web app served by the gateway connects: its own origin, the token as a subprotocol
    const onGateway = await connect({ url: gatewayUrl }, ann.token);
    const sameOrigin = await SocketClient.ready(gatewayUrl, {
      token: ann.token,
      headers: { origin: gatewayUrl },
    });
    sockets.push(sameOrigin);
    const created = await api.request('POST', '/api/v1/tasks', { token: ann.token, body: { title: 'Live' } });
    await onGateway.next(isTask(created.body.id, 1), 15_000);
    await sameOrigin.next(isTask(created.body.id, 1), 15_000);

    const ticket = await api.request('POST', '/api/v1/realtime/ticket', { token: ann.token });
    expect(ticket.status).toBe(201);
    sockets.push(await SocketClient.ready(gatewayUrl, { ticket: ticket.body.ticket }));

    // the realtime service's own refusals come back through the tunnel unchanged
    const forged = await SocketClient.connect(gatewayUrl, { token: 'not-a-token' });
    expect((await forged.closed).code).toBe(CLOSE_CODES.unauthorized);
    const otherSite = await SocketClient.connect(gatewayUrl, {
      token: ann.token,
      headers: { origin: 'https://elsewhere.example' },
    });
    expect((await otherSite.closed).code).toBe(CLOSE_CODES.forbiddenOrigin);
  });

  it('two realtime processes both deliver a change; after kill -9 of one its clients resync on the other; no other user sees any of it', async () => {
    const [one, two] = realtime;
    const ann = await api.register();
    const bob = await api.register();
    const annOnOne = await connect(one, ann.token);
    const annLateOnOne = await connect(one, ann.token); // will resume without a last event
    const annOnTwo = await connect(two, ann.token);
    const bobOnOne = await connect(one, bob.token);
    const bobOnTwo = await connect(two, bob.token);
    const call = (method: string, path: string, body?: unknown) =>
      api.request(method, `/api/v1${path}`, { token: ann.token, body });

    const started = Date.now();
    const created = (await call('POST', '/tasks', { title: 'Across replicas' })).body;
    const [onOne, onTwo] = await Promise.all([
      annOnOne.next<TaskMessage>(isTask(created.id, 1), 15_000),
      annOnTwo.next<TaskMessage>(isTask(created.id, 1), 15_000),
    ]);
    console.log(`change → sockets on two realtime processes (Kafka) in ${Date.now() - started} ms`);
    expect(onOne).toEqual(onTwo); // the same event, the same message, from two processes

    const killed = one.child;
    killed.kill('SIGKILL'); // no close frames, no drain: the sockets just break
    await exitOf(killed);
    for (const client of [annOnOne, annLateOnOne, bobOnOne]) expect((await client.closed).code).toBe(1006);

    // changes while the clients of the killed replica are away
    expect((await call('PATCH', `/tasks/${created.id}`, { title: 'Changed while away' })).status).toBe(200);
    expect((await call('POST', `/tasks/${created.id}/complete`)).status).toBe(200);
    await annOnTwo.next(isTask(created.id, 3), 15_000);

    // a client that saw an event: the other replica replays what it missed since
    const movedAnn = await connect(two, ann.token);
    movedAnn.send({ type: 'resume', last_event_id: onOne.event_id });
    expect(await movedAnn.next<ResumedMessage>((message) => message.type === 'resumed')).toMatchObject({
      refetch: false,
    });
    const caughtUp = await movedAnn.next<TaskMessage>(isTask(created.id, 3));
    expect(caughtUp.task).toMatchObject({ title: 'Changed while away', status: 'completed' });
    expect(caughtUp).toEqual(annOnTwo.messages.find(isTask(created.id, 3)));
    // a client that saw none: told to refetch, which it does over REST
    const movedLate = await connect(two, ann.token);
    movedLate.send({ type: 'resume', last_event_id: null });
    expect(await movedLate.next<ResumedMessage>((message) => message.type === 'resumed')).toMatchObject({
      refetch: true,
      replayed: 0,
    });
    const refetched = await call('GET', `/tasks/${created.id}`);
    expect(refetched.body).toMatchObject({ version: 3, title: 'Changed while away', status: 'completed' });
    // Bob moves too, resumes after his own last message (none yet: refetch), and gets nothing of Ann's
    const movedBob = await connect(two, bob.token);
    movedBob.send({ type: 'resume', last_event_id: null });
    await movedBob.next((message) => message.type === 'resumed');

    // one more change after the move reaches every socket of Ann's, on the surviving replica
    expect((await call('POST', `/tasks/${created.id}/reopen`)).status).toBe(200);
    await Promise.all(
      [annOnTwo, movedAnn, movedLate].map((client) => client.next(isTask(created.id, 4), 15_000)),
    );
    for (const client of [bobOnOne, bobOnTwo, movedBob]) {
      expect(taskIdsSeen(client).size).toBe(0);
      expect(client.ofType('reminder')).toEqual([]);
    }
  });
});
