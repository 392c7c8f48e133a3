import { Injectable, Logger } from '@nestjs/common';
import { INBOX_MAX_BATCH } from '@todo/events';
import { jsonOf, type OutgoingMessage } from '../event-publisher';

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
 * Most messages one group has in hand at once. A consumer's inbox commits the deliveries waiting
 * for it in one transaction, so twice its batch lets the next batch gather while one commits. A
 * consumer that holds a scarce resource per message (a pool connection) bounds its own concurrency.
 */
export const MAX_IN_HAND_PER_GROUP = 2 * INBOX_MAX_BATCH;

interface Queued {
  delivery: MemoryDelivery;
  resolve: () => void;
  reject: (error: Error) => void;
}

/**
 * A consumer group: it hands the consumer every queued message whose key has none in hand (oldest
 * key first, up to {@link MAX_IN_HAND_PER_GROUP}), so order is kept per key and different keys
 * proceed together, the way a Kafka consumer keeps one partition's order.
 */
class MemoryGroup {
  /** Per key with a message waiting or in hand: the ones waiting, in arrival order. */
  private readonly waiting = new Map<string, Queued[]>();
  /** Keys with a message waiting and none in hand, in the order they became so (each at most once). */
  private readonly ready: string[] = [];
  private readonly inHand = new Set<Promise<void>>();

  constructor(
    readonly name: string,
    private readonly handle: MemoryGroupHandler,
  ) {}

  push(item: Queued): void {
    const { key } = item.delivery;
    const queue = this.waiting.get(key);
    if (queue) queue.push(item);
    else {
      this.waiting.set(key, [item]);
      this.ready.push(key);
    }
    this.handOver();
  }

  private handOver(): void {
    while (this.ready.length && this.inHand.size < MAX_IN_HAND_PER_GROUP) {
      const key = this.ready.shift() as string;
      const item = this.waiting.get(key)?.shift();
      if (item) this.run(key, item);
    }
  }

  private run(key: string, item: Queued): void {
    const handled: Promise<void> = this.handle(item.delivery)
      .then(item.resolve, item.reject)
      .finally(() => {
        this.inHand.delete(handled);
        if (this.waiting.get(key)?.length) this.ready.push(key);
        else this.waiting.delete(key);
        this.handOver();
      });
    this.inHand.add(handled);
  }

  /** Rejects what has not started (it stays in the outbox) and waits for the messages in hand. */
  async stop(reason: Error): Promise<void> {
    for (const queue of this.waiting.values()) for (const item of queue.splice(0)) item.reject(reason);
    this.ready.length = 0;
    await Promise.all(this.inHand);
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
        body: jsonOf(message),
        headers: { ...message.headers },
      };
      if (message.topic.endsWith('.dlq')) this.recordDeadLetter(delivery);
      for (const group of this.groups.get(message.topic) ?? []) {
        handled.push(new Promise((resolve, reject) => group.push({ delivery, resolve, reject })));
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
    await Promise.all([...this.groups.values()].flat().map((group) => group.stop(reason)));
  }

  private recordDeadLetter(delivery: MemoryDelivery): void {
    this.logger.error(
      `dead letter on ${delivery.topic} (consumer ${delivery.headers['x-consumer']}, ${delivery.headers['x-error-attempts']} attempts): ${delivery.headers['x-error']}`,
    );
    this.deadLetterLog.push(delivery);
    if (this.deadLetterLog.length > 1000) this.deadLetterLog.shift();
  }
}
