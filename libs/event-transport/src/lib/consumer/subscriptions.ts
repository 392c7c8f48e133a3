import type { MessageHandler } from '@nestjs/microservices';
import { type EventType, isEventType, topicOf } from '@todo/events';

/**
 * One consumer (a Kafka consumer group, a Dapr app, a memory-broker group): its topics and the
 * handlers for each event type. Declared on handlers as `@EventPattern('task.created', { consumer: 'audit' })`.
 */
export interface ConsumerSubscription {
  readonly consumer: string;
  readonly topics: readonly string[];
  readonly handlers: ReadonlyMap<EventType, readonly MessageHandler[]>;
}

/**
 * Groups Nest's registered event handlers by consumer. Nest chains several handlers of one pattern
 * through `next`; each keeps its own `extras`, and the chain is cut so each runs on its own. A pattern that is not a known event type is a
 * programming error and stops the start-up with its name.
 */
export function collectSubscriptions(
  registered: ReadonlyMap<string, MessageHandler>,
  defaultConsumer: string,
): ConsumerSubscription[] {
  const byConsumer = new Map<string, Map<EventType, MessageHandler[]>>();
  for (const [pattern, head] of registered) {
    if (!isEventType(pattern))
      throw new Error(`@EventPattern('${pattern}') does not name a known event type (see EVENT_CATALOG)`);
    const chain: MessageHandler[] = [];
    for (let handler: MessageHandler | undefined = head; handler; handler = handler.next) chain.push(handler);
    for (const handler of chain) {
      // Nest's event-handler wrapper also runs `next` when called; each consumer's handler must run
      // alone, or a second consumer of a type would run twice and its failure count as the first's.
      handler.next = undefined;
      if (!handler.isEventHandler)
        throw new Error(`@MessagePattern('${pattern}'): events are one-way, use @EventPattern`);
      const consumer = String(handler.extras?.['consumer'] ?? defaultConsumer);
      const types = byConsumer.get(consumer) ?? new Map<EventType, MessageHandler[]>();
      types.set(pattern, [...(types.get(pattern) ?? []), handler]);
      byConsumer.set(consumer, types);
    }
  }
  return [...byConsumer].map(([consumer, handlers]) => ({
    consumer,
    topics: [...new Set([...handlers.keys()].map(topicOf))].sort(),
    handlers,
  }));
}
