import { Logger } from '@nestjs/common';
import type { Consumer, EachBatchPayload, Kafka } from 'kafkajs';
import pLimit, { type Limit } from 'p-limit';
import { asError } from '../consumer/deliver';
import { backoffDelay, sleep } from '../consumer/retry';
import { type BatchProgress, handleBatchByKey, type KafkaDelivery } from './kafka-batch-lanes';
import { KafkaConsumerMetrics } from './kafka-consumer-metrics';

interface KafkaGroupConsumerSettings {
  readonly groupId: string;
  readonly topics: readonly string[];
  readonly fromBeginning: boolean;
  readonly sessionTimeoutMs: number;
  readonly maxWaitTimeInMs: number;
  readonly partitionsConsumedConcurrently: number;
  /** Messages in the handlers at once, over all partitions (different keys; one per key). */
  readonly messagesInFlight: number;
  /** Delay before the first restart after a failure; doubles per consecutive failure, capped. */
  readonly restartBackoffMs: number;
  readonly maxRestartBackoffMs: number;
  /** A joined consumer that makes no progress for this long is reported as stuck. */
  readonly stallTimeoutMs: number;
}

type Phase = 'joining' | 'consuming' | 'rebalancing' | 'restarting' | 'stopped';

/**
 * One kafkajs consumer (one consumer group) that keeps running until closed. Whatever stops it - a
 * join that fails (a broker that is down at start-up, a coordinator answering SyncGroup with a
 * non-retriable error), a crash while consuming - it is started again after a backoff, never given
 * up: kafkajs itself restarts only after "retriable" errors and otherwise leaves the consumer dead
 * while the process looks healthy. Its state feeds readiness (`problem`) and the metrics.
 */
export class KafkaGroupConsumer {
  private readonly logger = new Logger(KafkaGroupConsumer.name);
  private readonly consumer: Consumer;
  private readonly metrics: KafkaConsumerMetrics;
  private readonly stopping = new AbortController();
  private phase: Phase = 'joining';
  private phaseSince = Date.now();
  private lastError: Error | null = null;
  private lastProgressAt = Date.now();
  /** Messages in their handler (`topic\0partition\0offset`): when they started. */
  private readonly inFlight = new Map<string, number>();
  /**
   * Bounds the messages this consumer has in its handlers at once, over all its partitions: the inbox
   * commits what is waiting together (more in flight, bigger transactions), but each may hold a connection.
   */
  private readonly slots: Limit;
  private readonly progress: BatchProgress;
  private joinedSinceFailure = false;
  /** Partitions assigned at the last join: a member without any (more replicas than partitions) idles. */
  private assignedPartitions = 0;
  private endRun: ((error: Error) => void) | null = null;
  private running: Promise<void> | null = null;
  private firstFetchAfterJoin: (() => void) | null = null;
  /**
   * Resolves at the first fetch after the first join: kafkajs resolves the starting offsets right
   * before it, so from then on nothing published can be skipped (even by a group starting at the
   * latest offset). Never rejects: failures are retried.
   */
  readonly consuming: Promise<void>;

  constructor(
    kafka: Kafka,
    private readonly settings: KafkaGroupConsumerSettings,
    private readonly handle: (delivery: KafkaDelivery) => Promise<void>,
  ) {
    this.metrics = new KafkaConsumerMetrics(settings.groupId);
    this.slots = pLimit(settings.messagesInFlight);
    this.progress = {
      finished: () => {
        this.lastProgressAt = Date.now();
      },
      resolved: (topic, partition, offset) => this.metrics.processed(topic, partition, offset),
    };
    this.consumer = kafka.consumer({
      groupId: settings.groupId,
      maxWaitTimeInMs: settings.maxWaitTimeInMs,
      sessionTimeout: settings.sessionTimeoutMs,
      // a third of the session timeout (Kafka's advice), at most kafkajs's default of 3 s
      heartbeatInterval: Math.min(3_000, Math.floor(settings.sessionTimeoutMs / 3)),
      allowAutoTopicCreation: true,
      // every crash comes to `keepRunning`, which restarts after any error, with its own backoff
      retry: { restartOnFailure: async () => false },
    });
    this.consuming = new Promise<void>((resolve) => (this.firstFetchAfterJoin = resolve));
    this.listen();
  }

  get groupId(): string {
    return this.settings.groupId;
  }

  start(): void {
    this.running ??= this.keepRunning();
  }

  /**
   * Why this consumer cannot do its work right now, or `null` when it can: it must be a member of
   * its group (not joining, rebalancing or restarting) and not stuck: one message in its handler
   * for `stallTimeoutMs`, or, with partitions assigned, no fetch answered and no message finished
   * for that long.
   */
  problem(now = Date.now()): string | null {
    const group = this.settings.groupId;
    const since = seconds(now - this.phaseSince);
    switch (this.phase) {
      case 'joining':
        return `consumer group ${group} is joining (for ${since} s${this.lastError ? `; the last attempt failed: ${describe(this.lastError)}` : ''})`;
      case 'rebalancing':
        return `consumer group ${group} is rebalancing (for ${since} s)`;
      case 'restarting':
        return `consumer group ${group} failed ${since} s ago and is being restarted: ${describe(this.lastError)}`;
      case 'stopped':
        return `consumer group ${group} is stopped`;
      case 'consuming':
        break;
    }
    const stall = this.settings.stallTimeoutMs;
    for (const [key, startedAt] of this.inFlight)
      if (now - startedAt > stall) {
        const [topic, partition, offset] = key.split('\0');
        return `consumer group ${group}: the message at offset ${offset} of ${topic} partition ${partition} has been in its handler for ${seconds(now - startedAt)} s`;
      }
    if (this.assignedPartitions > 0 && now - this.lastProgressAt > stall)
      return `consumer group ${group} completed no fetch and finished no message for ${seconds(now - this.lastProgressAt)} s`;
    return null;
  }

  /**
   * Stops fetching, waits for the messages in hand (their offsets are committed), leaves the group
   * (LeaveGroup, so the other members take its partitions over at once) and disconnects.
   */
  async close(): Promise<void> {
    this.stopping.abort(new Error('the consumer is shutting down'));
    this.endRun?.(new Error('closed'));
    await this.consumer
      .disconnect()
      .catch((error) => this.logger.warn(`closing ${this.groupId}: ${asError(error).message}`));
    await this.running;
    this.enter('stopped');
  }

  private async keepRunning(): Promise<void> {
    let failures = 0;
    while (!this.stopping.signal.aborted) {
      const error = await this.runUntilFailure();
      if (this.stopping.signal.aborted) return;
      failures = this.joinedSinceFailure ? 1 : failures + 1;
      this.joinedSinceFailure = false;
      this.lastError = error;
      this.enter('restarting');
      this.metrics.restarted();
      const delay = backoffDelay(
        { backoffMs: this.settings.restartBackoffMs, maxBackoffMs: this.settings.maxRestartBackoffMs },
        failures,
      );
      this.logger.warn(
        `consumer group ${this.groupId} stopped (${describe(error)}); starting it again in ${delay} ms (failure ${failures} in a row)`,
      );
      await sleep(delay, this.stopping.signal).catch(() => undefined);
    }
  }

  /** Connects, subscribes and runs the consumer; resolves with the error that ended this run. */
  private async runUntilFailure(): Promise<Error> {
    const ended = new Promise<Error>((resolve) => (this.endRun = resolve));
    this.enter('joining');
    try {
      await this.consumer.connect();
      if (!this.stopping.signal.aborted)
        await this.consumer.subscribe({
          topics: [...this.settings.topics],
          fromBeginning: this.settings.fromBeginning,
        });
      if (!this.stopping.signal.aborted)
        await this.consumer.run({
          partitionsConsumedConcurrently: this.settings.partitionsConsumedConcurrently,
          // only the handled prefix of a batch is resolved (see handleBatchByKey), never the whole batch
          eachBatchAutoResolve: false,
          eachBatch: (payload) => this.consumeBatch(payload),
        });
    } catch (error) {
      // half connected: drop the connections before the next attempt
      await this.consumer.disconnect().catch(() => undefined);
      return asError(error);
    }
    if (this.stopping.signal.aborted) await this.consumer.disconnect().catch(() => undefined);
    return ended;
  }

  private consumeBatch(payload: EachBatchPayload): Promise<void> {
    return handleBatchByKey(payload, this.slots, (delivery) => this.consume(delivery), this.progress);
  }

  private async consume(delivery: KafkaDelivery): Promise<void> {
    const key = `${delivery.topic}\0${delivery.partition}\0${delivery.message.offset}`;
    this.inFlight.set(key, Date.now());
    try {
      await this.handle(delivery);
    } finally {
      this.inFlight.delete(key);
    }
  }

  private listen(): void {
    const { events } = this.consumer;
    this.consumer.on(events.GROUP_JOIN, ({ payload }) => {
      const partitions = Object.values(payload.memberAssignment).reduce((sum, list) => sum + list.length, 0);
      this.logger.log(
        `consumer group ${this.groupId} joined (${partitions} partition(s) of ${this.settings.topics.join(', ')}, ` +
          `${payload.duration} ms)`,
      );
      this.joinedSinceFailure = true;
      this.assignedPartitions = partitions;
      this.lastProgressAt = Date.now();
      this.enter('consuming');
    });
    this.consumer.on(events.REBALANCING, () => this.enter('rebalancing'));
    // a broker's answer to a fetch, not kafkajs's FETCH event: that one also fires every
    // `maxWaitTimeInMs` for a broker that leads none of our partitions, even when it is frozen
    this.consumer.on(events.REQUEST, ({ payload }) => {
      if (payload.apiName === 'Fetch') this.lastProgressAt = Date.now();
    });
    this.consumer.on(events.FETCH, () => {
      if (this.phase !== 'consuming') return;
      this.firstFetchAfterJoin?.();
      this.firstFetchAfterJoin = null;
    });
    this.consumer.on(events.START_BATCH_PROCESS, ({ payload }) =>
      this.metrics.batchStarted(payload.topic, payload.partition, payload.highWatermark, payload.firstOffset),
    );
    this.consumer.on(events.CRASH, ({ payload }) => {
      this.lastError = payload.error;
      this.enter('restarting');
      this.endRun?.(payload.error);
    });
  }

  private enter(phase: Phase): void {
    if (this.phase !== phase) {
      this.phase = phase;
      this.phaseSince = Date.now();
    }
    this.metrics.joined(phase === 'consuming');
  }
}

/** The message, prefixed with the Kafka error code when there is one (e.g. `INVALID_REQUEST: …`). */
function describe(error: Error | null): string {
  const type = (error as { type?: unknown } | null)?.type;
  return `${typeof type === 'string' ? `${type}: ` : ''}${error?.message ?? 'unknown error'}`;
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(1);
}
