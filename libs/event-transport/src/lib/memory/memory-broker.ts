import { Injectable, Logger } from '@nestjs/common';
import type { OutgoingMessage } from '../event-publisher';

/** A message as a memory consumer receives it: serialized and parsed again, like on a real wire. */
export interface MemoryDelivery {
  readonly topic: string;
  readonly key: string;
  readonly body: string;
  readonly headers: Readonly<Record<string, string>>;
}

/** A consumer group on the memory broker; resolves when the message is handled or dead-lettered. */
type MemoryGroupHandler = (delivery: MemoryDelivery) => Promise<void>;

/**
 * Ordered queues per group. A consumer's inbox commits the deliveries waiting for it in one
 * transaction and each lane has one in hand, so the lanes bound a consumer's batch. More lanes
 * drained a backlog faster (bench `event-capacity`) but let the web-push consumer hold a pool
 * connection per push for many pushes at once (pool: 10): with 64, half of 10,000 reminders due
 * in a minute were not pushed within 30 s in one run on a busy machine (with 8: none missing).
 */
const LANES = 8;

interface Queued {
  delivery: MemoryDelivery;
  resolve: () => void;
  reject: (error: Error) => void;
}

/** One ordered queue; a group has several, chosen by key, so different tasks proceed in parallel. */
class Lane {
  private readonly queue: Queued[] = [];
  private active: Promise<void> | null = null;

  constructor(private readonly handle: MemoryGroupHandler) {}

  push(item: Queued): void {
    this.queue.push(item);
    this.active ??= this.drain();
  }

  private async drain(): Promise<void> {
    for (let item = this.queue.shift(); item; item = this.queue.shift()) {
      await this.handle(item.delivery).then(item.resolve, item.reject);
    }
    this.active = null;
  }

  /** Rejects what has not started (it stays in the outbox) and waits for the message in hand. */
  async stop(reason: Error): Promise<void> {
    for (const item of this.queue.splice(0)) item.reject(reason);
    await this.active;
  }
}

class MemoryGroup {
  readonly lanes: Lane[];
  constructor(
    readonly name: string,
    handle: MemoryGroupHandler,
  ) {
    this.lanes = Array.from({ length: LANES }, () => new Lane(handle));
  }
  laneFor(key: string): Lane {
    return this.lanes[hash(key) % LANES];
  }
}

/**
 * The in-process broker of standalone mode. Unlike a fire-and-forget event emitter, `publish`
 * resolves only when every subscribed group has handled (or dead-lettered) the message, so the outbox
 * row stays pending until then and a crash re-delivers it after restart. Order is kept per key.
 */
@Injectable()
export class MemoryBroker {
  private readonly logger = new Logger(MemoryBroker.name);
  private readonly groups = new Map<string, MemoryGroup[]>();
  private readonly deadLetterLog: MemoryDelivery[] = [];
  private resolveReady!: () => void;
  private readonly ready = new Promise<void>((resolve) => (this.resolveReady = resolve));
  private stopping = false;
  private resolveStopped!: () => void;
  private readonly stopped = new Promise<void>((resolve) => (this.resolveStopped = resolve));

  subscribe(topic: string, group: string, handle: MemoryGroupHandler): void {
    this.groups.set(topic, [...(this.groups.get(topic) ?? []), new MemoryGroup(group, handle)]);
  }

  /** Called by the memory server once its subscriptions exist; publishing waits for it. */
  open(): void {
    this.resolveReady();
  }

  async publish(messages: readonly OutgoingMessage[]): Promise<void> {
    await Promise.race([this.ready, this.stopped]);
    const handled: Array<Promise<void>> = [];
    for (const message of messages) {
      if (this.stopping) throw new Error('the memory broker is shutting down');
      const delivery: MemoryDelivery = {
        topic: message.topic,
        key: message.key,
        body: JSON.stringify(message.event),
        headers: { ...message.headers },
      };
      if (message.topic.endsWith('.dlq')) this.recordDeadLetter(delivery);
      for (const group of this.groups.get(message.topic) ?? []) {
        handled.push(
          new Promise((resolve, reject) => group.laneFor(message.key).push({ delivery, resolve, reject })),
        );
      }
    }
    await Promise.all(handled);
  }

  /** The most recent dead letters (memory mode keeps the last 1,000 for inspection). */
  deadLetters(topic?: string): readonly MemoryDelivery[] {
    return this.deadLetterLog.filter((letter) => !topic || letter.topic === topic);
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.resolveStopped();
    const reason = new Error('the memory broker stopped before this message was handled');
    await Promise.all(
      [...this.groups.values()].flat().flatMap((group) => group.lanes.map((lane) => lane.stop(reason))),
    );
  }

  private recordDeadLetter(delivery: MemoryDelivery): void {
    this.logger.error(
      `dead letter on ${delivery.topic} (consumer ${delivery.headers['x-consumer']}, ${delivery.headers['x-error-attempts']} attempts): ${delivery.headers['x-error']}`,
    );
    this.deadLetterLog.push(delivery);
    if (this.deadLetterLog.length > 1000) this.deadLetterLog.shift();
  }
}

/** FNV-1a: a cheap, stable string hash for choosing a lane. */
function hash(key: string): number {
  let value = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) value = Math.imul(value ^ key.charCodeAt(i), 0x01000193);
  return value >>> 0;
}
