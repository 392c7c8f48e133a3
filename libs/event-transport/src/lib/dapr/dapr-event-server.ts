import { Logger } from '@nestjs/common';
import type { EventsConfig } from '@todo/config';
import { deadLetterTopic } from '@todo/events';
import type { DaprAppCallbacks } from '@todo/http';
import Fastify, { type FastifyInstance } from 'fastify';
import type { IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { asError, deliver, type DeliveryOutcome, readMessage } from '../consumer/deliver';
import { type ConsumerServerOptions, EventConsumerServer } from '../consumer/event-consumer-server';
import type { ConsumerSubscription } from '../consumer/subscriptions';
import { deadLetterHeaders } from '../event-publisher';
import { DaprEventPublisher } from './dapr-event-publisher';

/** What the app answers a delivery with (Dapr's pub/sub API, "Expected HTTP Response"). */
type DaprDeliveryStatus = 'SUCCESS' | 'RETRY' | 'DROP';

/** One entry of `GET /dapr/subscribe` (programmatic subscription). */
interface DaprSubscription {
  readonly pubsubname: string;
  readonly topic: string;
  readonly routes: { readonly default: string };
  readonly deadLetterTopic: string;
}

/** The sidecar and the app share a network namespace (pod, `dapr run`, compose `network_mode`). */
const BIND_HOST = '127.0.0.1';
/** Failure counts kept for events being retried (Dapr does not tell the app the attempt number). */
const TRACKED_EVENTS = 10_000;

interface Tracked {
  attempts: number;
  /** Consumers that already handled the event: a retry runs only the others. */
  readonly succeeded: Set<string>;
}

/**
 * Serves Dapr's app-facing pub/sub protocol on its own port (`DAPR_APP_PORT`):
 *
 * - `GET /dapr/subscribe`: one subscription per topic of the registered `@EventPattern` handlers,
 *   routed to `POST /events/<topic>`, with `deadLetterTopic: <topic>.dlq`. All consumers of the
 *   process share the Dapr app id, so one delivery runs every consumer of that topic.
 * - `POST /events/<topic>`: the CloudEvent (structured JSON, Dapr's extension attributes allowed),
 *   answered `200 {"status":"SUCCESS"|"RETRY"|"DROP"}`.
 *
 * Retries are the sidecar's (its resiliency policy). Dapr's own dead-lettering forwards the message
 * without the reason, so the app dead-letters itself when it knows the delivery is final (an invalid
 * event, or a handler still failing at `EVENT_MAX_ATTEMPTS`, counted here per event id): it publishes
 * the event unchanged to `<topic>.dlq` with the error headers, then answers SUCCESS. If that publish
 * fails it answers DROP (invalid) or RETRY, and the subscription's `deadLetterTopic` is the backstop
 * (also when the app is unreachable longer than the sidecar's retry policy).
 *
 * Dapr calls an app on this one port only, so every other request the sidecar sends (e.g. Jobs API
 * triggers, `POST /job/<name>`) is answered by the routes features registered on
 * {@link DaprAppCallbacks} (resolved per request: features register during `onModuleInit`, which
 * may run after this server started).
 */
export class DaprEventServer extends EventConsumerServer {
  private readonly log = new Logger('DaprEventServer');
  private readonly publisher: DaprEventPublisher;
  private readonly tracked = new Map<string, Tracked>();
  private readonly byTopic = new Map<string, ConsumerSubscription[]>();
  private server: FastifyInstance | null = null;
  private closing = false;

  constructor(
    private readonly config: EventsConfig['dapr'],
    options: ConsumerServerOptions,
    /** Extra routes on the app port; none when the app has no registry. */
    private readonly callbacks?: DaprAppCallbacks,
  ) {
    super(options);
    this.publisher = new DaprEventPublisher(config);
  }

  /** The port the sidecar delivers to (the bound one when `DAPR_APP_PORT=0`). */
  get port(): number {
    const address = this.server?.server.address();
    if (!address || typeof address === 'string') throw new Error('the Dapr event server is not listening');
    return (address as AddressInfo).port;
  }

  /** The subscriptions `GET /dapr/subscribe` answers. */
  subscriptionsForDapr(): DaprSubscription[] {
    return [...this.byTopic.keys()].sort().map((topic) => ({
      pubsubname: this.config.pubsubName,
      topic,
      routes: { default: `/events/${encodeURIComponent(topic)}` },
      deadLetterTopic: deadLetterTopic(topic),
    }));
  }

  protected async start(subscriptions: readonly ConsumerSubscription[]): Promise<void> {
    for (const subscription of subscriptions)
      for (const topic of subscription.topics)
        this.byTopic.set(topic, [...(this.byTopic.get(topic) ?? []), subscription]);

    const server = Fastify({ logger: false, return503OnClosing: true });
    // The sidecar keeps connections alive; once closing, answer in-flight deliveries with
    // `Connection: close` so `close()` does not wait for the keep-alive timeout.
    server.addHook('onSend', async (_request, reply) => {
      if (this.closing) reply.header('connection', 'close');
    });
    // Bodies arrive as `application/cloudevents+json`, `application/json` or (raw payloads) anything:
    // take the text and parse it here, so malformed JSON is answered DROP instead of a 400.
    server.removeAllContentTypeParsers();
    server.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) => done(null, body));

    server.get('/dapr/subscribe', async () => this.subscriptionsForDapr());
    server.post<{ Params: { topic: string } }>('/events/:topic', async (request, reply) => {
      const { topic } = request.params;
      const subscriptions = this.byTopic.get(topic);
      // 404 makes the sidecar drop (and dead-letter) the message: it routed a topic nobody here has.
      if (!subscriptions) return reply.code(404).send({ error: `no subscription for topic "${topic}"` });
      const status = await this.handle(topic, subscriptions, String(request.body ?? ''), request.headers);
      return { status };
    });
    // Everything else: the registered app callbacks (a more specific route above always wins).
    server.route({
      method: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
      url: '/*',
      handler: async (request, reply) => {
        if (!this.callbacks)
          return reply.code(404).send({ error: `no route for ${request.method} ${request.url}` });
        const answer = await this.callbacks.dispatch({
          method: request.method,
          url: request.url,
          body: typeof request.body === 'string' ? request.body : '',
        });
        reply.code(answer.status);
        if (answer.body === undefined) return reply.send();
        return reply.type('application/json; charset=utf-8').send(JSON.stringify(answer.body));
      },
    });

    try {
      await server.listen({ port: this.config.appPort, host: BIND_HOST });
    } catch (error) {
      await server.close();
      throw new Error(
        `the Dapr event server could not listen on ${BIND_HOST}:${this.config.appPort} (DAPR_APP_PORT): ${asError(error).message}`,
      );
    }
    this.server = server;
    this.log.log(
      `serving Dapr subscriptions on ${BIND_HOST}:${this.port} (pubsub "${this.config.pubsubName}", topics ${[...this.byTopic.keys()].join(', ') || 'none'})`,
    );
  }

  /**
   * Stops accepting deliveries (new ones get 503, so the sidecar redelivers them later) and waits
   * for the ones being handled.
   */
  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.closing = true;
    server.server.closeIdleConnections();
    await server.close();
    this.server = null;
  }

  unwrap<T>(): T {
    if (!this.server) throw new Error('the Dapr event server is not started');
    return this.server as T;
  }

  private async handle(
    topic: string,
    subscriptions: readonly ConsumerSubscription[],
    text: string,
    headers: IncomingHttpHeaders,
  ): Promise<DaprDeliveryStatus> {
    const message = readMessage(text);
    const id = eventId(message.body);
    const trackingKey = id === undefined ? undefined : `${topic}\n${id}`;
    const tracked = this.track(trackingKey);
    const attempt = ++tracked.attempts;

    const pending = subscriptions.filter((subscription) => !tracked.succeeded.has(subscription.consumer));
    const outcomes = await Promise.all(
      pending.map(async (subscription) => ({
        consumer: subscription.consumer,
        outcome: await deliver(subscription, topic, message, attempt),
      })),
    );
    const failures: Array<{ consumer: string; outcome: Exclude<DeliveryOutcome, { status: 'success' }> }> =
      [];
    for (const { consumer, outcome } of outcomes) {
      if (outcome.status === 'success') tracked.succeeded.add(consumer);
      else failures.push({ consumer, outcome });
    }
    if (!failures.length) {
      this.forget(trackingKey);
      return 'SUCCESS';
    }
    const invalid = failures.some(({ outcome }) => outcome.status === 'drop');
    if (!invalid && attempt < this.options.retry.maxAttempts) return 'RETRY';

    // An invalid event is invalid for every consumer: one reason is enough.
    const reasons = new Set(failures.map(({ outcome }) => outcome.error.message));
    const error =
      reasons.size === 1
        ? failures[0].outcome.error
        : new Error(
            failures.map(({ consumer, outcome }) => `${consumer}: ${outcome.error.message}`).join('; '),
          );
    const consumer = failures.map((failure) => failure.consumer).join(',');
    try {
      await this.publisher.publish([
        {
          topic: deadLetterTopic(topic),
          key: partitionKey(headers, message.body, topic),
          event: message.body,
          headers: deadLetterHeaders({ error, attempts: attempt, topic, consumer }),
        },
      ]);
    } catch (publishError) {
      this.log.warn(
        `could not dead-letter a message of ${topic} (${asError(publishError).message}); answering ${invalid ? 'DROP' : 'RETRY'}, the sidecar's deadLetterTopic takes over`,
      );
      return invalid ? 'DROP' : 'RETRY';
    }
    this.forget(trackingKey);
    this.log.warn(
      `dead-lettered ${id ?? 'a message'} of ${topic} to ${deadLetterTopic(topic)} after ${attempt} attempt(s) (consumer ${consumer}): ${error.message}`,
    );
    return 'SUCCESS';
  }

  private track(key: string | undefined): Tracked {
    if (key === undefined) return { attempts: 0, succeeded: new Set() };
    let tracked = this.tracked.get(key);
    if (!tracked) {
      tracked = { attempts: 0, succeeded: new Set() };
      this.tracked.set(key, tracked);
      // Oldest first (insertion order): forgetting one only restarts its attempt count.
      if (this.tracked.size > TRACKED_EVENTS) this.tracked.delete(this.tracked.keys().next().value as string);
    }
    return tracked;
  }

  private forget(key: string | undefined): void {
    if (key !== undefined) this.tracked.delete(key);
  }
}

function eventId(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const id = (body as { id?: unknown }).id;
  return typeof id === 'string' && id ? id : undefined;
}

/** The Kafka component passes the message key as the `__key` header; else the event's subject. */
function partitionKey(headers: IncomingHttpHeaders, body: unknown, topic: string): string {
  const header = headers['__key'];
  if (typeof header === 'string' && header) {
    try {
      return decodeURIComponent(header); // `escapeHeaders: true` URL-escapes header values
    } catch {
      return header;
    }
  }
  const subject =
    typeof body === 'object' && body !== null ? (body as { subject?: unknown }).subject : undefined;
  return typeof subject === 'string' && subject ? subject : topic;
}
