import {
  BEARER_PROTOCOL_PREFIX,
  REALTIME_PATH,
  REALTIME_PROTOCOL,
  type ServerMessage,
  serverMessageSchema,
} from '@todo/realtime-contract';
import { WebSocket } from 'ws';

interface SocketClientOptions {
  /** Sent as the `bearer.<token>` subprotocol next to `todo.realtime.v1`. */
  token?: string;
  /** Sent as `?ticket=`. */
  ticket?: string;
  /** Subprotocols to offer instead of the default ones. */
  protocols?: string[];
  headers?: Record<string, string>;
  /** Extra query parameters (to show that the server ignores a token there). */
  query?: Record<string, string>;
}

type Closed = { code: number; reason: string };

/**
 * A real WebSocket client of `/realtime` for tests and benchmarks: records every message, waits for
 * one that matches, and reports how the server closed the socket.
 */
export class SocketClient {
  readonly messages: ServerMessage[] = [];
  /** Socket errors, and messages that broke the protocol contract (`serverMessageSchema`). */
  readonly errors: Error[] = [];
  /** Resolves when the socket closes, with the server's close code and reason. */
  readonly closed: Promise<Closed>;
  private waiters: Array<{
    match: (message: ServerMessage) => boolean;
    resolve: (message: ServerMessage) => void;
  }> = [];

  private constructor(readonly socket: WebSocket) {
    this.closed = new Promise<Closed>((resolve) =>
      socket.once('close', (code, reason) => resolve({ code, reason: reason.toString() })),
    );
    socket.on('error', (error) => this.errors.push(error));
    socket.on('message', (data) => {
      const parsed = serverMessageSchema.safeParse(JSON.parse(data.toString()));
      if (!parsed.success) {
        this.errors.push(new Error(`a message off the contract: ${data.toString().slice(0, 500)}`));
        return;
      }
      const message = parsed.data;
      this.messages.push(message);
      this.waiters = this.waiters.filter((waiter) => {
        if (!waiter.match(message)) return true;
        waiter.resolve(message);
        return false;
      });
    });
  }

  /** Opens a socket to the app at `baseUrl` (`http://host:port`); resolves once it is open. */
  static async connect(baseUrl: string, options: SocketClientOptions = {}): Promise<SocketClient> {
    const url = new URL(REALTIME_PATH, baseUrl.replace(/^http/, 'ws'));
    if (options.ticket) url.searchParams.set('ticket', options.ticket);
    for (const [name, value] of Object.entries(options.query ?? {})) url.searchParams.set(name, value);
    const protocols =
      options.protocols ??
      (options.token ? [REALTIME_PROTOCOL, `${BEARER_PROTOCOL_PREFIX}${options.token}`] : []);
    const socket = new WebSocket(url, protocols, { headers: options.headers });
    const client = new SocketClient(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    return client;
  }

  /** Opens a socket and waits for its `hello`. */
  static async ready(baseUrl: string, options: SocketClientOptions = {}): Promise<SocketClient> {
    const client = await SocketClient.connect(baseUrl, options);
    await client.next((message) => message.type === 'hello');
    return client;
  }

  /** The first message (received so far or later) that matches, within `timeoutMs`. */
  next<T extends ServerMessage>(match: (message: ServerMessage) => boolean, timeoutMs = 5_000): Promise<T> {
    const seen = this.messages.find(match);
    if (seen) return Promise.resolve(seen as T);
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((waiter) => waiter.resolve !== done);
        reject(
          new Error(
            `no matching message within ${timeoutMs} ms; got ${JSON.stringify(this.messages.map((m) => m.type))}`,
          ),
        );
      }, timeoutMs);
      const done = (message: ServerMessage) => {
        clearTimeout(timer);
        resolve(message as T);
      };
      this.waiters.push({ match, resolve: done });
    });
  }

  /** Messages of one type received so far. */
  ofType<T extends ServerMessage['type']>(type: T): Array<Extract<ServerMessage, { type: T }>> {
    return this.messages.filter(
      (message): message is Extract<ServerMessage, { type: T }> => message.type === type,
    );
  }

  send(message: unknown): void {
    this.socket.send(typeof message === 'string' ? message : JSON.stringify(message));
  }

  /** Closes the socket (terminates it if the server does not answer within a second). */
  async close(): Promise<void> {
    if (this.socket.readyState === WebSocket.CLOSED) return;
    this.socket.close();
    const timer = setTimeout(() => this.socket.terminate(), 1_000);
    await this.closed;
    clearTimeout(timer);
  }
}
