/** One message for a topic. `event` is the CloudEvent (or, for a dead letter, whatever arrived). */
export interface OutgoingMessage {
  readonly topic: string;
  /** Partition key: messages with the same key are delivered in publish order. */
  readonly key: string;
  readonly event: unknown;
  readonly headers?: Readonly<Record<string, string>>;
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
