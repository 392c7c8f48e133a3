import type { INestApplication } from '@nestjs/common';
import type { AppConfig } from '@todo/config';
import { ReadinessProbes } from '@todo/health';
import { DaprAppCallbacks } from '@todo/http';
import type { EventConsumerServer } from './consumer/event-consumer-server';
import { DaprEventServer } from './dapr/dapr-event-server';
import { KafkaEventServer } from './kafka/kafka-event-server';
import { MemoryBroker } from './memory/memory-broker';
import { MemoryEventServer } from './memory/memory-event-server';

function consumerServer(app: INestApplication, config: AppConfig): EventConsumerServer {
  const options = {
    defaultConsumer: config.service,
    retry: { maxAttempts: config.events.maxAttempts, backoffMs: config.events.retryBackoffMs },
  };
  switch (config.events.transport) {
    case 'memory':
      return new MemoryEventServer(app.get(MemoryBroker), options);
    case 'kafka': {
      const server = new KafkaEventServer(config.events.kafka, options);
      app.get(ReadinessProbes).register('kafka-consumers', async () => {
        const problems = server.problems();
        if (problems.length > 0) throw new Error(problems.join('; '));
      });
      return server;
    }
    case 'dapr':
      return new DaprEventServer(config.events.dapr, options, appCallbacks(app));
  }
}

/** The app's registry of extra routes on the Dapr app port (`PlatformModule` provides it). */
function appCallbacks(app: INestApplication): DaprAppCallbacks | undefined {
  try {
    return app.get(DaprAppCallbacks, { strict: false });
  } catch {
    return undefined; // an app without PlatformModule: nothing can register callbacks
  }
}

/**
 * Runs the app's `@EventPattern` handlers on the configured transport (a Nest microservice sharing
 * the app's modules). Call before `listen`; `app.close()` drains it.
 */
export async function startEventConsumers(app: INestApplication, config: AppConfig): Promise<void> {
  app.connectMicroservice({ strategy: consumerServer(app, config) }, { inheritAppConfig: false });
  await app.startAllMicroservices();
}
