import { Global, Module } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@todo/config';
import { EventsModule } from '@todo/events';
import { DaprEventPublisher } from './dapr/dapr-event-publisher';
import { DaprSidecarProbe } from './dapr/dapr-sidecar-probe';
import { EventPublisher } from './event-publisher';
import { KafkaEventPublisher } from './kafka/kafka-event-publisher';
import { MemoryBroker } from './memory/memory-broker';
import { MemoryEventPublisher } from './memory/memory-event-publisher';
import { OutboxRelay } from './outbox/outbox-relay';

function publisherFor(config: AppConfig, broker: MemoryBroker): EventPublisher {
  switch (config.events.transport) {
    case 'memory':
      return new MemoryEventPublisher(broker);
    case 'kafka':
      return new KafkaEventPublisher(config.events.kafka);
    case 'dapr':
      return new DaprEventPublisher(config.events.dapr);
  }
}

/**
 * Events for one process: the publisher of the configured transport (`EVENT_TRANSPORT`), the outbox
 * relay that feeds it, and the inbox for consumers. Consumers start with `startEventConsumers`.
 */
@Global()
@Module({
  imports: [EventsModule],
  providers: [
    MemoryBroker,
    { provide: EventPublisher, inject: [APP_CONFIG, MemoryBroker], useFactory: publisherFor },
    OutboxRelay,
    DaprSidecarProbe,
  ],
  exports: [EventPublisher, MemoryBroker, OutboxRelay, EventsModule],
})
export class EventTransportModule {}
