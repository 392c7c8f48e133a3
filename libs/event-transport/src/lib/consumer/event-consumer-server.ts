import type { CustomTransportStrategy } from '@nestjs/microservices';
import { Server } from '@nestjs/microservices';
import type { RetryPolicy } from './retry';
import { collectSubscriptions, type ConsumerSubscription } from './subscriptions';

export interface ConsumerServerOptions {
  /** Consumer name for handlers that do not declare one (the service name). */
  readonly defaultConsumer: string;
  readonly retry: RetryPolicy;
}

/**
 * The common part of the three transports' Nest servers: collects the `@EventPattern` handlers into
 * subscriptions when the microservice starts, then lets the transport run them.
 */
export abstract class EventConsumerServer extends Server implements CustomTransportStrategy {
  protected subscriptions: ConsumerSubscription[] = [];

  constructor(protected readonly options: ConsumerServerOptions) {
    super();
  }

  async listen(callback: (error?: unknown) => void): Promise<void> {
    try {
      this.subscriptions = collectSubscriptions(this.messageHandlers, this.options.defaultConsumer);
      await this.start(this.subscriptions);
      callback();
    } catch (error) {
      callback(error);
    }
  }

  /** Begins consuming; resolves once the transport is subscribed. */
  protected abstract start(subscriptions: readonly ConsumerSubscription[]): Promise<void>;

  /** Stops taking new messages and waits for the ones being handled. */
  abstract override close(): Promise<void>;

  on(): never {
    throw new Error('event consumer servers emit no status events');
  }
}
