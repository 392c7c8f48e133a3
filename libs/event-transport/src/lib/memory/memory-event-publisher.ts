import { Injectable } from '@nestjs/common';
import { EventPublisher, type OutgoingMessage } from '../event-publisher';
import { MemoryBroker } from './memory-broker';

/** Publishes to the in-process broker; acknowledged once every consumer has handled the message. */
@Injectable()
export class MemoryEventPublisher extends EventPublisher {
  constructor(private readonly broker: MemoryBroker) {
    super();
  }

  publish(messages: readonly OutgoingMessage[]): Promise<void> {
    return this.broker.publish(messages);
  }
}
