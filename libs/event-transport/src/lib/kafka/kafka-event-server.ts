import type { EventsConfig } from '@todo/config';
import { type ConsumerServerOptions, EventConsumerServer } from '../consumer/event-consumer-server';
import type { ConsumerSubscription } from '../consumer/subscriptions';

export class KafkaEventServer extends EventConsumerServer {
  constructor(
    private readonly config: EventsConfig['kafka'],
    options: ConsumerServerOptions,
  ) {
    super(options);
  }
  protected async start(subscriptions: readonly ConsumerSubscription[]): Promise<void> {
    throw new Error(`TODO kafka consume ${subscriptions.length} ${this.config.brokers.join(',')}`);
  }
  async close(): Promise<void> {
    return;
  }
  unwrap<T>(): T {
    throw new Error('TODO');
  }
}
