import { SIGNED_IN_TASK_API } from '@todo/integration-testing';
import { REALTIME_MIGRATIONS } from './realtime-migrations';
import { AuthenticationModule } from '@todo/accounts';
import { EventTransportModule, startEventConsumers } from '@todo/event-transport';
import { RealtimeModule, useRealtimeSockets } from './realtime.module';
import { CLOSE_CODES, type ResumedMessage, type TaskMessage } from '@todo/realtime-contract';
import { SocketClient } from './testing/socket-client';
import {
  kcatAvailable,
  type KcatMockCluster,
  startKcatMockCluster,
  startTestApp,
  type TestApp,
} from '@todo/testing';
import { randomBytes, randomUUID } from 'node:crypto';

/**
 * Distributed mode on the Kafka protocol (kcat mock cluster): a gateway publishes through its outbox,
 * two realtime replicas (each its own consumer group, `KAFKA_GROUP_SUFFIX`) push to the sockets
 * connected to them. No sticky sessions: a user's sockets may sit on any replica.
 */
(kcatAvailable() ? describe : describe.skip)('realtime fan-out across replicas (Kafka, kcat mock)', () => {
  const jwtSecret = randomBytes(32).toString('hex');
  let cluster: KcatMockCluster;
  let gateway: TestApp;
  const replicas: TestApp[] = [];
  const sockets: SocketClient[] = [];

  const kafkaEnv = () => ({ EVENT_TRANSPORT: 'kafka', KAFKA_BROKERS: cluster.brokers });
  const startReplica = () =>
    startTestApp({
      imports: [EventTransportModule, RealtimeModule.with(AuthenticationModule)],
      migrations: REALTIME_MIGRATIONS,
      databaseUrl: gateway.databaseUrl,
      jwtSecret,
      service: 'realtime',
      env: {
        ...kafkaEnv(),
        KAFKA_GROUP_SUFFIX: `.replica-${randomUUID()}`,
        OUTBOX_RELAY: 'false',
        REALTIME_HEARTBEAT_INTERVAL_MS: '1000',
      },
      beforeListen: async (app, config) => {
        useRealtimeSockets(app);
        await startEventConsumers(app, config);
      },
    });
  const connect = async (replica: TestApp, token: string) => {
    const client = await SocketClient.ready(replica.api.baseUrl, { token });
    sockets.push(client);
    return client;
  };
  const taskIds = (client: SocketClient) => new Set(client.ofType('task').map((message) => message.task.id));

  beforeAll(async () => {
    cluster = await startKcatMockCluster();
    gateway = await startTestApp({
      slices: [SIGNED_IN_TASK_API],
      imports: [EventTransportModule],
      migrations: REALTIME_MIGRATIONS,
      jwtSecret,
      service: 'gateway',
      env: kafkaEnv(),
    });
    replicas.push(...(await Promise.all([startReplica(), startReplica()])));
  }, 90_000);
  afterAll(async () => {
    await Promise.all(sockets.map((client) => client.close()));
    const offContract = sockets.flatMap((client) => client.errors.map((error) => error.message));
    for (const replica of replicas) await replica.close().catch(() => undefined);
    await gateway?.close();
    await cluster?.stop();
    expect(offContract).toEqual([]); // every message matched the published contract
  });

  it('delivers a change to the sockets of its user on every replica, never to another user; a client of a stopped replica resumes on the other', async () => {
    const [one, two] = replicas;
    const ann = await gateway.api.register();
    const bob = await gateway.api.register();
    const annOnOne = await connect(one, ann.token);
    const annOnTwo = await connect(two, ann.token);
    const bobOnOne = await connect(one, bob.token);
    const bobOnTwo = await connect(two, bob.token);
    const call = (token: string, method: string, path: string, body?: unknown) =>
      gateway.api.request(method, `/api/v1${path}`, { token, body });

    const started = Date.now();
    const annTask = (await call(ann.token, 'POST', '/tasks', { title: 'Across replicas' })).body;
    const bobTask = (await call(bob.token, 'POST', '/tasks', { title: 'Bob only' })).body;
    const isTask = (id: string, version: number) => (message: { type: string }) =>
      message.type === 'task' &&
      (message as TaskMessage).task.id === id &&
      (message as TaskMessage).task.version === version;
    const [seenOnOne] = await Promise.all([
      annOnOne.next<TaskMessage>(isTask(annTask.id, 1), 10_000),
      annOnTwo.next<TaskMessage>(isTask(annTask.id, 1), 10_000),
      bobOnOne.next<TaskMessage>(isTask(bobTask.id, 1), 10_000),
      bobOnTwo.next<TaskMessage>(isTask(bobTask.id, 1), 10_000),
    ]);
    console.log(`change → sockets on both replicas through Kafka in ${Date.now() - started} ms`);

    // The replica that holds one of Ann's sockets stops: it says so (1001) and the client moves.
    await one.close();
    expect((await annOnOne.closed).code).toBe(CLOSE_CODES.goingAway);
    // changes while the client is away
    await call(ann.token, 'PATCH', `/tasks/${annTask.id}`, { title: 'Changed while away' });
    await call(ann.token, 'POST', `/tasks/${annTask.id}/complete`);
    await annOnTwo.next(isTask(annTask.id, 3), 10_000);

    const moved = await connect(two, ann.token);
    moved.send({ type: 'resume', last_event_id: seenOnOne.event_id });
    const resumed = await moved.next<ResumedMessage>((message) => message.type === 'resumed');
    expect(resumed).toMatchObject({ refetch: false });
    const replayed = await moved.next<TaskMessage>(isTask(annTask.id, 3));
    expect(replayed.task).toMatchObject({ title: 'Changed while away', status: 'completed' });

    // nothing reached the wrong user, on either replica
    for (const client of [annOnOne, annOnTwo, moved]) expect(taskIds(client)).not.toContain(bobTask.id);
    for (const client of [bobOnOne, bobOnTwo]) expect(taskIds(client)).toEqual(new Set([bobTask.id]));
  }, 60_000);

  it('sends heartbeats, and terminates a peer that stops answering pings', async () => {
    const ann = await gateway.api.register();
    const live = await connect(replicas[1], ann.token);
    const gone = await connect(replicas[1], ann.token);
    expect(live.messages[0]).toMatchObject({ heartbeat_interval_ms: 1000 });
    gone.socket.pause(); // reads nothing, so answers no ping: like a peer that vanished
    await live.next((message) => message.type === 'heartbeat', 2_500);
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    gone.socket.resume();
    expect((await gone.closed).code).toBe(1006); // terminated, no close frame
    expect(live.socket.readyState).toBe(live.socket.OPEN);
    expect(live.ofType('heartbeat').length).toBeGreaterThanOrEqual(2);
  }, 20_000);
});
