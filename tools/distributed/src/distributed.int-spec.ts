// The distributed mode end to end, every deployable its own process (as `nx start distributed`
// runs them): real PostgreSQL, the kcat mock Kafka cluster, HTTP between gateway and chat-agent.
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
  const processes: { name: string; child: ChildProcess; log: string[] }[] = [];

  async function start(name: DeployableName, port?: number): Promise<ChildProcess> {
    const listenOn = port ?? (await freeLoopbackPort());
    const log: string[] = [];
    const child = runDeployable(workspaceRoot, name, deployableEnv(name, listenOn, shared), (line) => {
      log.push(line);
      if (log.length > 200) log.shift();
    });
    processes.push({ name, child, log });
    await waitUntilReady(child, listenOn, 90_000).catch((error: Error) => {
      throw new Error(`${name}: ${error.message}\n${log.join('\n')}`);
    });
    return child;
  }

  beforeAll(async () => {
    [kafka, database] = await Promise.all([startKcatMockCluster({ brokers: 1 }), createTestDatabase()]);
    const chatAgentPort = await freeLoopbackPort();
    shared = {
      databaseUrl: database.url,
      kafkaBrokers: kafka.brokers,
      jwtSecret: 'distributed-end-to-end-signing-key-0123456789',
      chatAgentUrl: `http://127.0.0.1:${chatAgentPort}`,
    };
    const migrate = runDeployable(
      workspaceRoot,
      'gateway',
      deployableEnv('gateway', 0, shared),
      () => undefined,
      ['migrate'],
    );
    expect(await exitOf(migrate)).toBe(0);
    const gatewayPort = await freeLoopbackPort();
    await Promise.all([
      start('gateway', gatewayPort),
      start('chat-agent', chatAgentPort),
      start('scheduler'),
      start('audit'),
    ]);
    api = new ApiClient(`http://127.0.0.1:${gatewayPort}`);
  });

  afterAll(async () => {
    for (const { child } of processes) child.kill('SIGTERM');
    await Promise.all(processes.map(({ child }) => exitOf(child)));
    await kafka?.stop();
    await database?.drop();
  });

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
});
