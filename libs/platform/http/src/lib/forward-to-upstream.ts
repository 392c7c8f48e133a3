import httpProxy from '@fastify/http-proxy';
import { Logger } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { IncomingMessage } from 'node:http';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Duplex } from 'node:stream';

export interface UpstreamRoutes {
  /** The service to forward to, e.g. `http://realtime:3000`. */
  upstream: string;
  /** Path prefixes whose HTTP requests are forwarded as they are (e.g. `/api/v1/realtime`). */
  httpPrefixes: string[];
  /** Paths whose WebSocket upgrades are tunnelled to the upstream (e.g. `/realtime`). */
  upgradePaths: string[];
}

const underPath = (url: string | undefined, path: string) =>
  url === path || !!url?.startsWith(`${path}/`) || !!url?.startsWith(`${path}?`);

/**
 * Forwards a service's routes through this server, for setups without a reverse proxy in front
 * (Compose, `start:distributed`): the browser app served here reaches them on its own origin. HTTP
 * requests go through `@fastify/http-proxy`. WebSocket upgrades are tunnelled byte for byte, as an
 * ingress does: the upstream sees the browser's own handshake (its offered subprotocols carry the
 * token, its Origin and Host the page's origin) and the close codes come back untouched; a proxy that
 * terminates the socket and opens a new one would offer only the subprotocol it chose. Call before
 * `listen`.
 */
export async function forwardToUpstream(app: NestFastifyApplication, routes: UpstreamRoutes): Promise<void> {
  for (const prefix of routes.httpPrefixes)
    await app.register(httpProxy, {
      upstream: routes.upstream,
      prefix,
      rewritePrefix: prefix,
      websocket: false,
    });
  const server = app.getHttpServer();
  // Open tunnels would hold the server's close until their clients leave: cut them (clients reconnect).
  const open = new Set<Duplex>();
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('preClose', (done: () => void) => {
      for (const socket of open) socket.destroy();
      done();
    });
  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (routes.upgradePaths.some((path) => underPath(request.url, path))) {
      open.add(socket);
      socket.once('close', () => open.delete(socket));
      tunnel(new URL(routes.upstream), request, socket, head);
    }
    // The only upgrade listener: nothing else will answer this one.
    else if (server.listenerCount('upgrade') === 1) refuse(socket, '404 Not Found');
  });
  Logger.log(
    `${[...routes.upgradePaths, ...routes.httpPrefixes].join(', ')} → ${routes.upstream}`,
    'Forward',
  );
}

function tunnel(upstream: URL, request: IncomingMessage, socket: Duplex, head: Buffer): void {
  const forwardedFor = [request.headers['x-forwarded-for'], request.socket.remoteAddress]
    .filter(Boolean)
    .join(', ');
  const outgoing = (upstream.protocol === 'https:' ? httpsRequest : httpRequest)({
    host: upstream.hostname,
    port: upstream.port || (upstream.protocol === 'https:' ? 443 : 80),
    method: request.method,
    path: request.url,
    headers: { ...request.headers, 'x-forwarded-for': forwardedFor },
  });
  socket.on('error', () => outgoing.destroy());
  outgoing.on('error', () => refuse(socket, '502 Bad Gateway'));
  outgoing.on('upgrade', (answer: IncomingMessage, upstreamSocket: Duplex, upstreamHead: Buffer) => {
    socket.write(statusBlock(answer));
    if (upstreamHead.length) socket.write(upstreamHead);
    if (head.length) upstreamSocket.write(head);
    upstreamSocket.on('close', () => socket.destroy());
    socket.on('close', () => upstreamSocket.destroy());
    upstreamSocket.on('error', () => socket.destroy());
    upstreamSocket.pipe(socket).pipe(upstreamSocket);
  });
  // The upstream refused the upgrade with a plain HTTP answer: pass it on as it is.
  outgoing.on('response', (answer: IncomingMessage) => {
    socket.write(statusBlock(answer));
    answer.pipe(socket);
  });
  outgoing.end();
}

/** The status line and headers of an answer, as they came (rawHeaders keeps case and repeats). */
function statusBlock(answer: IncomingMessage): string {
  const lines = [`HTTP/1.1 ${answer.statusCode} ${answer.statusMessage ?? ''}`];
  for (let i = 0; i < answer.rawHeaders.length; i += 2)
    lines.push(`${answer.rawHeaders[i]}: ${answer.rawHeaders[i + 1]}`);
  return `${lines.join('\r\n')}\r\n\r\n`;
}

function refuse(socket: Duplex, status: string): void {
  if (socket.writable) socket.end(`HTTP/1.1 ${status}\r\nconnection: close\r\ncontent-length: 0\r\n\r\n`);
  else socket.destroy();
}
