import {
  BEARER_PROTOCOL_PREFIX,
  REALTIME_PATH,
  REALTIME_PROTOCOL,
  type ReminderMessage,
  type ServerMessage,
  type TaskMessage,
  UNAUTHORIZED_CLOSE,
} from './realtime-protocol';

export type LiveStatus = 'connecting' | 'live' | 'catching-up' | 'offline';

export interface LiveHandlers {
  onStatus(status: LiveStatus): void;
  onTask(message: TaskMessage): void;
  onReminder(message: ReminderMessage): void;
  /** The tab may have missed changes: load the tasks again over REST. */
  onRefetch(): void;
  onUnauthorized(): void;
}

/** Reconnect delays: 0.5 s doubling to 30 s, with jitter so a restarted server is not stormed. */
export function backoffDelay(attempt: number, random = Math.random): number {
  const base = Math.min(30_000, 500 * 2 ** attempt);
  return Math.round(base / 2 + random() * (base / 2));
}

/**
 * One WebSocket per tab to the realtime service: authenticates with the access token as a
 * subprotocol, resumes from the last event it saw, watches heartbeats, and reconnects with backoff.
 */
export class LiveConnection {
  private socket: WebSocket | null = null;
  private attempt = 0;
  private lastEventId: string | null = null;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private silenceTimer: ReturnType<typeof setTimeout> | undefined;
  private heartbeatMs = 30_000;
  private stopped = false;
  private seenReminders = new Set<string>();

  constructor(
    private readonly token: string,
    private readonly handlers: LiveHandlers,
    private readonly url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}${REALTIME_PATH}`,
  ) {}

  start(): void {
    this.stopped = false;
    this.open();
    addEventListener('online', this.reconnectNow);
  }

  stop(): void {
    this.stopped = true;
    removeEventListener('online', this.reconnectNow);
    clearTimeout(this.retryTimer);
    clearTimeout(this.silenceTimer);
    this.socket?.close(1000);
    this.socket = null;
  }

  private reconnectNow = () => {
    if (this.socket?.readyState === WebSocket.OPEN) return;
    clearTimeout(this.retryTimer);
    this.attempt = 0;
    this.open();
  };

  private open() {
    if (this.stopped) return;
    this.handlers.onStatus(this.attempt === 0 && !this.lastEventId ? 'connecting' : 'catching-up');
    const socket = new WebSocket(this.url, [REALTIME_PROTOCOL, BEARER_PROTOCOL_PREFIX + this.token]);
    this.socket = socket;
    socket.onmessage = (event) => this.receive(event.data);
    socket.onclose = (event) => {
      if (socket !== this.socket) return;
      clearTimeout(this.silenceTimer);
      this.socket = null;
      if (event.code === UNAUTHORIZED_CLOSE) return this.handlers.onUnauthorized();
      if (this.stopped) return;
      this.handlers.onStatus('offline');
      this.retryTimer = setTimeout(() => this.open(), backoffDelay(this.attempt++));
    };
  }

  private expectHeartbeat() {
    clearTimeout(this.silenceTimer);
    // Two silent intervals: the connection is dead even if the browser has not noticed.
    this.silenceTimer = setTimeout(
      () => this.socket?.close(4000, 'no heartbeat'),
      this.heartbeatMs * 2 + 1000,
    );
  }

  private receive(data: unknown) {
    if (typeof data !== 'string') return;
    let message: ServerMessage;
    try {
      message = JSON.parse(data) as ServerMessage;
    } catch {
      return;
    }
    this.expectHeartbeat();
    switch (message.type) {
      case 'hello': {
        this.heartbeatMs = message.heartbeat_interval_ms;
        const reconnected = this.attempt > 0 || this.lastEventId !== null;
        this.attempt = 0;
        this.socket?.send(JSON.stringify({ type: 'resume', last_event_id: this.lastEventId }));
        // Without an event to resume from, only a reload tells what happened while we were away.
        if (reconnected && this.lastEventId === null) this.handlers.onRefetch();
        if (!reconnected) this.handlers.onStatus('live');
        return;
      }
      case 'resumed':
        if (message.refetch) this.handlers.onRefetch();
        this.handlers.onStatus('live');
        return;
      case 'task':
        this.lastEventId = message.event_id;
        this.handlers.onTask(message);
        return;
      case 'reminder': {
        this.lastEventId = message.event_id;
        const key = `${message.reminder.id}@${message.fired_at}`;
        if (this.seenReminders.has(key)) return;
        this.seenReminders.add(key);
        this.handlers.onReminder(message);
        return;
      }
      default:
        return;
    }
  }
}
