import type { INestApplication } from '@nestjs/common';
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A test double of daprd's documented HTTP contract (docs.dapr.io: pubsub_api, "Publishing &
 * subscribing messages with Cloudevents", "Dead Letter Topics", health API, Kafka pub/sub component).
 * It is NOT daprd: it lets the Dapr transport be tested against requests exactly as a sidecar sends
 * and expects them, on machines where daprd cannot run.
 *
 * - `POST /v1.0/publish/{pubsub}/{topic}?metadata.*`: recorded; `application/cloudevents+json` is
 *   taken as is plus `topic`, `pubsubname`, `traceid`, `traceparent`, `tracestate`; other bodies are
 *   wrapped in a Dapr CloudEvent (`metadata.cloudevent.*` override its attributes);
 *   `metadata.rawPayload=true` stores the body unwrapped. `partitionKey` (or `__key`) is the key, the
 *   other metadata become message headers (as the Kafka component does). 204, or `failPublishes`.
 * - `GET /v1.0/healthz` and `/v1.0/healthz/outbound`: 204 (500 after `setHealthy(false)`).
 * - After `connectApp(port)`: reads `GET /dapr/subscribe` like daprd at start-up, then delivers each
 *   message of a subscribed topic as `POST <route>` with `Content-Type: application/cloudevents+json`
 *   (plus the Kafka component's `__key`/`__topic`/… headers and the message headers), one at a time
 *   per key. SUCCESS (or an empty or unparsable 2xx body) acknowledges; RETRY, another status,
 *   non-2xx or no answer is retried per the retry policy (the resiliency policy of a real sidecar),
 *   then forwarded to the subscription's `deadLetterTopic`; DROP or 404 forwards at once (Dapr ≥ 1.13).
 *   Dead letters keep the message's bytes, key and headers, and are delivered if subscribed.
 *
 * Unlike daprd, a body that is not JSON is still delivered (daprd dead-letters it itself), so a test
 * can check the app's own defences; see `deliverRaw`.
 */
export class FakeDaprSidecar {
  /** Every request to the publish API, in arrival order (failed ones too, with their status). */
  readonly publishes: RecordedPublish[] = [];
  /** Every delivery attempt to the app. */
  readonly deliveries: RecordedDelivery[] = [];
  /** Retries of a delivery: the resiliency policy a real sidecar would be given. */
  retryPolicy: { maxAttempts: number; backoffMs: number };
  /** Artificial latency of the publish API (to observe the publisher's concurrency). */
  publishDelayMs = 0;

  private readonly log: BrokerMessage[] = [];
  private readonly backlog: BrokerMessage[] = [];
  private readonly lanes = new Map<string, Promise<void>>();
  private readonly inFlight = new Set<Promise<void>>();
  private readonly stopping = new AbortController();
  private subscriptions: DaprSubscriptionEntry[] = [];
  private appPort: number | null = null;
  private publishFailure: { status: number; message: string } | null = null;
  private healthy = true;
  private offset = 0;

  private constructor(
    private readonly server: Server,
    private readonly options: Required<FakeDaprSidecarOptions>,
  ) {
    this.retryPolicy = { maxAttempts: options.maxAttempts, backoffMs: options.backoffMs };
  }

  static async start(options: FakeDaprSidecarOptions = {}): Promise<FakeDaprSidecar> {
    const resolved: Required<FakeDaprSidecarOptions> = {
      maxAttempts: 3,
      backoffMs: 20,
      pubsubName: 'pubsub',
      appId: 'app',
      ...options,
    };
    const server = createServer();
    const sidecar = new FakeDaprSidecar(server, resolved);
    server.on('request', (request: IncomingMessage, response: ServerResponse) => {
      sidecar.route(request, response).catch((error: unknown) => {
        if (!response.headersSent) response.writeHead(500, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ errorCode: 'ERR_INTERNAL', message: String(error) }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return sidecar;
  }

  /** The sidecar's HTTP port (`DAPR_HTTP_PORT`). */
  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  /** What the app answered on `GET /dapr/subscribe` at the last `connectApp`. */
  get subscribed(): readonly DaprSubscriptionEntry[] {
    return this.subscriptions;
  }

  /**
   * Points the sidecar at the app (`--app-port`), reads its subscriptions and starts delivering,
   * including messages published before (like a consumer group starting at the oldest offset).
   */
  async connectApp(port: number): Promise<void> {
    const response = await fetch(`http://127.0.0.1:${port}/dapr/subscribe`);
    if (!response.ok) throw new Error(`GET /dapr/subscribe answered ${response.status}`);
    const subscriptions = (await response.json()) as unknown;
    if (!Array.isArray(subscriptions)) throw new Error('GET /dapr/subscribe did not answer a JSON array');
    this.subscriptions = (subscriptions as DaprSubscriptionEntry[]).filter(
      (entry) => entry.pubsubname === this.options.pubsubName,
    );
    this.appPort = port;
    for (const message of this.backlog.splice(0)) this.dispatch(message);
  }

  /** Every message that landed on `topic` (published, dead-lettered by the sidecar, or raw). */
  messages(topic: string): BrokerMessage[] {
    return this.log.filter((message) => message.topic === topic);
  }

  /** Messages on `topic` parsed for assertions: body as JSON when it is, headers as stored. */
  parsedMessages(topic: string): Array<{ body: unknown; headers: Record<string, string>; key: string }> {
    return this.messages(topic).map((message) => ({
      body: parseJson(message.value) ?? message.value,
      headers: message.headers,
      key: message.key,
    }));
  }

  /**
   * A message put on the broker by a foreign producer (not through Dapr): delivered with these exact
   * bytes and content type.
   */
  deliverRaw(
    topic: string,
    body: string,
    options: { contentType?: string; key?: string; headers?: Record<string, string> } = {},
  ): void {
    this.append({
      topic,
      key: options.key ?? '',
      value: body,
      contentType: options.contentType ?? 'application/cloudevents+json',
      headers: { ...options.headers },
      origin: 'raw',
    });
  }

  /** Makes the publish API answer `status` (e.g. 500) from now on; `null` heals it. */
  failPublishes(status: number | null, message = 'simulated broker failure'): void {
    this.publishFailure = status === null ? null : { status, message };
  }

  /** Makes the health endpoints answer 500 (`false`) or 204 (`true`). */
  setHealthy(healthy: boolean): void {
    this.healthy = healthy;
  }

  /** Resolves once no delivery is in progress or waiting for a retry. */
  async idle(): Promise<void> {
    while (this.inFlight.size) await Promise.allSettled([...this.inFlight]);
  }

  async stop(): Promise<void> {
    if (this.stopping.signal.aborted) return;
    this.stopping.abort(new Error('the fake sidecar stopped'));
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    await Promise.allSettled([...this.inFlight]);
  }

  // --- the sidecar's HTTP API ---

  private async route(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://sidecar');
    const body = await readBody(request);
    if (request.method === 'GET' && /^\/v1\.0\/healthz(\/outbound)?$/.test(url.pathname)) {
      if (this.healthy) response.writeHead(204).end();
      else json(response, 500, { errorCode: 'ERR_HEALTH_NOT_READY', message: 'dapr is not ready' });
      return;
    }
    const publish = /^\/v1\.0\/publish\/([^/]+)\/(.+)$/.exec(url.pathname);
    if (request.method === 'POST' && publish) {
      await this.publish(
        request,
        response,
        url,
        decodeURIComponent(publish[1]),
        decodeURIComponent(publish[2]),
        body,
      );
      return;
    }
    json(response, 404, {
      errorCode: 'ERR_NOT_FOUND',
      message: `${request.method} ${url.pathname} is not emulated`,
    });
  }

  private async publish(
    request: IncomingMessage,
    response: ServerResponse,
    url: URL,
    pubsubName: string,
    topic: string,
    rawBody: string,
  ): Promise<void> {
    const startedAt = Date.now();
    if (this.publishDelayMs) await new Promise((resolve) => setTimeout(resolve, this.publishDelayMs));
    const query = Object.fromEntries(url.searchParams);
    const metadata: Record<string, string> = {};
    for (const [name, value] of url.searchParams)
      if (name.startsWith('metadata.')) metadata[name.slice('metadata.'.length)] = value;
    const contentType = (request.headers['content-type'] ?? 'text/plain').toString();
    const record: RecordedPublish = {
      method: request.method ?? '',
      path: url.pathname,
      pubsubName,
      topic,
      query,
      headers: flattenHeaders(request.headers),
      contentType,
      rawBody,
      body: isJson(contentType) ? (parseJson(rawBody) ?? rawBody) : rawBody,
      status: 204,
      startedAt,
      endedAt: startedAt,
    };
    this.publishes.push(record);
    const answer = (status: number, error?: { errorCode: string; message: string }) => {
      record.status = status;
      record.endedAt = Date.now();
      if (error) json(response, status, error);
      else response.writeHead(status).end();
    };

    if (this.publishFailure)
      return answer(this.publishFailure.status, {
        errorCode: 'ERR_PUBSUB_PUBLISH_MESSAGE',
        message: `error when publish to topic ${topic} in pubsub ${pubsubName}: ${this.publishFailure.message}`,
      });
    if (pubsubName !== this.options.pubsubName)
      return answer(404, { errorCode: 'ERR_PUBSUB_NOT_FOUND', message: `pubsub ${pubsubName} not found` });

    const value = this.envelope(topic, pubsubName, contentType, rawBody, metadata);
    if (typeof value !== 'string')
      return answer(400, { errorCode: 'ERR_PUBSUB_CLOUD_EVENTS_SER', message: value.error });
    const headers: Record<string, string> = {};
    for (const [name, headerValue] of Object.entries(metadata))
      if (!RESERVED_METADATA.has(name) && !name.startsWith('cloudevent.')) headers[name] = headerValue;
    this.append({
      topic,
      key: metadata['partitionKey'] ?? metadata['__key'] ?? '',
      value,
      contentType:
        metadata['rawPayload'] === 'true' ? 'application/octet-stream' : 'application/cloudevents+json',
      headers,
      origin: 'publish',
    });
    answer(204);
  }

  /** The bytes daprd puts on the broker for a publish request, or why it rejects it. */
  private envelope(
    topic: string,
    pubsubName: string,
    contentType: string,
    rawBody: string,
    metadata: Record<string, string>,
  ): string | { error: string } {
    if (metadata['rawPayload'] === 'true') return rawBody;
    const traceparent = `00-${randomBytes(16).toString('hex')}-${randomBytes(8).toString('hex')}-01`;
    const dapr = { topic, pubsubname: pubsubName };
    const trace = { traceid: traceparent, traceparent, tracestate: '' };
    const overrides: Record<string, string> = {};
    for (const [name, value] of Object.entries(metadata))
      if (name.startsWith('cloudevent.')) overrides[name.slice('cloudevent.'.length)] = value;

    if (mediaType(contentType) === 'application/cloudevents+json') {
      const event = parseJson(rawBody);
      if (typeof event !== 'object' || event === null || Array.isArray(event))
        return { error: 'the body is not a JSON CloudEvent' };
      const fields = event as Record<string, unknown>;
      if (typeof fields['id'] !== 'string' || !fields['id'])
        return { error: 'the CloudEvent has no id (a required attribute)' };
      return JSON.stringify({
        specversion: '1.0',
        source: this.options.appId,
        type: 'com.dapr.event.sent',
        time: new Date().toISOString(),
        ...trace,
        ...fields,
        ...dapr,
        ...overrides,
      });
    }
    let data: unknown = rawBody;
    if (isJson(contentType)) {
      data = parseJson(rawBody);
      if (data === undefined) return { error: 'the body is not valid JSON' };
    }
    return JSON.stringify({
      specversion: '1.0',
      id: randomUUID(),
      source: this.options.appId,
      type: 'com.dapr.event.sent',
      time: new Date().toISOString(),
      datacontenttype: contentType,
      data,
      ...trace,
      ...dapr,
      ...overrides,
    });
  }

  // --- the broker and the deliveries ---

  private append(message: Omit<BrokerMessage, 'offset'>): void {
    const stored: BrokerMessage = { ...message, offset: this.offset++ };
    this.log.push(stored);
    if (this.appPort === null) this.backlog.push(stored);
    else this.dispatch(stored);
  }

  /** Queues a message for the app if it subscribes to its topic; one delivery at a time per key. */
  private dispatch(message: BrokerMessage): void {
    const subscription = this.subscriptions.find((entry) => entry.topic === message.topic);
    if (!subscription) return;
    const lane = `${message.topic}\n${message.key}`;
    const tail = (this.lanes.get(lane) ?? Promise.resolve())
      .then(() => this.deliver(message, subscription))
      .catch(() => undefined); // stopped
    this.lanes.set(lane, tail);
    this.inFlight.add(tail);
    void tail.finally(() => {
      this.inFlight.delete(tail);
      if (this.lanes.get(lane) === tail) this.lanes.delete(lane);
    });
  }

  private async deliver(message: BrokerMessage, subscription: DaprSubscriptionEntry): Promise<void> {
    const path = subscription.routes?.default ?? subscription.route ?? `/${subscription.topic}`;
    for (let attempt = 1; ; attempt++) {
      const outcome = await this.attempt(message, path, attempt);
      if (outcome === 'SUCCESS') return;
      if (outcome === 'DROP' || attempt >= this.retryPolicy.maxAttempts) {
        if (subscription.deadLetterTopic)
          this.append({ ...message, topic: subscription.deadLetterTopic, origin: 'dead-letter' });
        return;
      }
      await sleep(this.retryPolicy.backoffMs * 2 ** (attempt - 1), this.stopping.signal);
    }
  }

  private async attempt(message: BrokerMessage, path: string, attempt: number): Promise<DeliveryResult> {
    const record: RecordedDelivery = {
      topic: message.topic,
      key: message.key,
      path,
      attempt,
      body: parseJson(message.value) ?? message.value,
      outcome: 'unreachable',
    };
    this.deliveries.push(record);
    const body = parseJson(message.value) as { traceparent?: unknown } | undefined;
    let response: Response;
    try {
      response = await fetch(`http://127.0.0.1:${this.appPort}${path}`, {
        method: 'POST',
        headers: {
          ...message.headers,
          'content-type': message.contentType,
          ...(typeof body?.traceparent === 'string' ? { traceparent: body.traceparent } : {}),
          __key: message.key,
          __topic: message.topic,
          __partition: '0',
          __offset: String(message.offset),
        },
        body: message.value,
        signal: AbortSignal.any([this.stopping.signal, AbortSignal.timeout(30_000)]),
      });
    } catch (error) {
      if (this.stopping.signal.aborted) throw error;
      return 'RETRY';
    }
    const text = await response.text().catch(() => '');
    if (response.status === 404) {
      record.outcome = 'HTTP 404';
      return 'DROP';
    }
    if (!response.ok) {
      record.outcome = `HTTP ${response.status}`;
      return 'RETRY';
    }
    const status = (parseJson(text) as { status?: unknown } | undefined)?.status;
    // 2xx: per the body's status; SUCCESS if empty, without status, or not JSON.
    const outcome: DeliveryResult =
      status === undefined || status === null
        ? 'SUCCESS'
        : ((['SUCCESS', 'RETRY', 'DROP'] as const).find((known) => known === String(status).toUpperCase()) ??
          'RETRY');
    record.outcome = outcome;
    return outcome;
  }
}

/** The Dapr port of a test app whose event consumers run on the Dapr transport. */
export function daprAppPort(app: INestApplication): number {
  const candidates = (app as unknown as { getMicroservices(): Array<{ unwrap<T>(): T }> }).getMicroservices();
  for (const microservice of candidates) {
    try {
      const server = microservice.unwrap<{ server?: { address(): AddressInfo | string | null } }>();
      const address = server.server?.address();
      if (address && typeof address !== 'string') return address.port;
    } catch {
      // not the Dapr server
    }
  }
  throw new Error('no running Dapr event server in this app (EVENT_TRANSPORT=dapr and startEventConsumers?)');
}

export interface FakeDaprSidecarOptions {
  /** Delivery attempts before the dead-letter topic (retry policy `maxRetries + 1`). */
  maxAttempts?: number;
  /** Wait after the first failed attempt; doubles each time. */
  backoffMs?: number;
  pubsubName?: string;
  /** The `source` of CloudEvents the sidecar creates. */
  appId?: string;
}

/** An entry of `GET /dapr/subscribe` as daprd reads it. */
export interface DaprSubscriptionEntry {
  pubsubname: string;
  topic: string;
  route?: string;
  routes?: { default?: string; rules?: Array<{ match: string; path: string }> };
  deadLetterTopic?: string;
  metadata?: Record<string, string>;
}

export interface RecordedPublish {
  method: string;
  path: string;
  pubsubName: string;
  topic: string;
  /** Every query parameter (`metadata.partitionKey`, `metadata.cloudevent.id`, …). */
  query: Record<string, string>;
  headers: Record<string, string>;
  contentType: string;
  rawBody: string;
  /** The body parsed when its content type is JSON. */
  body: unknown;
  /** What the fake answered. */
  status: number;
  startedAt: number;
  endedAt: number;
}

export interface BrokerMessage {
  topic: string;
  key: string;
  /** The bytes on the broker: the CloudEvent JSON, or a raw payload. */
  value: string;
  /** The content type of deliveries to the app. */
  contentType: string;
  /** Message headers (publish metadata other than the key and CloudEvent overrides). */
  headers: Record<string, string>;
  /** Published through the API, forwarded by the sidecar to a dead-letter topic, or `deliverRaw`. */
  origin: 'publish' | 'dead-letter' | 'raw';
  offset: number;
}

export interface RecordedDelivery {
  topic: string;
  key: string;
  path: string;
  attempt: number;
  body: unknown;
  outcome: DeliveryResult | `HTTP ${number}` | 'unreachable';
}

type DeliveryResult = 'SUCCESS' | 'RETRY' | 'DROP';

/** Publish metadata daprd or the Kafka component consume themselves (not message headers). */
const RESERVED_METADATA = new Set(['partitionKey', '__key', 'rawPayload', 'ttlInSeconds']);

function mediaType(contentType: string): string {
  return contentType.split(';')[0].trim().toLowerCase();
}

function isJson(contentType: string): boolean {
  const type = mediaType(contentType);
  return type === 'application/json' || type.endsWith('+json');
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function json(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

function flattenHeaders(headers: IncomingMessage['headers']): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers))
    if (value !== undefined) flat[name] = Array.isArray(value) ? value.join(', ') : value;
  return flat;
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
