import type { EventsConfig } from '@todo/config';
import { DaprSidecar } from '@todo/dapr-sidecar';
import { asError } from '../consumer/deliver';
import { EventPublisher, eventOf, type OutgoingMessage } from '../event-publisher';

/** One publish call to the sidecar; the outbox relay's own timeout bounds the whole batch. */
const PUBLISH_TIMEOUT_MS = 10_000;
/** Keys published at the same time (each key's messages go one after the other). */
const PARALLEL_KEYS = 16;

/**
 * Publishes through the Dapr sidecar's pub/sub API (`POST /v1.0/publish/{pubsub}/{topic}`) with the
 * SDK's `DaprClient.pubsub.publish`, one request per message:
 * - a CloudEvent goes as `application/cloudevents+json`, so the sidecar keeps it as is (it only adds
 *   `topic`, `pubsubname` and the trace attributes); `metadata.cloudevent.id` repeats its id;
 * - anything else (a dead letter of a foreign message) goes as JSON or text and the sidecar wraps it;
 * - `metadata.partitionKey` is the key (one task's events stay in one Kafka partition, in order);
 * - `headers` become `metadata.<name>`, which the Kafka component stores as Kafka headers.
 * Resolves once the sidecar answered 204 for every message; 403/404/500 or no answer within the
 * timeout rejects (the SDK returns `{ error }` rather than throwing; {@link DaprSidecar.call} checks it).
 *
 * Not the SDK's bulk publish (`/v1.0-alpha1/publish/bulk`): it is alpha, and the Kafka component
 * would send the batch's messages without the per-message order of one key this relay keeps.
 */
export class DaprEventPublisher extends EventPublisher {
  private readonly sidecar: DaprSidecar;

  constructor(
    private readonly config: EventsConfig['dapr'],
    timeoutMs = PUBLISH_TIMEOUT_MS,
  ) {
    super();
    this.sidecar = new DaprSidecar(config, timeoutMs);
  }

  async publish(messages: readonly OutgoingMessage[]): Promise<void> {
    const byKey = new Map<string, OutgoingMessage[]>();
    for (const message of messages) {
      const lane = byKey.get(message.key);
      if (lane) lane.push(message);
      else byKey.set(message.key, [message]);
    }
    const lanes = [...byKey.values()];
    const failures: Error[] = [];
    let next = 0;
    // Each worker takes whole keys, so a key's messages are sent in order; a failure stops its key
    // (a later message must not overtake it) and keeps workers from starting anything new.
    const worker = async () => {
      for (let lane = lanes[next++]; lane && !failures.length; lane = lanes[next++]) {
        for (const message of lane) {
          if (failures.length) return;
          try {
            await this.publishOne(message);
          } catch (error) {
            failures.push(asError(error));
            return;
          }
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(PARALLEL_KEYS, lanes.length) }, worker));
    if (failures.length) throw failures[0];
  }

  private async publishOne(message: OutgoingMessage): Promise<void> {
    const { pubsubName } = this.config;
    const encoded = encode(eventOf(message));
    const metadata: Record<string, string> = {};
    if (encoded.id && !message.topic.endsWith('.dlq')) metadata['cloudevent.id'] = encoded.id;
    metadata['partitionKey'] = message.key;
    for (const [name, value] of Object.entries(message.headers ?? {})) metadata[name] = headerValue(value);
    // The SDK puts names into the path as they are: encode them (a topic name is ours, but still).
    await this.sidecar.call(`publish to ${pubsubName}/${message.topic}`, (client) =>
      client.pubsub.publish(encodeURIComponent(pubsubName), encodeURIComponent(message.topic), encoded.data, {
        contentType: encoded.contentType,
        metadata,
      }),
    );
  }
}

interface Encoded {
  readonly contentType: string;
  /** What the SDK serialises by `contentType`: JSON for the JSON types, the text for text/plain. */
  readonly data: object | string;
  readonly id?: string;
}

function encode(event: unknown): Encoded {
  if (isCloudEvent(event)) return { contentType: 'application/cloudevents+json', data: event, id: event.id };
  // A dead letter of something that was not even JSON: the sidecar wraps the text in a CloudEvent.
  if (typeof event === 'string') return { contentType: 'text/plain', data: event };
  // The SDK sends no body for a falsy value: `null` and the like go as their JSON text.
  if (typeof event === 'object' && event !== null) return { contentType: 'application/json', data: event };
  return { contentType: 'text/plain', data: JSON.stringify(event ?? null) };
}

/** The attributes Dapr requires of an app-authored CloudEvent (it rejects one without them). */
function isCloudEvent(event: unknown): event is { id: string } {
  if (typeof event !== 'object' || event === null || Array.isArray(event)) return false;
  const fields = event as Record<string, unknown>;
  return ['id', 'source', 'type', 'specversion'].every(
    (name) => typeof fields[name] === 'string' && fields[name] !== '',
  );
}

/** Kafka headers reach consumers as HTTP headers: no line breaks or other control characters. */
function headerValue(value: string): string {
  // eslint-disable-next-line no-control-regex
  return value.replace(/[\u0000-\u001f\u007f]+/g, ' ');
}
