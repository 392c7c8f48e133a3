import type { EventsConfig } from '@todo/config';
import { EventPublisher, type OutgoingMessage } from '../event-publisher';

export class KafkaEventPublisher extends EventPublisher {
  constructor(private readonly config: EventsConfig['kafka']) {
    super();
  }
  async publish(messages: readonly OutgoingMessage[]): Promise<void> {
    throw new Error(`TODO kafka publish of ${messages.length} to ${this.config.brokers.join(',')}`);
  }
}
