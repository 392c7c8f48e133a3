import { Logger } from '@nestjs/common';
import type { EventsConfig } from '@todo/config';
import { deadLetterTopic } from '@todo/events';
import type { Consumer, EachMessagePayload, IHeaders, Kafka, Producer } from 'kafkajs';
import { asError, deliver } from '../consumer/deliver';
import { type ConsumerServerOptions, EventConsumerServer } from '../consumer/event-consumer-server';
import { deliverWithRetries } from '../consumer/retry';
import type { ConsumerSubscription } from '../consumer/subscriptions';
import { deadLetterHeaders } from '../event-publisher';
import { createKafkaClient } from './kafka-client';
import { createOrderedProducer, sendAcknowledged } from './kafka-event-publisher';

/** Knobs with production defaults; tests lower some of them. Only the fetch wait is configurable. */
export interface KafkaConsumerTuning {
  /**
   * How long a broker holds a fetch that has no data yet (`KAFKA_FETCH_MAX_WAIT_MS`). Real brokers
   * answer as soon as data arrives, so this only bounds latency on brokers that do not (such as the
   * kcat mock) and sets the idle polling rate; kafkajs's own 5 s default would add seconds there.
   */
  readonly maxWaitTimeInMs?: number;
  /** Partitions handled at once per consumer; order is kept within a partition (= per key). */
  readonly partitionsConsumedConcurrently?: number;
  /** How long `start` waits for every consumer to join its group before failing the start-up. */
  readonly joinTimeoutMs?: number;
  /**
   * Where a consumer group WITHOUT committed offsets starts; once a group has committed, it always
   * resumes from there. Defaults to `true` for durable groups (no `groupSuffix`) and `false` for
   * per-replica groups (see {@link KafkaEventServer}).
   */
  readonly fromBeginning?: boolean;
  readonly sessionTimeoutMs?: number;
}

const DEFAULT_TUNING = {
  partitionsConsumedConcurrently: 4,
  joinTimeoutMs: 60_000,
  sessionTimeoutMs: 30_000,
} as const;

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
 * - Acknowledgement: an offset is committed only after `eachMessage` resolved, i.e. after the
 *   handlers succeeded or the message was written to `<topic>.dlq`. A failed dead-letter write
 *   throws, so kafkajs does not commit and redelivers the message.
 * - Order: partitions are handled concurrently, messages of one partition (one key) one at a time.
 * - Topics: the consumer asks for them in its metadata request; brokers with auto-creation create
 *   them, clusters that forbid it need `<topic>` and `<topic>.dlq` created beforehand (no admin
 *   calls are made here).
 */
export class KafkaEventServer extends EventConsumerServer {
  protected override readonly logger = new Logger(KafkaEventServer.name);
  private readonly kafka: Kafka;
  private readonly tuning: Required<KafkaConsumerTuning>;
  private readonly shutdown = new AbortController();
  private consumers: Consumer[] = [];
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
      fromBeginning: config.groupSuffix === '',
      ...stripUndefined(tuning),
    };
  }

  /** The group id of a consumer name. */
  groupId(consumer: string): string {
    return `${this.config.groupPrefix}${consumer}${this.config.groupSuffix}`;
  }

  protected async start(subscriptions: readonly ConsumerSubscription[]): Promise<void> {
    if (subscriptions.length === 0) return;
    try {
      const producer = createOrderedProducer(this.kafka);
      this.deadLetterProducer = producer;
      await producer.connect();
      await Promise.all(subscriptions.map((subscription) => this.startConsumer(subscription)));
    } catch (error) {
      await this.close();
      throw error;
    }
  }

  private async startConsumer(subscription: ConsumerSubscription): Promise<void> {
    if (this.shutdown.signal.aborted) throw new Error('the Kafka consumer was closed while starting');
    const groupId = this.groupId(subscription.consumer);
    const consumer = this.kafka.consumer({
      groupId,
      maxWaitTimeInMs: this.tuning.maxWaitTimeInMs,
      sessionTimeout: this.tuning.sessionTimeoutMs,
      allowAutoTopicCreation: true,
    });
    this.consumers.push(consumer);
    const consuming = this.consuming(consumer, groupId);
    await consumer.connect();
    await consumer.subscribe({ topics: [...subscription.topics], fromBeginning: this.tuning.fromBeginning });
    await consumer.run({
      partitionsConsumedConcurrently: this.tuning.partitionsConsumedConcurrently,
      eachMessage: (payload) => this.consume(subscription, payload),
    });
    await consuming;
    this.logger.log(`consumer group ${groupId} joined; consuming ${subscription.topics.join(', ')}`);
  }

  /**
   * Resolves once the consumer joined its group (GROUP_JOIN: partitions assigned) AND finished its
   * first fetch: kafkajs looks up the starting offsets (committed, or earliest/latest for a new
   * group) right before that fetch, so from then on nothing published can be skipped, even by a
   * new group that starts at the latest offset. Costs at most one `maxWaitTimeInMs`. Rejects on a
   * crash kafkajs will not recover from, or after `joinTimeoutMs`.
   */
  private consuming(consumer: Consumer, groupId: string): Promise<void> {
    const brokers = this.config.brokers.join(',');
    return new Promise<void>((resolve, reject) => {
      let joined = false;
      const timer = setTimeout(() => {
        done();
        reject(
          new Error(
            `Kafka consumer group ${groupId} did not ${joined ? 'fetch' : 'join'} within ` +
              `${this.tuning.joinTimeoutMs} ms (brokers: ${brokers})`,
          ),
        );
      }, this.tuning.joinTimeoutMs);
      const removeJoin = consumer.on(consumer.events.GROUP_JOIN, () => (joined = true));
      const removeFetch = consumer.on(consumer.events.FETCH, () => {
        if (!joined) return;
        done();
        resolve();
      });
      const removeCrash = consumer.on(consumer.events.CRASH, ({ payload }) => {
        if (payload.restart) return;
        done();
        reject(
          new Error(
            `Kafka consumer group ${groupId} crashed while starting (brokers: ${brokers}): ${payload.error.message}`,
            { cause: payload.error },
          ),
        );
      });
      const done = () => {
        clearTimeout(timer);
        removeJoin();
        removeFetch();
        removeCrash();
      };
    });
  }

  /** Handles one message; resolving lets kafkajs commit its offset, throwing keeps it uncommitted. */
  private async consume(
    subscription: ConsumerSubscription,
    { topic, message, heartbeat }: EachMessagePayload,
  ): Promise<void> {
    const text = message.value?.toString('utf8') ?? null;
    let body: unknown = text;
    try {
      if (text !== null) body = JSON.parse(text);
    } catch {
      // not JSON: `deliver` reports it as not a CloudEvent and it is dead-lettered
    }
    const outcome = await deliverWithRetries(
      async (attempt) => {
        // long retry sequences must not cost the group membership (throws when a rebalance began)
        if (attempt > 1) await heartbeat();
        return deliver(subscription, topic, body, attempt);
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
   * Stops fetching, lets the messages in hand finish (kafkajs waits for running `eachMessage` calls,
   * then commits their offsets and leaves the groups), and disconnects. Handlers waiting for a retry
   * are interrupted instead: their message stays uncommitted and is delivered again later.
   */
  async close(): Promise<void> {
    this.shutdown.abort(new Error('the consumer is shutting down'));
    const consumers = this.consumers.splice(0);
    const results = await Promise.allSettled(consumers.map((consumer) => consumer.disconnect()));
    const producer = this.deadLetterProducer;
    this.deadLetterProducer = null;
    results.push(...(await Promise.allSettled([producer?.disconnect()])));
    for (const result of results)
      if (result.status === 'rejected')
        this.logger.warn(`closing the Kafka consumer: ${asError(result.reason).message}`);
  }

  /** The kafkajs objects, for diagnostics: `{ kafka, consumers, deadLetterProducer }`. */
  unwrap<T>(): T {
    return { kafka: this.kafka, consumers: this.consumers, deadLetterProducer: this.deadLetterProducer } as T;
  }
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, entry]) => entry !== undefined)) as Partial<T>;
}
