import type { EventsConfig } from '@todo/config';
import { EventPublisher, type OutgoingMessage } from '../event-publisher';

export class DaprEventPublisher extends EventPublisher {
  constructor(private readonly config: EventsConfig['dapr']) {
    super();
  }
  async publish(messages: readonly OutgoingMessage[]): Promise<void> {
    throw new Error(`TODO dapr publish of ${messages.length} to ${this.config.host}`);
  }
}
