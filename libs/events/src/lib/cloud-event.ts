import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { EVENT_CATALOG, type EventData, type EventType, isEventType } from './event-catalog';

/** A CloudEvents 1.0 event in structured JSON mode. */
export interface CloudEvent<T extends string = string, D = unknown> {
  readonly specversion: '1.0';
  /** Stable across redeliveries and re-publishes: consumers deduplicate on it. */
  readonly id: string;
  readonly type: T;
  readonly source: string;
  /** The task the event is about; also the partition key, so one task's events stay in order. */
  readonly subject: string;
  readonly time: string;
  readonly datacontenttype: 'application/json';
  readonly data: D;
}

/** One of our events, typed by its `type`. */
export type DomainEvent<T extends EventType = EventType> = {
  [K in T]: CloudEvent<K, EventData<K>>;
}[T];

/** Builds an event with a fresh id. `source` names the producing service. */
export function createEvent<T extends EventType>(
  type: T,
  fields: { source: string; subject: string; data: EventData<T>; time?: Date },
): DomainEvent<T> {
  return {
    specversion: '1.0',
    id: randomUUID(),
    type,
    source: fields.source,
    subject: fields.subject,
    time: (fields.time ?? new Date()).toISOString(),
    datacontenttype: 'application/json',
    data: fields.data,
  } as DomainEvent<T>;
}

// Extension attributes (Dapr adds topic, pubsubname, traceparent…) are allowed and ignored.
const envelopeSchema = z.looseObject({
  specversion: z.literal('1.0'),
  id: z.string().min(1),
  type: z.string().min(1),
  source: z.string().min(1),
  subject: z.string().min(1),
  time: z.iso.datetime({ offset: true }),
  datacontenttype: z.string().optional(),
  data: z.unknown(),
});

export type ParsedEvent = { ok: true; event: DomainEvent } | { ok: false; reason: string };

/**
 * Validates an incoming event: the envelope, a known type, and the data against that type's schema.
 * An event that fails here can never be handled, so transports dead-letter it without retrying.
 */
export function parseEvent(raw: unknown): ParsedEvent {
  const envelope = envelopeSchema.safeParse(raw);
  if (!envelope.success)
    return { ok: false, reason: `not a CloudEvent 1.0: ${describeIssues(envelope.error)}` };
  const { type } = envelope.data;
  if (!isEventType(type)) return { ok: false, reason: `unknown event type "${type}"` };
  const data = EVENT_CATALOG[type].data.safeParse(envelope.data.data);
  if (!data.success) return { ok: false, reason: `invalid ${type} data: ${describeIssues(data.error)}` };
  return {
    ok: true,
    event: {
      specversion: '1.0',
      id: envelope.data.id,
      type,
      source: envelope.data.source,
      subject: envelope.data.subject,
      time: envelope.data.time,
      datacontenttype: 'application/json',
      data: data.data,
    } as DomainEvent,
  };
}

function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.join('.') || '(root)'} ${issue.message}`)
    .join('; ');
}
