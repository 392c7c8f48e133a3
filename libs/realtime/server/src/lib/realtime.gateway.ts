import { Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { type OnGatewayConnection, WebSocketGateway } from '@nestjs/websockets';
import { AccountChanges, ActorResolver } from '@todo/auth';
import {
  CLOSE_CODES,
  clientMessageSchema,
  type ErrorMessage,
  MAX_CLIENT_FRAME_BYTES,
  REALTIME_PATH,
  REALTIME_PROTOCOL,
} from '@todo/realtime-contract';
import type { IncomingMessage } from 'node:http';
import type { RawData, WebSocket } from 'ws';
import { offersOurProtocol, SocketAuthenticator } from './socket-authenticator';
import { type Connection, SocketHub } from './socket-hub';

/** Client frames allowed per window; a client that sends more is closed (4429). */
const CLIENT_MESSAGES_PER_WINDOW = 30;
const CLIENT_MESSAGE_WINDOW_MS = 10_000;
/** setTimeout's limit (~24.8 days); a token that lives longer is checked again then. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * The WebSocket endpoint `/realtime` (same port as HTTP), on `ws` through `@nestjs/platform-ws`.
 * A socket is admitted (origin, protocol, token or ticket, account) before anything is sent on it,
 * then greeted with `hello` and fed by the {@link SocketHub}. It is closed when its token expires or
 * its account is deleted. Client frames are small JSON messages (`resume`, `ping`); anything else
 * gets an `error` message, and a frame over 4 KiB closes the socket (1009) before it is buffered.
 */
@WebSocketGateway({
  path: REALTIME_PATH,
  maxPayload: MAX_CLIENT_FRAME_BYTES,
  // Compression costs ~300 KB of zlib state per socket; messages are small.
  perMessageDeflate: false,
  // Never echo the `bearer.<token>` protocol back.
  handleProtocols: (protocols: Set<string>) => (protocols.has(REALTIME_PROTOCOL) ? REALTIME_PROTOCOL : false),
  verifyClient: (
    { req }: { req: IncomingMessage },
    accept: (ok: boolean, status?: number, message?: string) => void,
  ) =>
    offersOurProtocol(req) ? accept(true) : accept(false, 400, `offer the subprotocol ${REALTIME_PROTOCOL}`),
})
export class RealtimeGateway implements OnGatewayConnection, OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(RealtimeGateway.name);
  private stopListening: (() => void) | undefined;

  constructor(
    private readonly hub: SocketHub,
    private readonly authenticator: SocketAuthenticator,
    private readonly actors: ActorResolver,
    private readonly accountChanges: AccountChanges,
  ) {}

  onModuleInit(): void {
    this.stopListening = this.accountChanges.subscribe((userId) => void this.recheckAccount(userId));
  }

  onModuleDestroy(): void {
    this.stopListening?.();
  }

  handleConnection(socket: WebSocket, request: IncomingMessage): void {
    const admitted = this.admit(socket, request).catch((error: unknown) => {
      this.logger.error(`admitting a socket failed: ${String(error)}`);
      if (socket.readyState === socket.OPEN) socket.close(1011, 'internal error');
      return null;
    });
    // frames sent before admission finished are handled after it (in order), not lost
    let window = { start: Date.now(), count: 0 };
    socket.on('message', (data: RawData, isBinary: boolean) => {
      void admitted.then((connection) => {
        if (!connection) return;
        const now = Date.now();
        if (now - window.start > CLIENT_MESSAGE_WINDOW_MS) window = { start: now, count: 0 };
        if (++window.count > CLIENT_MESSAGES_PER_WINDOW)
          return this.hub.close(connection, CLOSE_CODES.tooManyMessages, 'too many messages');
        this.handleMessage(connection, data, isBinary);
      });
    });
  }

  private async admit(socket: WebSocket, request: IncomingMessage): Promise<Connection | null> {
    const admission = await this.authenticator.admit(request);
    const connection: Connection = {
      socket,
      userId: admission.ok ? admission.token.userId : '',
      alive: true,
    };
    if (!admission.ok) {
      this.hub.close(connection, admission.code, admission.reason);
      return null;
    }
    if (socket.readyState !== socket.OPEN) return null; // the client left while we checked
    if (!this.hub.add(connection)) {
      this.hub.close(connection, CLOSE_CODES.tooManyConnections, 'too many connections for this user');
      return null;
    }
    const expiry = this.closeAtExpiry(connection, admission.token.expiresAt);
    socket.on('pong', () => (connection.alive = true));
    socket.once('close', () => {
      clearTimeout(expiry);
      this.hub.remove(connection);
    });
    this.hub.send(connection, {
      type: 'hello',
      protocol: REALTIME_PROTOCOL,
      user_id: connection.userId,
      server_time: new Date().toISOString(),
      heartbeat_interval_ms: this.hub.heartbeatIntervalMs,
    });
    return connection;
  }

  private closeAtExpiry(connection: Connection, expiresAt: Date): NodeJS.Timeout {
    const delay = expiresAt.getTime() - Date.now();
    const timer = setTimeout(
      () =>
        delay > MAX_TIMER_MS
          ? this.closeAtExpiry(connection, expiresAt)
          : this.hub.close(connection, CLOSE_CODES.unauthorized, 'the access token expired; sign in again'),
      Math.min(Math.max(delay, 0), MAX_TIMER_MS),
    );
    timer.unref();
    return timer;
  }

  private handleMessage(connection: Connection, data: RawData, isBinary: boolean): void {
    if (isBinary) return this.reject(connection, 'binary_frame', 'send JSON text frames');
    let parsed: unknown;
    try {
      parsed = JSON.parse(data.toString());
    } catch {
      return this.reject(connection, 'malformed_json', 'a frame must be one JSON message');
    }
    const message = clientMessageSchema.safeParse(parsed);
    if (!message.success) {
      const issue = message.error.issues[0];
      const where = issue?.path.length ? `${issue.path.join('.')}: ` : '';
      return this.reject(
        connection,
        'invalid_message',
        `${where}${issue?.message ?? 'invalid'} (expected {"type":"resume","last_event_id":…} or {"type":"ping"})`,
      );
    }
    switch (message.data.type) {
      case 'resume':
        return this.hub.resume(connection, message.data.last_event_id);
      case 'ping':
        return this.hub.send(connection, {
          type: 'pong',
          ...(message.data.id === undefined ? {} : { id: message.data.id }),
          server_time: new Date().toISOString(),
        });
    }
  }

  private reject(connection: Connection, code: ErrorMessage['code'], message: string): void {
    this.hub.send(connection, { type: 'error', code, message });
  }

  /** An account changed or went: its sockets stay only if it still exists. */
  private async recheckAccount(userId: string): Promise<void> {
    const connections = this.hub.connectionsOf(userId);
    if (connections.length === 0) return;
    try {
      if (await this.actors.resolve(userId)) return;
    } catch (error) {
      this.logger.warn(`could not check account ${userId} after a change: ${String(error)}`);
      return;
    }
    for (const connection of connections)
      this.hub.close(connection, CLOSE_CODES.unauthorized, 'the account no longer exists');
  }
}
