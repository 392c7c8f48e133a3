/**
 * @jest-environment node
 */
import type { AddressInfo } from 'node:net';
import { WebSocket as NodeWebSocket, WebSocketServer, type WebSocket as ServerSocket } from 'ws';
import { backoffDelay, LiveConnection, type LiveHandlers, type LiveStatus } from './live-connection';
import { REALTIME_PROTOCOL } from './realtime-protocol';
import { testTask } from '../testing/test-task';

// The browser's WebSocket API, as ws implements it for Node (jsdom's would need ws's browser build).
Object.assign(globalThis, {
  WebSocket: NodeWebSocket,
  addEventListener: () => undefined,
  removeEventListener: () => undefined,
});

/** A loopback WebSocket server speaking the realtime protocol's server side, scripted by each test. */
async function realtimeServer() {
  const server = new WebSocketServer({
    port: 0,
    handleProtocols: (protocols) => (protocols.has(REALTIME_PROTOCOL) ? REALTIME_PROTOCOL : false),
  });
  await new Promise((resolve) => server.once('listening', resolve));
  const connections: Array<{ socket: ServerSocket; protocols: string; received: unknown[] }> = [];
  server.on('connection', (socket, request) => {
    const connection = {
      socket,
      protocols: String(request.headers['sec-websocket-protocol']),
      received: [] as unknown[],
    };
    connections.push(connection);
    socket.on('message', (data) => connection.received.push(JSON.parse(String(data))));
    socket.send(
      JSON.stringify({
        type: 'hello',
        user_id: 'u',
        server_time: new Date().toISOString(),
        heartbeat_interval_ms: 30_000,
      }),
    );
  });
  return {
    url: `ws://127.0.0.1:${(server.address() as AddressInfo).port}/realtime`,
    connections,
    close: () => server.close(),
  };
}

const until = async (condition: () => boolean) => {
  const deadline = Date.now() + 5000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in 5 s');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
};

function recorder() {
  const statuses: LiveStatus[] = [];
  const handlers = {
    onStatus: (status: LiveStatus) => statuses.push(status),
    onTask: jest.fn(),
    onReminder: jest.fn(),
    onRefetch: jest.fn(),
    onUnauthorized: jest.fn(),
  } satisfies LiveHandlers;
  return { statuses, handlers };
}

describe('LiveConnection (against a loopback WebSocket server)', () => {
  let server: Awaited<ReturnType<typeof realtimeServer>>;
  let connection: LiveConnection | undefined;
  beforeEach(async () => (server = await realtimeServer()));
  afterEach(() => {
    connection?.stop();
    server.close();
  });

  it('authenticates with the token as a subprotocol, resumes, and passes task and reminder messages on once', async () => {
    const { statuses, handlers } = recorder();
    connection = new LiveConnection('secret-token', handlers, server.url);
    connection.start();
    await until(() => server.connections[0]?.received.length === 1);
    const [first] = server.connections;
    expect(first.protocols.split(/,\s*/)).toEqual([REALTIME_PROTOCOL, 'bearer.secret-token']);
    expect(first.received[0]).toEqual({ type: 'resume', last_event_id: null });
    expect(statuses).toEqual(['connecting', 'live']);

    const task = testTask({ version: 2 });
    first.socket.send(
      JSON.stringify({ type: 'task', event_id: 'e1', occurred_at: task.updated_at, change: 'updated', task }),
    );
    const reminder = {
      type: 'reminder',
      event_id: 'e2',
      occurred_at: task.updated_at,
      reminder: { id: 'r1' },
      task: { id: task.id, number: 1, title: task.title, due: null },
      fired_at: '2026-12-03T10:00:00.000Z',
    };
    first.socket.send(JSON.stringify(reminder));
    first.socket.send(JSON.stringify({ ...reminder, event_id: 'e3' })); // redelivered: shown once
    await until(() => handlers.onReminder.mock.calls.length === 1 && handlers.onTask.mock.calls.length === 1);
    expect(handlers.onTask.mock.calls[0][0].task.version).toBe(2);

    // the server goes away: the client reconnects and resumes from the last event it saw
    first.socket.close(1001);
    await until(() => server.connections[1]?.received.length === 1);
    expect(server.connections[1].received[0]).toEqual({ type: 'resume', last_event_id: 'e3' });
    expect(statuses).toContain('offline');
    server.connections[1].socket.send(JSON.stringify({ type: 'resumed', refetch: true, replayed: 0 }));
    await until(() => handlers.onRefetch.mock.calls.length === 1);
    expect(statuses.at(-1)).toBe('live');
  });

  it('stops and asks to sign in again when the server refuses the token', async () => {
    const { handlers } = recorder();
    connection = new LiveConnection('expired', handlers, server.url);
    connection.start();
    await until(() => server.connections.length === 1);
    server.connections[0].socket.close(4401, 'unauthorized');
    await until(() => handlers.onUnauthorized.mock.calls.length === 1);
    await new Promise((resolve) => setTimeout(resolve, 800));
    expect(server.connections).toHaveLength(1);
  });

  it('backs off from half a second up to 30 s, with jitter', () => {
    expect(backoffDelay(0, () => 0)).toBe(250);
    expect(backoffDelay(0, () => 1)).toBe(500);
    expect(backoffDelay(3, () => 1)).toBe(4000);
    expect(backoffDelay(20, () => 1)).toBe(30_000);
  });
});
