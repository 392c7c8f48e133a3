import { Logger } from '@nestjs/common';
import type { MessageHandler } from '@nestjs/microservices';
import { type ParsedEvent, parseEvent } from '@todo/events';
import { sharedMetric } from '@todo/metrics';
import { Counter } from 'prom-client';
import { isObservable, lastValueFrom } from 'rxjs';
import { EventContext } from './event-context';
import type { ConsumerSubscription } from './subscriptions';

/**
 * `success`: every handler finished (or none applies). `retry`: a handler failed; try again later.
 * `drop`: the message can never be handled (not a valid event); dead-letter it without retrying.
 */
export type DeliveryOutcome =
  { status: 'success' } | { status: 'retry'; error: Error } | { status: 'drop'; error: Error };

const logger = new Logger('EventConsumer');

const consumed = () =>
  sharedMetric(
    'events_consumed_total',
    (registry) =>
      new Counter({
        name: 'events_consumed_total',
        help: 'Event deliveries to consumers by outcome (success, retry, drop)',
        labelNames: ['consumer', 'topic', 'outcome'] as const,
        registers: [registry],
      }),
  );

/** A message as it arrived (the parsed JSON, or the text when it was not JSON) and its validation. */
export interface IncomingMessage {
  readonly body: unknown;
  readonly event: ParsedEvent;
}

/**
 * Parses and validates a message's text once, for every consumer group and attempt that handles it.
 * The groups share the event: handlers must not modify it.
 */
export function readMessage(text: string | null): IncomingMessage {
  let body: unknown = text;
  try {
    if (text !== null) body = JSON.parse(text);
  } catch {
    // not JSON: `parseEvent` reports it as not a CloudEvent and it is dead-lettered
  }
  return { body, event: parseEvent(body) };
}

/**
 * Runs the consumer's handlers for one validated incoming event's type, in order (an invalid one is
 * dropped). A handler's failure is reported, never swallowed (Nest's own `handleEvent` would
 * swallow it): the transport then retries and finally dead-letters. Handlers must be idempotent (the inbox makes them so).
 */
export async function deliver(
  subscription: ConsumerSubscription,
  topic: string,
  message: IncomingMessage,
  attempt: number,
): Promise<DeliveryOutcome> {
  const outcome = await run(subscription, topic, message.event, attempt);
  if (outcome.status !== 'success')
    logger.warn(
      `${subscription.consumer} could not handle a message on ${topic} (attempt ${attempt}, ${outcome.status}): ${outcome.error.message}`,
    );
  consumed().inc({ consumer: subscription.consumer, topic, outcome: outcome.status });
  return outcome;
}

async function run(
  subscription: ConsumerSubscription,
  topic: string,
  parsed: ParsedEvent,
  attempt: number,
): Promise<DeliveryOutcome> {
  if (!parsed.ok) return { status: 'drop', error: new Error(parsed.reason) };
  const handlers = subscription.handlers.get(parsed.event.type) ?? [];
  const context = new EventContext([topic, subscription.consumer, attempt]);
  try {
    for (const handler of handlers) await settle(handler, parsed.event, context);
    return { status: 'success' };
  } catch (error) {
    return { status: 'retry', error: asError(error) };
  }
}

async function settle(handler: MessageHandler, event: unknown, context: EventContext): Promise<void> {
  const result: unknown = await handler(event, context);
  if (isObservable(result)) await lastValueFrom(result, { defaultValue: undefined });
}

export function asError(error: unknown): Error {
  if (error instanceof Error) return error;
  if (typeof error === 'object' && error && 'message' in error) return new Error(String(error.message));
  return new Error(String(error));
}
