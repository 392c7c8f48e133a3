/**
 * One message for a topic: `event` is the CloudEvent (or, for a dead letter, whatever arrived), or
 * `json` its JSON text when the sender has that already (the relay reads the stored text), so the
 * transports that send text do not parse and serialize it again.
 */
export type OutgoingMessage = {
  readonly topic: string;
  /** Partition key: messages with the same key are delivered in publish order. */
  readonly key: string;
  readonly headers?: Readonly<Record<string, string>>;
} & ({ readonly event: unknown } | { readonly json: string });

/** The message's event as JSON text. */
export function jsonOf(message: OutgoingMessage): string {
  return 'json' in message ? message.json : JSON.stringify(message.event);
}

/** The message's event as a value. */
export function eventOf(message: OutgoingMessage): unknown {
  return 'json' in message ? JSON.parse(message.json) : message.event;
}

/**
 * The port the outbox relay publishes through. `publish` resolves only once the transport has
 * acknowledged every message (the relay marks rows published after that) and rejects otherwise.
 */
export abstract class EventPublisher {
  abstract publish(messages: readonly OutgoingMessage[]): Promise<void>;
}

/** Headers a transport puts on a dead letter, so an operator sees why and where it failed. */
export function deadLetterHeaders(failure: {
  error: Error;
  attempts: number;
  topic: string;
  consumer: string;
}): Record<string, string> {
  return {
    'x-error': failure.error.message.slice(0, 1000),
    'x-error-attempts': String(failure.attempts),
    'x-original-topic': failure.topic,
    'x-consumer': failure.consumer,
    'x-failed-at': new Date().toISOString(),
  };
}
