import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@todo/config';
import { type HeldTaskState, heldTaskState, isNewerTaskState, type TaskChange } from '@todo/events';
import {
  CLOSE_CODES,
  type ReminderMessage,
  type ServerMessage,
  type TaskMessage,
} from '@todo/realtime-contract';
import { LRUCache } from 'lru-cache';
import { WebSocket } from 'ws';
import { RecentEvents } from './recent-events';
import { realtimeMetrics } from './realtime-metrics';

/** One authenticated socket. */
export interface Connection {
  readonly socket: WebSocket;
  readonly userId: string;
  /** Answered the last ping (a peer that did not by the next heartbeat is gone). */
  alive: boolean;
}

/** Tasks whose last delivered version this process remembers (to drop repeated and late states). */
const HELD_TASK_STATES = 100_000;
const RECENT_EVENTS = { capacity: 5_000, retentionMs: 5 * 60_000, reorderMarginMs: 2_000 };
/** Sockets are beaten in this many groups, one group every interval / HEARTBEAT_GROUPS. */
const HEARTBEAT_GROUPS = 20;
/** How long shutdown waits for clients to acknowledge the close frame. */
const SHUTDOWN_GRACE_MS = 1_000;

/**
 * The sockets of this process, indexed by user, and delivery to them. Every replica sees every
 * event and delivers it only to the sockets of the event's user that are connected here.
 *
 * - A state older than (or the same as) the last one delivered for its task is dropped
 *   (`isNewerTaskState`): events can arrive twice or late.
 * - Writes never wait: a socket whose send buffer exceeds `REALTIME_MAX_BUFFERED_BYTES` is closed
 *   (4408) and gets nothing more, so a slow reader cannot make the process hold more memory.
 * - A heartbeat message and a ping go to every socket each interval (spread over the interval); one
 *   that did not answer the previous ping is terminated.
 */
@Injectable()
export class SocketHub implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(SocketHub.name);
  private readonly byUser = new Map<string, Set<Connection>>();
  private readonly held = new LRUCache<string, HeldTaskState>({ max: HELD_TASK_STATES });
  // created before the event consumers start, so `since` is no later than the first event
  private readonly recent = new RecentEvents(RECENT_EVENTS, Date.now());
  private heartbeat: NodeJS.Timeout | undefined;
  private readonly beatGroups = Array.from({ length: HEARTBEAT_GROUPS }, () => new Set<Connection>());
  private joined = 0;
  private readonly metrics = {
    open: realtimeMetrics.openSockets(),
    sent: realtimeMetrics.sent(),
    dropped: realtimeMetrics.dropped(),
    closed: realtimeMetrics.closed(),
    lag: realtimeMetrics.deliveryLag(),
  };

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  get heartbeatIntervalMs(): number {
    return this.config.realtime.heartbeatIntervalMs;
  }

  /** Registers an authenticated socket; false when the user is at the connection limit. */
  add(connection: Connection): boolean {
    const sockets = this.byUser.get(connection.userId) ?? new Set<Connection>();
    if (sockets.size >= this.config.realtime.maxConnectionsPerUser) return false;
    sockets.add(connection);
    this.byUser.set(connection.userId, sockets);
    this.beatGroups[this.joined++ % HEARTBEAT_GROUPS].add(connection);
    this.metrics.open.inc();
    return true;
  }

  remove(connection: Connection): void {
    const sockets = this.byUser.get(connection.userId);
    if (!sockets?.delete(connection)) return;
    for (const group of this.beatGroups) group.delete(connection);
    this.metrics.open.dec();
    if (sockets.size === 0) this.byUser.delete(connection.userId);
  }

  connectionsOf(userId: string): readonly Connection[] {
    return [...(this.byUser.get(userId) ?? [])];
  }

  /** Delivers a task's new state to its owner's sockets, unless it is not newer than the last one. */
  deliverTaskState(
    userId: string,
    state: Omit<TaskMessage, 'type' | 'change'> & { change: TaskChange },
  ): void {
    const held = this.held.get(state.task.id);
    if (!isNewerTaskState(state, held)) {
      this.metrics.dropped.inc({ reason: 'stale' });
      return;
    }
    this.held.set(state.task.id, heldTaskState(state));
    this.deliver(userId, { type: 'task', ...state });
  }

  deliverReminder(userId: string, reminder: Omit<ReminderMessage, 'type'>): void {
    this.deliver(userId, { type: 'reminder', ...reminder });
  }

  /** Answers a `resume`: the missed messages, or that the client must refetch. */
  resume(connection: Connection, lastEventId: string | null): void {
    const result = this.recent.resume(connection.userId, lastEventId);
    const texts = result.refetch ? [] : result.texts;
    this.send(connection, { type: 'resumed', refetch: result.refetch, replayed: texts.length });
    for (const text of texts) this.write(connection, text, 'replay');
  }

  /** Sends one message to one socket (hello, pong, errors). */
  send(connection: Connection, message: ServerMessage): void {
    this.write(connection, JSON.stringify(message), message.type);
  }

  /** Closes a socket with one of the documented codes, counting it. */
  close(connection: Connection, code: number, reason: string): void {
    if (connection.socket.readyState !== WebSocket.OPEN) return;
    this.metrics.closed.inc({ code });
    connection.socket.close(code, reason);
  }

  private deliver(userId: string, message: TaskMessage | ReminderMessage): void {
    this.recent.add({ eventId: message.event_id, userId, message });
    const sockets = this.byUser.get(userId);
    if (!sockets) return; // no socket of this user here: nothing to serialize
    const occurredAt = Date.parse(message.occurred_at);
    const frame = Buffer.from(JSON.stringify(message)); // encoded once for all of the user's sockets
    for (const connection of sockets)
      if (this.write(connection, frame, message.type))
        this.metrics.lag.observe(Math.max(0, Date.now() - occurredAt) / 1000);
  }

  /** Queues a text frame on the socket; false when it was not sent (closed, or cut off for being too slow). */
  private write(connection: Connection, frame: string | Buffer, type: string): boolean {
    const { socket } = connection;
    if (socket.readyState !== WebSocket.OPEN) return false;
    if (socket.bufferedAmount + Buffer.byteLength(frame) > this.config.realtime.maxBufferedBytes) {
      this.metrics.dropped.inc({ reason: 'slow_client' });
      this.close(connection, CLOSE_CODES.tooSlow, 'too slow: send buffer full; reconnect and resume');
      return false;
    }
    socket.send(frame, { binary: false });
    this.metrics.sent.inc({ type });
    return true;
  }

  onModuleInit(): void {
    let turn = 0;
    this.heartbeat = setInterval(
      () => this.beat(this.beatGroups[turn++ % HEARTBEAT_GROUPS]),
      this.heartbeatIntervalMs / HEARTBEAT_GROUPS,
    );
    this.heartbeat.unref();
  }

  /**
   * Pings one group of sockets and sends them the heartbeat message. Each socket belongs to one of
   * `HEARTBEAT_GROUPS` groups, beaten in turn, so the work is spread over the interval instead of
   * 20,000 writes at once every interval delaying the deliveries behind them.
   */
  private beat(group: ReadonlySet<Connection>): void {
    const message = JSON.stringify({ type: 'heartbeat', server_time: new Date().toISOString() });
    for (const connection of group) {
      if (connection.socket.readyState !== WebSocket.OPEN) continue; // closing: gone soon
      if (!connection.alive) {
        connection.socket.terminate(); // no pong since its last beat: the peer is gone
        continue;
      }
      connection.alive = false;
      connection.socket.ping();
      this.write(connection, message, 'heartbeat');
    }
  }

  /** Tells every client to reconnect elsewhere (1001) and waits briefly for the close frames to go out. */
  async onModuleDestroy(): Promise<void> {
    clearInterval(this.heartbeat);
    const connections = [...this.byUser.values()].flatMap((sockets) => [...sockets]);
    if (connections.length > 0) this.logger.log(`closing ${connections.length} sockets (going away)`);
    const closed = connections.map(
      ({ socket }) => new Promise<void>((resolve) => socket.once('close', () => resolve())),
    );
    for (const connection of connections)
      this.close(connection, CLOSE_CODES.goingAway, 'server shutting down');
    await Promise.race([
      Promise.all(closed),
      new Promise((resolve) => setTimeout(resolve, SHUTDOWN_GRACE_MS)),
    ]);
  }
}
