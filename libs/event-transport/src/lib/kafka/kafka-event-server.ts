import { Logger } from '@nestjs/common';
import type { EventsConfig } from '@todo/config';
import { deadLetterTopic } from '@todo/events';
import type { IHeaders, Kafka, Producer } from 'kafkajs';
import { asError, deliver, readMessage } from '../consumer/deliver';
import { type ConsumerServerOptions, EventConsumerServer } from '../consumer/event-consumer-server';
import { backoffDelay, deliverWithRetries, sleep, withTimeout } from '../consumer/retry';
import type { ConsumerSubscription } from '../consumer/subscriptions';
import { deadLetterHeaders } from '../event-publisher';
import type { KafkaDelivery } from './kafka-batch-lanes';
import { createKafkaClient } from './kafka-client';
import { createOrderedProducer, sendAcknowledged } from './kafka-event-publisher';
import { KafkaGroupConsumer } from './kafka-group-consumer';

/** Knobs with production defaults; tests lower some of them. */
interface KafkaConsumerTuning {
  /**
   * How long a broker holds a fetch that has no data yet (`KAFKA_FETCH_MAX_WAIT_MS`). Real brokers
   * answer as soon as data arrives, so this only bounds latency on brokers that do not (such as the
   * kcat mock) and sets the idle polling rate; kafkajs's own 5 s default would add seconds there.
   */
  readonly maxWaitTimeInMs?: number;
  /**
   * Fetched batches (one per partition) handled at once per consumer. Within a batch the keys run
   * concurrently anyway (`consumerConcurrency` bounds the messages in hand), so this only keeps one
   * slow partition from holding up the others.
   */
  readonly partitionsConsumedConcurrently?: number;
  /** `KAFKA_CONSUMER_CONCURRENCY`: messages in the handlers at once per consumer, one per key. */
  readonly consumerConcurrency?: number;
  /**
   * How long `start` waits for every consumer to join its group (failed joins are retried in the
   * meantime) before failing the start-up.
   */
  readonly joinTimeoutMs?: number;
  /**
   * Where a consumer group WITHOUT committed offsets starts; once a group has committed, it always
   * resumes from there. Defaults to `true` for durable groups (no `groupSuffix`) and `false` for
   * per-replica groups (see {@link KafkaEventServer}).
   */
  readonly fromBeginning?: boolean;
  /** `KAFKA_SESSION_TIMEOUT_MS`: see the README. */
  readonly sessionTimeoutMs?: number;
  /** First delay before a failed consumer is started again; doubles per failure up to 30 s. */
  readonly restartBackoffMs?: number;
  /** A joined consumer without progress for this long makes the process unready (see `problems`). */
  readonly stallTimeoutMs?: number;
}

const DEFAULT_TUNING = {
  partitionsConsumedConcurrently: 8,
  joinTimeoutMs: 60_000,
  restartBackoffMs: 1_000,
  stallTimeoutMs: 60_000,
} as const;

const MAX_RESTART_BACKOFF_MS = 30_000;

/**
 * Runs the `@EventPattern` handlers on Kafka: one kafkajs consumer (one consumer group) per
 * consumer name, `${KAFKA_GROUP_PREFIX}${consumer}${KAFKA_GROUP_SUFFIX}`.
 *
 * - Group ids: without a suffix, every replica of a service shares one group and each event is
 *   handled by ONE replica (scheduler, audit). A per-replica suffix (e.g. `.${POD_NAME}`) gives each
 *   replica its own group, so EVERY replica sees every event: the realtime fan-out to the sockets
 *   connected to that replica.
 * - Start position of a NEW group (no committed offsets; afterwards a group always resumes from its
 *   commits): durable groups start at the earliest retained offset. A service deployed for the first
 *   time (or a consumer added to it) must not miss what was published before its group existed: the
 *   relay may have published those events while it was being rolled out, and "latest" would skip
 *   them for good. Replaying the retained history once is safe (handlers are idempotent through the
 *   inbox) and is what audit wants anyway. Per-replica groups start at the latest offset: a new
 *   replica has no clients that could have missed anything, and replaying the retention window to
 *   live sockets would be wrong. Either default can be overridden (`KafkaConsumerTuning`).
 * - Acknowledgement: an offset is committed only after its message and every one before it in the
 *   partition are done: their handlers succeeded or they were written to `<topic>.dlq`. A failed
 *   dead-letter write throws, so kafkajs does not commit past it and redelivers it (and what
 *   followed it in the batch).
 * - Order and batches: a fetched batch is handed over by key (`handleBatchByKey`): the messages of
 *   one key one at a time in offset order, different keys (and partitions) at once, up to
 *   `KAFKA_CONSUMER_CONCURRENCY` per consumer, so the inbox commits many events per transaction.
 * - Membership: a consumer that fails to join or crashes is started again with backoff (see
 *   `KafkaGroupConsumer`), never left dead; `problems()` tells readiness which consumer is not a
 *   member of its group or is stuck. `close` leaves the groups, so the remaining replicas rebalance
 *   at once instead of after the session timeout (`KAFKA_SESSION_TIMEOUT_MS`).
 * - Topics: the consumer asks for them in its metadata request; brokers with auto-creation create
 *   them, clusters that forbid it need `<topic>` and `<topic>.dlq` created beforehand (no admin
 *   calls are made here).
 */
export class KafkaEventServer extends EventConsumerServer {
  protected override readonly logger = new Logger(KafkaEventServer.name);
  private readonly kafka: Kafka;
  private readonly tuning: Required<KafkaConsumerTuning>;
  private readonly shutdown = new AbortController();
  private consumers: KafkaGroupConsumer[] = [];
  private deadLetterProducer: Producer | null = null;

  constructor(
    private readonly config: EventsConfig['kafka'],
    options: ConsumerServerOptions,
    tuning: KafkaConsumerTuning = {},
  ) {
    super(options);
    this.kafka = createKafkaClient(config, 'consumer');
    this.tuning = {
      ...DEFAULT_TUNING,
      maxWaitTimeInMs: config.fetchMaxWaitMs,
      consumerConcurrency: config.consumerConcurrency,
      sessionTimeoutMs: config.sessionTimeoutMs,
      fromBeginning: config.groupSuffix === '',
      ...stripUndefined(tuning),
    };
  }

  /** The group id of a consumer name. */
  groupId(consumer: string): string {
    return `${this.config.groupPrefix}${consumer}${this.config.groupSuffix}`;
  }

  /**
   * Starts one consumer per subscription and resolves once each joined its group AND finished its
   * first fetch: kafkajs looks up the starting offsets (committed, or earliest/latest for a new
   * group) right before that fetch, so from then on nothing published can be skipped, even by a new
   * group that starts at the latest offset. Failed joins are retried meanwhile; after
   * `joinTimeoutMs` the start-up fails, naming each group that is not consuming and why.
   */
  protected async start(subscriptions: readonly ConsumerSubscription[]): Promise<void> {
    if (subscriptions.length === 0) return;
    const producer = createOrderedProducer(this.kafka);
    this.deadLetterProducer = producer;
    this.consumers = subscriptions.map(
      (subscription) =>
        new KafkaGroupConsumer(
          this.kafka,
          {
            ...this.tuning,
            groupId: this.groupId(subscription.consumer),
            topics: subscription.topics,
            messagesInFlight: this.tuning.consumerConcurrency,
            maxRestartBackoffMs: MAX_RESTART_BACKOFF_MS,
          },
          (payload) => this.consume(subscription, payload),
        ),
    );
    for (const consumer of this.consumers) consumer.start();
    try {
      await withTimeout(
        Promise.all([this.connect(producer), ...this.consumers.map((consumer) => consumer.consuming)]),
        this.tuning.joinTimeoutMs,
        'timed out',
      );
    } catch (error) {
      const reasons = this.problems();
      await this.close();
      throw new Error(
        `Kafka consumers did not start within ${this.tuning.joinTimeoutMs} ms (brokers: ${this.config.brokers.join(',')}): ` +
          (reasons.length > 0 ? reasons.join('; ') : `the dead-letter producer: ${asError(error).message}`),
        { cause: error },
      );
    }
  }

  /**
   * Why the consumers cannot do their work right now (empty when they can): a consumer that is not
   * a member of its group (starting, rebalancing, restarting after a failure) or is stuck. A
   * lagging consumer is NOT a problem here: it is working, and taking it out of service would only
   * add to the lag (watch `kafka_consumer_lag_messages` instead).
   */
  problems(): string[] {
    return this.consumers.map((consumer) => consumer.problem()).filter((problem) => problem !== null);
  }

  /** Connects the dead-letter producer, retrying with backoff until it works or the server closes. */
  private async connect(producer: Producer): Promise<void> {
    for (let failures = 1; ; failures++) {
      try {
        return await producer.connect();
      } catch (error) {
        if (this.shutdown.signal.aborted) throw error;
        const delay = backoffDelay(
          { backoffMs: this.tuning.restartBackoffMs, maxBackoffMs: MAX_RESTART_BACKOFF_MS },
          failures,
        );
        this.logger.warn(
          `the dead-letter producer could not connect (${asError(error).message}); trying again in ${delay} ms`,
        );
        await sleep(delay, this.shutdown.signal);
      }
    }
  }

  /** Handles one message; resolving lets kafkajs commit its offset, throwing keeps it uncommitted. */
  private async consume(
    subscription: ConsumerSubscription,
    { topic, message, heartbeat }: KafkaDelivery,
  ): Promise<void> {
    const incoming = readMessage(message.value?.toString('utf8') ?? null);
    const outcome = await deliverWithRetries(
      async (attempt) => {
        // long retry sequences must not cost the group membership (throws when a rebalance began)
        if (attempt > 1) await heartbeat();
        return deliver(subscription, topic, incoming, attempt);
      },
      this.options.retry,
      this.shutdown.signal,
    );
    if (outcome.status === 'delivered') return;
    const producer = this.deadLetterProducer;
    if (!producer) throw new Error('the dead-letter producer is not connected');
    const headers: IHeaders = {
      ...message.headers,
      ...deadLetterHeaders({ ...outcome, topic, consumer: subscription.consumer }),
    };
    try {
      // the original bytes, unchanged, under the original key (same partition order in the DLQ)
      await sendAcknowledged(producer, [
        { topic: deadLetterTopic(topic), messages: [{ key: message.key, value: message.value, headers }] },
      ]);
    } catch (error) {
      throw new Error(
        `could not dead-letter a message of ${topic} (offset ${message.offset}); it stays uncommitted: ${asError(error).message}`,
        { cause: error },
      );
    }
    this.logger.error(
      `dead-lettered a message of ${topic} to ${deadLetterTopic(topic)} (consumer ${subscription.consumer}, ${outcome.attempts} attempts): ${outcome.error.message}`,
    );
  }

  /**
   * Stops fetching, lets the messages in hand finish (kafkajs waits for the running batches,
   * then commits their offsets and leaves the groups, so the other replicas take the partitions over
   * at once), and disconnects. Handlers waiting for a retry are interrupted instead: their message
   * stays uncommitted and is delivered again later.
   */
  async close(): Promise<void> {
    this.shutdown.abort(new Error('the consumer is shutting down'));
    const consumers = this.consumers.splice(0);
    const results = await Promise.allSettled(consumers.map((consumer) => consumer.close()));
    const producer = this.deadLetterProducer;
    this.deadLetterProducer = null;
    results.push(...(await Promise.allSettled([producer?.disconnect()])));
    for (const result of results)
      if (result.status === 'rejected')
        this.logger.warn(`closing the Kafka consumer: ${asError(result.reason).message}`);
  }

  /** For diagnostics: `{ kafka, consumers (KafkaGroupConsumer[]), deadLetterProducer }`. */
  unwrap<T>(): T {
    return { kafka: this.kafka, consumers: this.consumers, deadLetterProducer: this.deadLetterProducer } as T;
  }
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, entry]) => entry !== undefined)) as Partial<T>;
}
