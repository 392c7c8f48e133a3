import { type EventsConfig, sidecarUrl } from '@todo/config';
import { asError } from '../consumer/deliver';
import { EventPublisher, type OutgoingMessage } from '../event-publisher';

/** One publish call to the sidecar; the outbox relay's own timeout bounds the whole batch. */
const PUBLISH_TIMEOUT_MS = 10_000;
/** Keys published at the same time (each key's messages go one after the other). */
const PARALLEL_KEYS = 16;

/**
 * Publishes through the Dapr sidecar's pub/sub API (`POST /v1.0/publish/{pubsub}/{topic}`), one
 * request per message:
 * - a CloudEvent goes as `application/cloudevents+json`, so the sidecar keeps it as is (it only adds
 *   `topic`, `pubsubname` and the trace attributes); `metadata.cloudevent.id` repeats its id;
 * - anything else (a dead letter of a foreign message) goes as JSON or text and the sidecar wraps it;
 * - `metadata.partitionKey` is the key (one task's events stay in one Kafka partition, in order);
 * - `headers` become `metadata.<name>`, which the Kafka component stores as Kafka headers.
 * Resolves once the sidecar answered 204 for every message; 403/404/500 or no answer rejects.
 *
 * Plain `fetch` rather than `@dapr/dapr`'s `DaprClient`: the SDK returns `{ error }` instead of
 * throwing, logs on its own, waits for the sidecar on first use and hides the HTTP status, while
 * here every request needs its own timeout and a failure must name the status and the sidecar's
 * reason.
 */
export class DaprEventPublisher extends EventPublisher {
  private readonly baseUrl: string;

  constructor(
    private readonly config: EventsConfig['dapr'],
    private readonly timeoutMs = PUBLISH_TIMEOUT_MS,
  ) {
    super();
    this.baseUrl = sidecarUrl(config);
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
    const url = new URL(
      `/v1.0/publish/${encodeURIComponent(pubsubName)}/${encodeURIComponent(message.topic)}`,
      this.baseUrl,
    );
    const encoded = encode(message.event);
    if (encoded.id && !message.topic.endsWith('.dlq'))
      url.searchParams.set('metadata.cloudevent.id', encoded.id);
    url.searchParams.set('metadata.partitionKey', message.key);
    for (const [name, value] of Object.entries(message.headers ?? {}))
      url.searchParams.set(`metadata.${name}`, headerValue(value));

    let response: Response;
    try {
      response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': encoded.contentType },
        body: encoded.body,
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      throw new Error(
        `could not publish to ${message.topic}: the Dapr sidecar at ${this.baseUrl} did not answer (${describeFetchError(error)})`,
      );
    }
    const text = await response.text().catch(() => '');
    if (!response.ok)
      throw new Error(
        `the Dapr sidecar refused to publish to ${pubsubName}/${message.topic}: HTTP ${response.status}${text ? ` ${text.slice(0, 500)}` : ''}`,
      );
  }
}

/** "fetch failed (ECONNREFUSED)", "The operation was aborted due to timeout"… */
export function describeFetchError(error: unknown): string {
  // duck-typed: fetch's errors may come from another realm (`instanceof Error` fails under Jest)
  if (typeof error !== 'object' || error === null || !('message' in error)) return String(error);
  const { message, cause } = error as { message: unknown; cause?: { code?: unknown; message?: unknown } };
  const detail = cause ? String(cause.code ?? cause.message ?? '') : '';
  return detail ? `${String(message)} (${detail})` : String(message);
}

interface Encoded {
  readonly contentType: string;
  readonly body: string;
  readonly id?: string;
}

function encode(event: unknown): Encoded {
  if (isCloudEvent(event))
    return { contentType: 'application/cloudevents+json', body: JSON.stringify(event), id: event.id };
  // A dead letter of something that was not even JSON: the sidecar wraps the text in a CloudEvent.
  if (typeof event === 'string') return { contentType: 'text/plain', body: event };
  return { contentType: 'application/json', body: JSON.stringify(event ?? null) };
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
