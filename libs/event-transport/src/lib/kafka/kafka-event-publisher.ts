import { Logger, type OnModuleDestroy } from '@nestjs/common';
import type { EventsConfig } from '@todo/config';
import { type Kafka, type Message, Partitioners, type Producer, type TopicMessages } from 'kafkajs';
import { asError } from '../consumer/deliver';
import { withTimeout } from '../consumer/retry';
import { EventPublisher, jsonOf, type OutgoingMessage } from '../event-publisher';
import { createKafkaClient, KAFKA_TIMEOUTS, PRODUCER_RETRY, PUBLISHER_CLIENT_RETRY } from './kafka-client';

export const CLOUDEVENTS_CONTENT_TYPE = 'application/cloudevents+json';

/**
 * How long the broker may wait for the in-sync replicas (`acks: -1`) before answering; below the
 * client's request timeout so a slow replica set yields an error response, not a client timeout.
 */
const ACK_TIMEOUT_MS = KAFKA_TIMEOUTS.requestTimeout - 1_000;

/**
 * The hard upper bound of one `publish`, connecting included. The retry settings alone end a publish
 * to a stalled broker after ~10.5 s; connecting to brokers that accept TCP but never answer adds up
 * to ~10 s more, and kafkajs has had hangs of its own. Past this the publish rejects and the
 * producer is replaced (the outbox relay retries; a late acknowledgement only means a duplicate).
 */
const PUBLISH_DEADLINE_MS = 15_000;

/**
 * A kafkajs producer with the settings that keep the ordering and durability promises of the port:
 * - the default (Java-compatible murmur2) partitioner, named explicitly: the same key always lands
 *   in the same partition, also for consumers written in other languages;
 * - `acks: -1`: acknowledged only once every in-sync replica has the message;
 * - `maxInFlightRequests: 1`: a retried request cannot overtake the next one, so order holds;
 * - not idempotent: the broker would only drop duplicates of kafkajs's own retry within one `send`
 *   (same producer id and sequence). The duplicates that matter come from the outbox relay
 *   re-publishing after a failed or timed-out publish, through a new producer (new id): idempotence
 *   cannot see those. The consumers' inbox absorbs both, and kafkajs cannot initialise an idempotent
 *   producer on the kcat mock (it asks the controller named in Metadata, which the mock gets wrong),
 *   so the mode could not be tested here.
 * Topics must exist on clusters that forbid auto-creation (create `<topic>` and `<topic>.dlq`
 * beforehand; no admin calls are made here).
 */
export function createOrderedProducer(kafka: Kafka): Producer {
  return kafka.producer({
    createPartitioner: Partitioners.DefaultPartitioner,
    maxInFlightRequests: 1,
    idempotent: false,
    allowAutoTopicCreation: true,
    retry: PRODUCER_RETRY,
  });
}

/** Sends one batch per call: every message must be acknowledged, or the promise rejects. */
export async function sendAcknowledged(producer: Producer, topicMessages: TopicMessages[]): Promise<void> {
  await producer.sendBatch({ topicMessages, acks: -1, timeout: ACK_TIMEOUT_MS });
}

/**
 * Publishes to Kafka with kafkajs. Connects on the first publish; after a failure the producer is
 * dropped and a fresh one connects on the next publish (the outbox relay retries), so a broker that
 * went away and came back does not leave a half-broken connection behind. A publish against a
 * stalled broker fails after about 10 s (see `PRODUCER_RETRY`), and never takes longer than
 * `PUBLISH_DEADLINE_MS`.
 */
export class KafkaEventPublisher extends EventPublisher implements OnModuleDestroy {
  private readonly logger = new Logger(KafkaEventPublisher.name);
  private readonly kafka: Kafka;
  private producer: Promise<Producer> | null = null;
  private closed = false;

  constructor(config: EventsConfig['kafka']) {
    super();
    this.kafka = createKafkaClient(config, 'publisher', PUBLISHER_CLIENT_RETRY);
  }

  async publish(messages: readonly OutgoingMessage[]): Promise<void> {
    if (this.closed) throw new Error('the Kafka publisher is closed');
    if (messages.length === 0) return;
    const connecting = (this.producer ??= this.connect());
    try {
      await withTimeout(
        connecting.then((producer) => sendAcknowledged(producer, byTopic(messages))),
        PUBLISH_DEADLINE_MS,
        `no acknowledgement within ${PUBLISH_DEADLINE_MS} ms`,
      );
    } catch (error) {
      this.reset(connecting);
      throw new Error(`Kafka did not acknowledge ${messages.length} message(s): ${asError(error).message}`, {
        cause: error,
      });
    }
  }

  async onModuleDestroy(): Promise<void> {
    this.closed = true;
    const producer = this.producer;
    this.producer = null;
    await producer?.then((connected) => connected.disconnect()).catch(() => undefined);
  }

  private async connect(): Promise<Producer> {
    const producer = createOrderedProducer(this.kafka);
    await producer.connect();
    return producer;
  }

  /** Forgets a producer that failed; it is disconnected in the background. */
  private reset(failed: Promise<Producer>): void {
    if (this.producer !== failed) return;
    this.producer = null;
    failed
      .then((producer) => producer.disconnect())
      .catch((error) => this.logger.debug(`disconnecting a failed producer: ${asError(error).message}`));
  }
}

/** Groups messages by topic, keeping their order (the partitioner keeps it per key). */
function byTopic(messages: readonly OutgoingMessage[]): TopicMessages[] {
  const topics = new Map<string, Message[]>();
  for (const message of messages) {
    const list = topics.get(message.topic) ?? [];
    list.push({
      key: message.key,
      value: jsonOf(message),
      headers: { ...message.headers, 'content-type': CLOUDEVENTS_CONTENT_TYPE },
    });
    topics.set(message.topic, list);
  }
  return [...topics].map(([topic, list]) => ({ topic, messages: list }));
}
