import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocket, WebSocketServer } from 'ws';
import { forwardToUpstream } from './forward-to-upstream';

@Module({})
class EmptyModule {}

/** An upstream with a WebSocket endpoint that echoes what it saw of the handshake, and an HTTP route. */
async function startUpstream(): Promise<{ url: string; server: Server }> {
  const server = createServer((request, response) => {
    response.writeHead(request.url === '/api/v1/realtime/ticket' ? 201 : 404, {
      'content-type': 'application/json',
    });
    response.end(JSON.stringify({ path: request.url, method: request.method }));
  });
  const sockets = new WebSocketServer({
    noServer: true,
    handleProtocols: (offered) => [...offered][0] ?? false,
  });
  server.on('upgrade', (request: IncomingMessage, socket, head) => {
    if (request.url?.startsWith('/refuse')) {
      socket.end('HTTP/1.1 401 Unauthorized\r\ncontent-length: 0\r\nx-reason: no token\r\n\r\n');
      return;
    }
    sockets.handleUpgrade(request, socket, head, (client) => {
      client.send(
        JSON.stringify({
          url: request.url,
          protocols: request.headers['sec-websocket-protocol'],
          host: request.headers.host,
        }),
      );
      client.on('message', (data) =>
        String(data) === 'bye' ? client.close(4401, 'go away') : client.send(data),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

async function startForwarder(upstream: string): Promise<{ app: NestFastifyApplication; url: string }> {
  const app = await NestFactory.create<NestFastifyApplication>(EmptyModule, new FastifyAdapter(), {
    logger: false,
  });
  await forwardToUpstream(app, {
    upstream,
    httpPrefixes: ['/api/v1/realtime'],
    upgradePaths: ['/realtime', '/refuse'],
  });
  await app.listen(0, '127.0.0.1');
  return { app, url: (await app.getUrl()).replace('localhost', '127.0.0.1') };
}

const open = (url: string, protocols: string[] = []) =>
  new Promise<{ socket: WebSocket; first: Record<string, string> }>((resolve, reject) => {
    const socket = new WebSocket(url, protocols);
    socket.once('message', (data) => resolve({ socket, first: JSON.parse(String(data)) }));
    socket.once('error', reject);
  });

/** The HTTP status a WebSocket handshake got instead of 101. */
const upgradeStatus = (url: string) =>
  new Promise<number>((resolve) => {
    const socket = new WebSocket(url.replace(/^http/, 'ws'));
    socket.on('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0));
    socket.on('error', () => undefined);
  });

describe('forwardToUpstream', () => {
  let upstream: { url: string; server: Server };
  let forwarder: { app: NestFastifyApplication; url: string };

  beforeAll(async () => {
    upstream = await startUpstream();
    forwarder = await startForwarder(upstream.url);
  });
  afterAll(async () => {
    await forwarder.app.close();
    upstream.server.close();
  });

  it('tunnels a WebSocket with every offered subprotocol, the original Host and query, both ways, close code included', async () => {
    const ws = forwarder.url.replace('http', 'ws');
    const { socket, first } = await open(`${ws}/realtime?ticket=abc`, [
      'todo.realtime.v1',
      'bearer.token-123',
    ]);
    expect(first).toEqual({
      url: '/realtime?ticket=abc',
      protocols: 'todo.realtime.v1,bearer.token-123',
      host: new URL(forwarder.url).host,
    });
    expect(socket.protocol).toBe('todo.realtime.v1');
    const echoed = new Promise((resolve) => socket.once('message', (data) => resolve(String(data))));
    socket.send('ping');
    expect(await echoed).toBe('ping');
    const closed = new Promise((resolve) =>
      socket.once('close', (code, reason) => resolve([code, String(reason)])),
    );
    socket.send('bye');
    expect(await closed).toEqual([4401, 'go away']);
  });

  it("passes on the upstream's HTTP refusal of an upgrade as it came", async () => {
    expect(await upgradeStatus(`${forwarder.url}/refuse`)).toBe(401);
  });

  it('forwards HTTP requests under the prefixes, and nothing else', async () => {
    const ticket = await fetch(`${forwarder.url}/api/v1/realtime/ticket`, { method: 'POST' });
    expect(ticket.status).toBe(201);
    expect(await ticket.json()).toEqual({ path: '/api/v1/realtime/ticket', method: 'POST' });
    expect((await fetch(`${forwarder.url}/api/v1/tasks`)).status).toBe(404);
  });

  it('answers 404 to an upgrade outside the paths, and 502 when the upstream is down', async () => {
    expect(await upgradeStatus(`${forwarder.url}/elsewhere`)).toBe(404);
    const down = await startForwarder('http://127.0.0.1:1');
    try {
      expect(await upgradeStatus(`${down.url}/realtime`)).toBe(502);
    } finally {
      await down.app.close();
    }
  });

  it('closing the server cuts the open tunnels instead of waiting for their clients', async () => {
    const closing = await startForwarder(upstream.url);
    const { socket } = await open(`${closing.url.replace('http', 'ws')}/realtime`);
    const closed = new Promise((resolve) => socket.once('close', (code) => resolve(code)));
    await closing.app.close();
    expect(await closed).toBe(1006);
  });
});
