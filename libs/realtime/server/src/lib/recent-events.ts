/** One message delivered to a user, kept for clients that reconnect. */
interface RecentEvent {
  readonly eventId: string;
  readonly userId: string;
  /** When this process received it. */
  readonly receivedAt: number;
  /** The server message; serialized only when replayed (most are never replayed). */
  readonly message: object;
}

type ResumeResult = { readonly refetch: true } | { readonly refetch: false; readonly texts: string[] };

interface RecentEventsOptions {
  /** Messages kept (all users together). */
  readonly capacity: number;
  /** How long a message is kept. */
  readonly retentionMs: number;
  /**
   * Events of different tasks travel on different partitions and may reach two replicas in a
   * different order; a resume replays the user's messages received this long before the one named.
   */
  readonly reorderMarginMs: number;
}

/**
 * What this process delivered recently, so a client that reconnects (here or to another replica —
 * every replica sees every event) gets what it missed instead of reloading everything. Memory is
 * bounded by count and age; a client whose last event is not here must refetch.
 */
export class RecentEvents {
  private readonly entries: RecentEvent[] = [];
  private readonly byId = new Map<string, RecentEvent>();

  /** `since`: when this process began consuming; nothing before it can be vouched for. */
  constructor(
    private readonly options: RecentEventsOptions,
    private readonly since: number,
    private readonly now: () => number = Date.now,
  ) {}

  add(event: Omit<RecentEvent, 'receivedAt'>): void {
    const entry = { ...event, receivedAt: this.now() };
    this.entries.push(entry);
    this.byId.set(entry.eventId, entry);
    this.evict();
  }

  /**
   * The user's messages to replay after `lastEventId`, or `refetch` when this process cannot vouch
   * that nothing is missing: the event is unknown (evicted, never seen, another user's) or arrived
   * too soon after this process began consuming. Replays may include messages the client already
   * has (it drops them by version).
   */
  resume(userId: string, lastEventId: string | null): ResumeResult {
    this.evict();
    const last = lastEventId === null ? undefined : this.byId.get(lastEventId);
    if (!last || last.userId !== userId) return { refetch: true };
    if (last.receivedAt - this.options.reorderMarginMs < this.since) return { refetch: true };
    const from = last.receivedAt - this.options.reorderMarginMs;
    const texts = this.entries
      .filter((entry) => entry.userId === userId && entry.receivedAt >= from && entry !== last)
      .map((entry) => JSON.stringify(entry.message));
    return { refetch: false, texts };
  }

  private evict(): void {
    const oldest = this.now() - this.options.retentionMs;
    let drop = Math.max(0, this.entries.length - this.options.capacity);
    while (drop < this.entries.length && this.entries[drop].receivedAt < oldest) drop++;
    for (const entry of this.entries.splice(0, drop)) this.byId.delete(entry.eventId);
  }
}
