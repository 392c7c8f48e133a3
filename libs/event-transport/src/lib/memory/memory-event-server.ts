import { deadLetterTopic } from '@todo/events';
import { deliver } from '../consumer/deliver';
import { type ConsumerServerOptions, EventConsumerServer } from '../consumer/event-consumer-server';
import { deliverWithRetries } from '../consumer/retry';
import type { ConsumerSubscription } from '../consumer/subscriptions';
import { deadLetterHeaders } from '../event-publisher';
import type { MemoryBroker, MemoryDelivery } from './memory-broker';

/** Consumes from the in-process broker with the same retry and dead-letter rules as Kafka. */
export class MemoryEventServer extends EventConsumerServer {
  private readonly shutdown = new AbortController();

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
    let body: unknown = delivery.body;
    try {
      body = JSON.parse(delivery.body);
    } catch {
      // not JSON: `deliver` reports it as not a CloudEvent and it is dead-lettered
    }
    const outcome = await deliverWithRetries(
      (attempt) => deliver(subscription, delivery.topic, body, attempt),
      this.options.retry,
      this.shutdown.signal,
    );
    if (outcome.status === 'dead-letter')
      await this.broker.publish([
        {
          topic: deadLetterTopic(delivery.topic),
          key: delivery.key,
          event: body,
          headers: deadLetterHeaders({ ...outcome, topic: delivery.topic, consumer: subscription.consumer }),
        },
      ]);
  }

  async close(): Promise<void> {
    this.shutdown.abort(new Error('the consumer is shutting down'));
    await this.broker.stop();
  }

  unwrap<T>(): T {
    return this.broker as T;
  }
}
