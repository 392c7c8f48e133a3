import type { EventsConfig } from '@todo/config';
import { type ConsumerServerOptions, EventConsumerServer } from '../consumer/event-consumer-server';
import type { ConsumerSubscription } from '../consumer/subscriptions';

export class DaprEventServer extends EventConsumerServer {
  constructor(
    private readonly config: EventsConfig['dapr'],
    options: ConsumerServerOptions,
  ) {
    super(options);
  }
  protected async start(subscriptions: readonly ConsumerSubscription[]): Promise<void> {
    throw new Error(`TODO dapr consume ${subscriptions.length} ${this.config.host}`);
  }
  async close(): Promise<void> {
    return;
  }
  unwrap<T>(): T {
    throw new Error('TODO');
  }
}
