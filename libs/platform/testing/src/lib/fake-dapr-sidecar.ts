import type { INestApplication } from '@nestjs/common';
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FakeDaprStores, type StoreAnswer } from './fake-dapr-stores';
import { closeNow, listenOnLoopback, readRequestBody } from './loopback-server';

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
 * - `GET /v1.0/metadata`: 200 with the app id and the components (the SDK's `DaprClient` asks it
 *   before its first call, to know the sidecar is up); answered even when not healthy, like daprd
 *   whose API answers before its components are ready.
 * - State and secrets APIs: see `FakeDaprStores` (`stores`); a `statestore` component by default.
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
 *
 * Jobs API (alpha; docs.dapr.io "Jobs API reference", "Features and concepts", and daprd's
 * integration tests for what the docs leave open), every request recorded in `jobRequests`:
 * - `POST /v1.0-alpha1/jobs/{name}`: the body is the job's fields at the top level, camelCase or
 *   snake_case as protojson reads them (`dueTime`/`due_time`, `failure_policy`/`failurePolicy`, …).
 *   Not JSON: 400 `ERR_MALFORMED_REQUEST`; a `name` in the body: 400 `DAPR_SCHEDULER_JOB_NAME`;
 *   neither `schedule` nor `dueTime`: 400 `DAPR_SCHEDULER_SCHEDULE_EMPTY`; what the scheduler
 *   rejects (a `dueTime` that is not RFC 3339, a Go duration or a non-repeating ISO 8601 duration;
 *   `repeats` > 1 or `ttl` without `schedule`): 500 `DAPR_SCHEDULER_SCHEDULE_JOB`; an existing job
 *   without `overwrite: true`: 409. Stored, 204. (`schedule` expressions are stored unchecked; a
 *   name with `/ \ # ?`, NUL or a line break is answered 400, daprd's exact status is undocumented.)
 * - `GET /v1.0-alpha1/jobs/{name}`: 200 with the job as JSON (`name`, `dueTime`, `data`, …); an
 *   unknown job: 500 `DAPR_SCHEDULER_GET_JOB` (daprd's answer, not a 404).
 * - `DELETE /v1.0-alpha1/jobs/{name}`: 204, whether or not the job exists.
 * - `failJobs(status)`: the Jobs API answers `status` (optionally for one method) until healed.
 * - `triggerJob(name)`: what daprd does when a job is due: `POST /job/{name}` on the app port with
 *   the job's `data` as the JSON body (`Content-Type: application/json`; no body without data).
 *   2xx: done; 404: ended without retries (daprd logs a non-retriable error); anything else
 *   (or no answer) is a failure the failure policy would retry: the job stays, call again to retry.
 *   A one-shot job (no `schedule`) is removed once done. Timing is not simulated: due or not, the
 *   test decides when a job triggers.
 *
 * Service invocation (docs.dapr.io "Service invocation API reference"; error shape from daprd's
 * `ErrDirectInvoke`), every call recorded in `invocations`:
 * - `GET|POST|PUT|DELETE|PATCH /v1.0/invoke/{appId}/method/{method-path}`: forwarded to the app
 *   given to `registerApp(appId, baseUrl)` as the same method on `/{method-path}` plus the query
 *   string, with the body and the headers (minus hop-by-hop ones and `host`) and daprd's
 *   `dapr-caller-app-id`/`dapr-callee-app-id`. The app's status, content type and body come back
 *   unchanged. An unknown app id or an app that does not answer: 500 `ERR_DIRECT_INVOKE`. No
 *   timeout of its own (no resiliency policy); a caller that gives up cancels the forwarded call.
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
  /** Every request to the Jobs API, in arrival order (failed ones too, with their status). */
  readonly jobRequests: RecordedJobRequest[] = [];
  /** Every `triggerJob` call and what the app answered. */
  readonly jobTriggers: RecordedJobTrigger[] = [];
  /** Every service invocation, in arrival order, with the status the caller got. */
  readonly invocations: RecordedInvocation[] = [];
  /** The state stores and secret stores behind the state and secrets APIs. */
  readonly stores: FakeDaprStores;

  private readonly log: BrokerMessage[] = [];
  private readonly backlog: BrokerMessage[] = [];
  private readonly lanes = new Map<string, Promise<void>>();
  private readonly inFlight = new Set<Promise<void>>();
  private readonly stopping = new AbortController();
  private subscriptions: DaprSubscriptionEntry[] = [];
  private appPort: number | null = null;
  private publishFailure: { status: number; message: string } | null = null;
  private jobsFailure: { status: number; method?: JobsApiMethod; message: string } | null = null;
  private readonly storedJobs = new Map<string, StoredJob>();
  /** Service invocation targets: app id → base URL (name resolution, in daprd's terms). */
  private readonly apps = new Map<string, string>();
  private healthy = true;
  private offset = 0;

  private constructor(
    private readonly server: Server,
    private readonly options: Required<FakeDaprSidecarOptions>,
  ) {
    this.retryPolicy = { maxAttempts: options.maxAttempts, backoffMs: options.backoffMs };
    this.stores = new FakeDaprStores(options.appId);
    for (const name of options.stateStores) this.stores.addStateStore(name);
  }

  static async start(options: FakeDaprSidecarOptions = {}): Promise<FakeDaprSidecar> {
    const resolved: Required<FakeDaprSidecarOptions> = {
      maxAttempts: 3,
      backoffMs: 20,
      pubsubName: 'pubsub',
      appId: 'app',
      stateStores: ['statestore'],
      port: 0,
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
    await listenOnLoopback(server, resolved.port);
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

  /**
   * Makes the Jobs API answer `status` (e.g. 500, or 404) from now on, for every method or only
   * `options.method`; `null` heals it.
   */
  failJobs(status: number | null, options: { method?: JobsApiMethod; message?: string } = {}): void {
    this.jobsFailure =
      status === null
        ? null
        : { status, method: options.method, message: options.message ?? 'simulated scheduler failure' };
  }

  /** The stored job `name` (as scheduled, fields normalised to camelCase), if any. */
  job(name: string): StoredJob | undefined {
    return this.storedJobs.get(name);
  }

  /** The names of the stored jobs, sorted. */
  jobNames(): string[] {
    return [...this.storedJobs.keys()].sort();
  }

  /**
   * Triggers the job `name` as daprd does when it is due: `POST /job/{name}` on the app port
   * (`connectApp`'s, or `port`) with the job's data as JSON. Resolves with the app's answer.
   */
  async triggerJob(name: string, port?: number): Promise<RecordedJobTrigger> {
    const job = this.storedJobs.get(name);
    if (!job) throw new Error(`no job "${name}" is scheduled on the fake sidecar`);
    const appPort = port ?? this.appPort;
    if (appPort === null) throw new Error('triggerJob needs the app port: call connectApp(port) or pass it');
    const body = job.data === undefined ? '' : JSON.stringify(job.data);
    const record: RecordedJobTrigger = { name, body: job.data, status: 0, response: '' };
    this.jobTriggers.push(record);
    try {
      // daprd: POST <app>/job/<name> (the name as is), Content-Type application/json, the data's JSON.
      const response = await fetch(`http://127.0.0.1:${appPort}/job/${name}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
        signal: AbortSignal.any([this.stopping.signal, AbortSignal.timeout(30_000)]),
      });
      record.status = response.status;
      record.response = await response.text().catch(() => '');
    } catch (error) {
      record.response = String(error);
      return record; // status 0: no answer, the failure policy would retry
    }
    const done = (record.status >= 200 && record.status < 300) || record.status === 404;
    if (done && job.schedule === undefined && this.storedJobs.get(name) === job) this.storedJobs.delete(name);
    return record;
  }

  /**
   * Makes `appId` reachable by service invocation at `baseUrl` (e.g. `http://127.0.0.1:1234`);
   * registering it again points it elsewhere.
   */
  registerApp(appId: string, baseUrl: string): void {
    this.apps.set(appId, baseUrl.replace(/\/+$/, ''));
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
    await closeNow(this.server);
    await Promise.allSettled([...this.inFlight]);
  }

  // --- the sidecar's HTTP API ---

  private async route(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://sidecar');
    const bytes = await readRequestBody(request);
    const body = bytes.toString('utf8');
    if (request.method === 'GET' && /^\/v1\.0\/healthz(\/outbound)?$/.test(url.pathname)) {
      if (this.healthy) response.writeHead(204).end();
      else json(response, 500, { errorCode: 'ERR_HEALTH_NOT_READY', message: 'dapr is not ready' });
      return;
    }
    if (request.method === 'GET' && url.pathname === '/v1.0/metadata') {
      json(response, 200, {
        id: this.options.appId,
        runtimeVersion: 'fake',
        components: [
          { name: this.options.pubsubName, type: 'pubsub.kafka', version: 'v1' },
          ...this.options.stateStores.map((name) => ({ name, type: 'state.postgresql', version: 'v2' })),
        ],
      });
      return;
    }
    const secret = /^\/v1\.0\/secrets\/([^/]+)\/([^/]+)$/.exec(url.pathname);
    if (request.method === 'GET' && secret) {
      respond(response, this.stores.secret(decodeURIComponent(secret[1]), decodeURIComponent(secret[2])));
      return;
    }
    const state = /^\/v1\.0\/state\/([^/]+)(\/.*)?$/.exec(url.pathname);
    if (state) {
      const ifMatch = request.headers['if-match'];
      respond(
        response,
        this.stores.state(
          request.method ?? 'GET',
          decodeURIComponent(state[1]),
          state[2] ?? '',
          body,
          ifMatch,
        ),
      );
      return;
    }
    const invoke = /^\/v1\.0\/invoke\/([^/]+)\/method\/(.*)$/.exec(url.pathname);
    if (invoke && INVOCABLE_METHODS.has(request.method ?? '')) {
      await this.invoke(
        request,
        response,
        decodeURIComponent(invoke[1]),
        `/${invoke[2]}${url.search}`,
        bytes,
      );
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
    const jobs = /^\/v1\.0-alpha1\/jobs\/([^/]+)$/.exec(url.pathname);
    if (jobs && (request.method === 'POST' || request.method === 'GET' || request.method === 'DELETE')) {
      this.jobsApi(request, response, request.method, decodeURIComponent(jobs[1]), body);
      return;
    }
    json(response, 404, {
      errorCode: 'ERR_NOT_FOUND',
      message: `${request.method} ${url.pathname} is not emulated`,
    });
  }

  private async invoke(
    request: IncomingMessage,
    response: ServerResponse,
    appId: string,
    path: string,
    body: Buffer,
  ): Promise<void> {
    const method = request.method ?? 'GET';
    const record: RecordedInvocation = { method, appId, path, status: 0 };
    this.invocations.push(record);
    const failed = (reason: string) => {
      record.status = 500;
      json(response, 500, {
        errorCode: 'ERR_DIRECT_INVOKE',
        message: `failed to invoke, id: ${appId}, err: ${reason}`,
      });
    };
    const baseUrl = this.apps.get(appId);
    if (!baseUrl) return failed(`couldn't find service: ${appId}`);

    // daprd cancels the forwarded call when its caller gives up (Go's request context).
    const callerGone = new AbortController();
    response.on('close', () => callerGone.abort());
    const headers = flattenHeaders(request.headers);
    for (const name of NOT_FORWARDED_HEADERS) delete headers[name];
    let answer: Response;
    let answerBody: Buffer;
    try {
      answer = await fetch(`${baseUrl}${path}`, {
        method,
        headers: { ...headers, 'dapr-caller-app-id': this.options.appId, 'dapr-callee-app-id': appId },
        body: method === 'GET' || body.length === 0 ? undefined : body,
        signal: AbortSignal.any([this.stopping.signal, callerGone.signal]),
      });
      answerBody = Buffer.from(await answer.arrayBuffer());
    } catch (error) {
      return failed(((error as Error).cause as Error | undefined)?.message ?? String(error));
    }
    record.status = answer.status;
    const contentType = answer.headers.get('content-type');
    response.writeHead(answer.status, contentType ? { 'content-type': contentType } : {}).end(answerBody);
  }

  private jobsApi(
    request: IncomingMessage,
    response: ServerResponse,
    method: JobsApiMethod,
    name: string,
    rawBody: string,
  ): void {
    const contentType = (request.headers['content-type'] ?? '').toString();
    const record: RecordedJobRequest = {
      method,
      name,
      path: new URL(request.url ?? '/', 'http://sidecar').pathname,
      contentType,
      rawBody,
      body: parseJson(rawBody) ?? (rawBody || undefined),
      status: 0,
    };
    this.jobRequests.push(record);
    const answer = (status: number, body?: unknown) => {
      record.status = status;
      if (body === undefined) response.writeHead(status).end();
      else json(response, status, body);
    };
    const error = (status: number, errorCode: string, message: string) =>
      answer(status, { errorCode, message });

    const failure = this.jobsFailure;
    if (failure && (!failure.method || failure.method === method)) {
      const verb = { POST: 'schedule', GET: 'get', DELETE: 'delete' }[method];
      return error(
        failure.status,
        `DAPR_SCHEDULER_${verb.toUpperCase()}_JOB`,
        `failed to ${verb} job due to: ${failure.message}`,
      );
    }
    if (!name.trim()) return error(400, 'DAPR_SCHEDULER_JOB_NAME_EMPTY', 'Name is empty');
    // daprd's scheduler rejects names unsafe in an etcd key or a callback URL (status not documented)
    if (/[/\\#?\n]/.test(name) || name.includes('\u0000'))
      return error(400, 'DAPR_SCHEDULER_JOB_NAME', `job name "${name}" has a character not allowed`);

    if (method === 'DELETE') {
      this.storedJobs.delete(name); // deleting an unknown job is a success (etcd)
      return answer(204);
    }
    if (method === 'GET') {
      const job = this.storedJobs.get(name);
      if (!job)
        return error(500, 'DAPR_SCHEDULER_GET_JOB', `failed to get job due to: job "${name}" not found`);
      return answer(200, { name, ...job });
    }

    const fields = rawBody.trim() ? parseJson(rawBody) : {};
    if (typeof fields !== 'object' || fields === null || Array.isArray(fields))
      return error(400, 'ERR_MALFORMED_REQUEST', 'failed deserializing HTTP body: not a JSON object');
    const job = readJob(fields as Record<string, unknown>);
    if (typeof job === 'string')
      return error(400, 'ERR_MALFORMED_REQUEST', `failed deserializing HTTP body: ${job}`);
    if (job.name !== undefined)
      return error(400, 'DAPR_SCHEDULER_JOB_NAME', 'Set the job name in the url only');
    if (job.schedule === undefined && job.dueTime === undefined)
      return error(400, 'DAPR_SCHEDULER_SCHEDULE_EMPTY', 'Schedule is empty');
    const rejected = schedulerRejects(job);
    if (rejected)
      return error(500, 'DAPR_SCHEDULER_SCHEDULE_JOB', `failed to schedule job due to: ${rejected}`);
    if (this.storedJobs.has(name) && job.overwrite !== true)
      return error(
        409,
        'DAPR_SCHEDULER_SCHEDULE_JOB',
        `failed to schedule job due to: job "${name}" already exists`,
      );
    const { name: _name, ...stored } = job;
    this.storedJobs.set(name, stored);
    answer(204);
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

interface FakeDaprSidecarOptions {
  /** Delivery attempts before the dead-letter topic (retry policy `maxRetries + 1`). */
  maxAttempts?: number;
  /** Wait after the first failed attempt; doubles each time. */
  backoffMs?: number;
  pubsubName?: string;
  /** The `source` of CloudEvents the sidecar creates; the prefix of state keys. */
  appId?: string;
  /** The state store components it loads. */
  stateStores?: string[];
  /** The HTTP port (default: a free one), e.g. one an app already waits on. */
  port?: number;
}

/** An entry of `GET /dapr/subscribe` as daprd reads it. */
interface DaprSubscriptionEntry {
  pubsubname: string;
  topic: string;
  route?: string;
  routes?: { default?: string; rules?: Array<{ match: string; path: string }> };
  deadLetterTopic?: string;
  metadata?: Record<string, string>;
}

interface RecordedPublish {
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

interface RecordedInvocation {
  method: string;
  /** The app id from the URL, decoded. */
  appId: string;
  /** The path and query the app was called on (`/{method-path}?…`). */
  path: string;
  /** What the caller got: the app's status, or the sidecar's 500 (0 while in flight). */
  status: number;
}

type JobsApiMethod = 'POST' | 'GET' | 'DELETE';

/** A job as the fake stores it (the request's fields, camelCase). */
interface StoredJob {
  schedule?: string;
  dueTime?: string;
  repeats?: number;
  ttl?: string;
  data?: unknown;
  overwrite?: boolean;
  failurePolicy?: unknown;
}

interface RecordedJobRequest {
  method: JobsApiMethod;
  /** The job name from the URL, decoded. */
  name: string;
  path: string;
  contentType: string;
  rawBody: string;
  /** The body parsed as JSON when it is (`undefined` when empty). */
  body: unknown;
  /** What the fake answered. */
  status: number;
}

interface RecordedJobTrigger {
  name: string;
  /** The job data sent as the body. */
  body: unknown;
  /** The app's status; 0 when it did not answer. */
  status: number;
  /** The app's response body (or the connection error). */
  response: string;
}

interface BrokerMessage {
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

interface RecordedDelivery {
  topic: string;
  key: string;
  path: string;
  attempt: number;
  body: unknown;
  outcome: DeliveryResult | `HTTP ${number}` | 'unreachable';
}

type DeliveryResult = 'SUCCESS' | 'RETRY' | 'DROP';

const INVOCABLE_METHODS = new Set(['GET', 'POST', 'PUT', 'DELETE', 'PATCH']);

/** Request headers a proxy does not pass on (hop-by-hop, or recomputed for the new connection). */
const NOT_FORWARDED_HEADERS = [
  'host',
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'content-length',
];

/** Publish metadata daprd or the Kafka component consume themselves (not message headers). */
const RESERVED_METADATA = new Set(['partitionKey', '__key', 'rawPayload', 'ttlInSeconds']);

/** The job fields of a schedule request, as protojson reads them (both spellings), or why not. */
function readJob(fields: Record<string, unknown>): (StoredJob & { name?: string }) | string {
  const pick = (camel: string, snake = camel) =>
    fields[camel] !== undefined ? fields[camel] : fields[snake];
  const job: StoredJob & { name?: string } = {};
  const strings = { name: 'name', schedule: 'schedule', dueTime: 'due_time', ttl: 'ttl' } as const;
  for (const [camel, snake] of Object.entries(strings)) {
    const value = pick(camel, snake);
    if (value === undefined || value === null) continue;
    if (typeof value !== 'string') return `${camel} is not a string`;
    if (camel === 'name') {
      if (value) job.name = value;
    } else job[camel as 'schedule' | 'dueTime' | 'ttl'] = value;
  }
  const repeats = pick('repeats');
  if (repeats !== undefined && repeats !== null) {
    if (typeof repeats !== 'number' || !Number.isInteger(repeats) || repeats < 0)
      return 'repeats is not an unsigned integer';
    job.repeats = repeats;
  }
  const overwrite = pick('overwrite');
  if (overwrite !== undefined && overwrite !== null) {
    if (typeof overwrite !== 'boolean') return 'overwrite is not a boolean';
    job.overwrite = overwrite;
  }
  const failurePolicy = pick('failurePolicy', 'failure_policy');
  if (failurePolicy !== undefined && failurePolicy !== null) {
    const problem = failurePolicyProblem(failurePolicy);
    if (problem) return problem;
    job.failurePolicy = failurePolicy;
  }
  if (fields['data'] !== undefined && fields['data'] !== null) job.data = fields['data'];
  return job;
}

/** `{ "drop": {} }` or `{ "constant": { "interval": "<protobuf duration>", "max_retries": n } }`. */
function failurePolicyProblem(policy: unknown): string | undefined {
  if (typeof policy !== 'object' || policy === null || Array.isArray(policy))
    return 'failure_policy is not an object';
  const kinds = Object.keys(policy);
  if (kinds.length !== 1 || !['drop', 'constant'].includes(kinds[0]))
    return 'failure_policy must have exactly one of drop, constant';
  if (kinds[0] === 'drop') return undefined;
  const constant = (policy as { constant: unknown }).constant;
  if (typeof constant !== 'object' || constant === null) return 'failure_policy.constant is not an object';
  const { interval } = constant as { interval?: unknown };
  const maxRetries =
    (constant as { maxRetries?: unknown }).maxRetries ?? (constant as { max_retries?: unknown }).max_retries;
  // protojson reads a google.protobuf.Duration as seconds with an `s` suffix only ("10s", "0.5s").
  if (interval !== undefined && (typeof interval !== 'string' || !/^-?\d+(\.\d{1,9})?s$/.test(interval)))
    return `failure_policy.constant.interval ${JSON.stringify(interval)} is not a protobuf duration`;
  if (
    maxRetries !== undefined &&
    (typeof maxRetries !== 'number' || !Number.isInteger(maxRetries) || maxRetries < 0)
  )
    return 'failure_policy.constant.max_retries is not an unsigned integer';
  return undefined;
}

/** What go-etcd-cron's job parser (Dapr's scheduler) rejects, in its words. */
function schedulerRejects(job: StoredJob): string | undefined {
  if (job.schedule === undefined && (job.repeats ?? 0) > 1) return 'job must have a schedule to repeat';
  if (job.repeats !== undefined && job.repeats < 1) return 'defined repeats must be greater than 0';
  if (job.schedule === undefined && job.ttl !== undefined) return 'job must have a schedule to have a ttl';
  if (job.dueTime !== undefined && !isPointInTime(job.dueTime)) return 'due time format not recognized';
  if (job.ttl !== undefined && !isPointInTime(job.ttl)) return 'ttl format not recognized';
  return undefined;
}

/** RFC 3339 (Go's `time.RFC3339`, fractional seconds allowed), a Go duration, or ISO 8601 without repeats. */
function isPointInTime(value: string): boolean {
  const rfc3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
  if (rfc3339.test(value)) return !Number.isNaN(Date.parse(value));
  const goDuration = /^[-+]?((\d+(\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h))+$/;
  if (value === '0' || goDuration.test(value)) return true;
  return /^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$/.test(value);
}

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

function respond(response: ServerResponse, answer: StoreAnswer): void {
  if (answer.body === undefined) response.writeHead(answer.status, answer.headers ?? {}).end();
  else
    response
      .writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers })
      .end(JSON.stringify(answer.body));
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
