import { deadLetterTopic } from '@todo/events';
import { deliver, type IncomingMessage, readMessage } from '../consumer/deliver';
import { type ConsumerServerOptions, EventConsumerServer } from '../consumer/event-consumer-server';
import { deliverWithRetries } from '../consumer/retry';
import type { ConsumerSubscription } from '../consumer/subscriptions';
import { deadLetterHeaders } from '../event-publisher';
import type { MemoryBroker, MemoryDelivery } from './memory-broker';

/** Consumes from the in-process broker with the same retry and dead-letter rules as Kafka. */
export class MemoryEventServer extends EventConsumerServer {
  private readonly shutdown = new AbortController();
  /** Each published message is parsed and validated once for all the groups it goes to. */
  private readonly read = new WeakMap<MemoryDelivery, IncomingMessage>();

  constructor(
    private readonly broker: MemoryBroker,
    options: ConsumerServerOptions,
  ) {
    super(options);
  }

  protected async start(subscriptions: readonly ConsumerSubscription[]): Promise<void> {
    for (const subscription of subscriptions)
      for (const topic of subscription.topics)
        this.broker.subscribe(topic, subscription.consumer, (delivery) =>
          this.consume(subscription, delivery),
        );
    this.broker.open();
  }

  private async consume(subscription: ConsumerSubscription, delivery: MemoryDelivery): Promise<void> {
    const message = this.readOnce(delivery);
    const outcome = await deliverWithRetries(
      (attempt) => deliver(subscription, delivery.topic, message, attempt),
      this.options.retry,
      this.shutdown.signal,
    );
    if (outcome.status === 'dead-letter')
      await this.broker.publish([
        {
          topic: deadLetterTopic(delivery.topic),
          key: delivery.key,
          event: message.body,
          headers: deadLetterHeaders({ ...outcome, topic: delivery.topic, consumer: subscription.consumer }),
        },
      ]);
  }

  private readOnce(delivery: MemoryDelivery): IncomingMessage {
    let message = this.read.get(delivery);
    if (!message) {
      message = readMessage(delivery.body);
      this.read.set(delivery, message);
    }
    return message;
  }

  async close(): Promise<void> {
    this.shutdown.abort(new Error('the consumer is shutting down'));
    await this.broker.stop();
  }

  unwrap<T>(): T {
    return this.broker as T;
  }
}
