import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AuthenticationModule } from '@todo/accounts';
import { ChatModule } from '@todo/chat';
import { ChatApiModule } from '@todo/chat-api';
import { EventTransportModule } from '@todo/event-transport';
import { RealtimeModule, useRealtimeSockets } from '@todo/realtime';
import { type ApiResponse, startTestApp, type TestApp } from '@todo/testing';
import { execFile } from 'node:child_process';
import { createECDH, randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { generateVAPIDKeys } from 'web-push';
import { ALL_MIGRATIONS, GatewayModule } from '../gateway.module';
import { type OpenApiDocument, operationsOf, ResponseValidator } from './openapi-schema';

const WORKSPACE = join(__dirname, '..', '..', '..', '..', '..');
const REDOCLY = join(WORKSPACE, 'node_modules', '@redocly', 'cli', 'bin', 'cli.js');

/** Routes that are not REST operations, each with the reason it is not in the document. */
const NOT_REST = [
  /^\/api\/docs/, // the document and Swagger UI themselves
  /^\/graphql$/, // GraphQL: its own schema
  /^\/mcp$/, // JSON-RPC (Model Context Protocol)
  /^\/health\//, // probes for orchestrators (README)
  /^\/metrics$/, // Prometheus scrapes (README)
];

/** A body each operation accepts, for requests meant to fail on something else (their path). */
const VALID_BODIES: Record<string, unknown> = {
  'PATCH /api/v1/tasks/{ref}': { title: 'Renamed' },
  'POST /api/v1/tasks/{ref}/complete': {},
  'POST /api/v1/tasks/{ref}/reopen': {},
  'POST /api/v1/tasks/{ref}/reminders': { before: 'PT1H' },
};

/** The REST API as `npm start` composes it: every module that registers an HTTP route. */
const restModules = () => [
  EventTransportModule,
  GatewayModule,
  ChatApiModule.with(ChatModule),
  RealtimeModule.with(AuthenticationModule),
];

/** Each route Fastify registers, as `METHOD /path/{param}` (HEAD is Fastify's copy of each GET). */
function recordRoutes(app: NestFastifyApplication, routes: Set<string>) {
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onRoute', (route) => {
      for (const method of [route.method].flat())
        if (method !== 'HEAD' && method !== 'OPTIONS')
          routes.add(`${method} ${route.url.replace(/:(\w+)/g, '{$1}')}`);
    });
}

/** A P-256 public key and auth secret as a browser's PushSubscription carries them. */
const browserKeys = () => {
  const ecdh = createECDH('prime256v1');
  ecdh.generateKeys();
  return { p256dh: ecdh.getPublicKey().toString('base64url'), auth: randomBytes(16).toString('base64url') };
};

/**
 * The OpenAPI document against the app that serves it: it passes `redocly lint` (recommended rules,
 * `redocly.yaml`), names every REST route the app registers, and each response status it documents
 * is one the route really returns: a real request produces every documented (operation, status) pair,
 * and each answer must be documented and match its schema.
 */
describe('OpenAPI document (the REST API as composed by npm start)', () => {
  const rateLimit = 15;
  const vapid = generateVAPIDKeys();
  const routes = new Set<string>();
  let t: TestApp;
  /** The same API with the assistant in a separate service that does not answer, and Web Push off. */
  let degraded: TestApp;
  let document: OpenApiDocument;
  let validator: ResponseValidator;

  beforeAll(async () => {
    t = await startTestApp({
      imports: restModules(),
      migrations: ALL_MIGRATIONS,
      env: {
        VAPID_PUBLIC_KEY: vapid.publicKey,
        VAPID_PRIVATE_KEY: vapid.privateKey,
        LOGIN_RATE_LIMIT_PER_MINUTE: String(rateLimit),
        REGISTRATION_RATE_LIMIT_PER_HOUR: String(rateLimit),
      },
      beforeListen: async (app) => {
        recordRoutes(app, routes);
        useRealtimeSockets(app);
      },
    });
    degraded = await startTestApp({
      imports: [GatewayModule, ChatApiModule.remote()],
      migrations: ALL_MIGRATIONS,
      // Port 9 (discard) is closed on loopback: the agent never answers.
      env: { CHAT_AGENT_TRANSPORT: 'http', CHAT_AGENT_URL: 'http://127.0.0.1:9', LOG_LEVEL: 'fatal' },
    });
    document = (await t.api.request<OpenApiDocument>('GET', '/api/docs/openapi.json')).body;
    validator = new ResponseValidator(document);
  });
  afterAll(async () => {
    await t?.close();
    await degraded?.close();
  });

  it('passes redocly lint with the recommended rules', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'openapi-'));
    try {
      const file = join(folder, 'openapi.json');
      writeFileSync(file, JSON.stringify(document, null, 2));
      const { NODE_OPTIONS: _jestFlags, ...env } = process.env;
      const { stdout } = await promisify(execFile)(
        process.execPath,
        [REDOCLY, 'lint', '--config', join(WORKSPACE, 'redocly.yaml'), '--format', 'json', file],
        { env: { ...env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' } },
      ).catch((error: { stdout?: string }) => ({ stdout: error.stdout ?? '' }));
      const report = JSON.parse(stdout) as {
        problems: Array<{ ruleId: string; message: string; location: Array<{ pointer: string }> }>;
      };
      expect(
        report.problems.map((p) => `${p.ruleId}: ${p.message} at ${p.location[0]?.pointer ?? '?'}`),
      ).toEqual([]);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('documents every REST route the app registers, and no other', () => {
    const registered = [...routes].filter(
      (route) => !NOT_REST.some((path) => path.test(route.split(' ')[1])),
    );
    expect([...operationsOf(document).keys()].sort()).toEqual(registered.sort());
  });

  it('names each operation, summarizes it and states its security', () => {
    for (const [name, operation] of operationsOf(document)) {
      expect({ name, operationId: operation.operationId }).toEqual({ name, operationId: expect.any(String) });
      expect({ name, security: operation.security }).toEqual({ name, security: expect.any(Array) });
    }
  });

  it('answers with exactly the documented statuses, each body matching its schema', async () => {
    const operations = operationsOf(document);
    const produced = new Set<string>();
    const problems: string[] = [];
    const bodyLimit = t.config.http.bodyLimitBytes;

    /** Sends one request for `operation` (`METHOD /template`), expecting `status`. */
    const expectStatus = async (
      operation: string,
      status: number,
      send: () => Promise<ApiResponse>,
    ): Promise<ApiResponse> => {
      const response = await send();
      const documented = operations.get(operation)?.responses[String(response.status)];
      if (response.status !== status)
        problems.push(
          `${operation}: expected ${status}, got ${response.status} ${JSON.stringify(response.body)}`,
        );
      else if (!documented) problems.push(`${operation}: ${status} is not documented`);
      else {
        produced.add(`${operation} ${status}`);
        const schema = documented.content?.['application/json']?.schema;
        if (schema)
          for (const problem of validator.problems(schema, response.body))
            problems.push(`${operation} ${status}: ${problem} in ${JSON.stringify(response.body)}`);
        else if (response.body !== undefined)
          problems.push(`${operation} ${status}: undocumented body ${JSON.stringify(response.body)}`);
      }
      return response;
    };
    const as =
      (app: TestApp, token?: string) =>
      (method: string, path: string, body?: unknown, headers?: Record<string, string>) =>
        app.api.request(method, path, { body, token, headers });

    // Success, and the errors particular to each operation, in an order that builds the state.
    const anonymous = as(t);
    const email = `contract.${randomUUID()}@example.com`;
    const registered = await expectStatus('POST /api/v1/auth/register', 201, () =>
      anonymous('POST', '/api/v1/auth/register', {
        email,
        password: 'correct horse',
        time_zone: 'Europe/Berlin',
      }),
    );
    await expectStatus('POST /api/v1/auth/register', 409, () =>
      anonymous('POST', '/api/v1/auth/register', { email, password: 'another horse' }),
    );
    await expectStatus('POST /api/v1/auth/login', 200, () =>
      anonymous('POST', '/api/v1/auth/login', { email, password: 'correct horse' }),
    );
    await expectStatus('POST /api/v1/auth/login', 401, () =>
      anonymous('POST', '/api/v1/auth/login', { email, password: 'wrong horse' }),
    );
    const ann = as(t, registered.body.access_token);
    await expectStatus('GET /api/v1/me', 200, () => ann('GET', '/api/v1/me'));
    await expectStatus('PATCH /api/v1/me', 200, () => ann('PATCH', '/api/v1/me', { name: 'Ann' }));

    await expectStatus('POST /api/v1/tasks', 201, () =>
      ann('POST', '/api/v1/tasks', {
        title: 'Dentist',
        due: '2030-12-04T14:00:00+01:00',
        recurrence: { rrule: 'FREQ=MONTHLY' },
        reminders: [{ before: 'PT1H' }],
        tags: ['health'],
      }),
    );
    await expectStatus('GET /api/v1/tasks', 200, () => ann('GET', '/api/v1/tasks?q=dent&limit=1'));
    await expectStatus('GET /api/v1/tasks', 400, () => ann('GET', '/api/v1/tasks?limit=0'));
    await expectStatus('GET /api/v1/tasks/{ref}', 200, () => ann('GET', '/api/v1/tasks/1'));
    await expectStatus('PATCH /api/v1/tasks/{ref}', 200, () =>
      ann('PATCH', '/api/v1/tasks/1', { priority: 'p1', version: 1 }),
    );
    await expectStatus('PATCH /api/v1/tasks/{ref}', 409, () =>
      ann('PATCH', '/api/v1/tasks/1', { title: 'x', version: 1 }),
    );
    await expectStatus('POST /api/v1/tasks/{ref}/reminders', 201, () =>
      ann('POST', '/api/v1/tasks/1/reminders', { at: '2030-12-01T09:00:00Z' }),
    );
    const reminders = await expectStatus('GET /api/v1/tasks/{ref}/reminders', 200, () =>
      ann('GET', '/api/v1/tasks/1/reminders'),
    );
    await expectStatus('DELETE /api/v1/tasks/{ref}/reminders/{reminderId}', 204, () =>
      ann('DELETE', `/api/v1/tasks/1/reminders/${reminders.body.items[1].id}`),
    );
    await expectStatus('DELETE /api/v1/tasks/{ref}/reminders/{reminderId}', 404, () =>
      ann('DELETE', `/api/v1/tasks/1/reminders/${randomUUID()}`),
    );
    await expectStatus('DELETE /api/v1/tasks/{ref}/reminders/{reminderId}', 400, () =>
      ann('DELETE', '/api/v1/tasks/1/reminders/not-an-id'),
    );
    await expectStatus('POST /api/v1/tasks/{ref}/complete', 409, () =>
      ann('POST', '/api/v1/tasks/1/complete', { version: 1 }),
    );
    await expectStatus('POST /api/v1/tasks/{ref}/complete', 200, () =>
      ann('POST', '/api/v1/tasks/1/complete'),
    );
    await expectStatus('POST /api/v1/tasks/{ref}/reminders', 409, () =>
      ann('POST', '/api/v1/tasks/1/reminders', { before: 'PT5M' }),
    );
    await expectStatus('POST /api/v1/tasks/{ref}/reopen', 409, () =>
      ann('POST', '/api/v1/tasks/1/reopen', { version: 1 }),
    );
    await expectStatus('POST /api/v1/tasks/{ref}/reopen', 200, () => ann('POST', '/api/v1/tasks/1/reopen'));
    await expectStatus('GET /api/v1/tasks/{ref}/history', 200, () => ann('GET', '/api/v1/tasks/1/history'));
    await expectStatus('GET /api/v1/tasks/{ref}/history', 400, () =>
      ann('GET', '/api/v1/tasks/1/history?limit=0'),
    );
    await expectStatus('GET /api/v1/activity', 200, () => ann('GET', '/api/v1/activity?limit=5'));
    await expectStatus('GET /api/v1/activity', 400, () => ann('GET', '/api/v1/activity?limit=0'));
    await expectStatus('DELETE /api/v1/tasks/{ref}', 409, () => ann('DELETE', '/api/v1/tasks/1?version=1'));
    await expectStatus('DELETE /api/v1/tasks/{ref}', 400, () =>
      ann('DELETE', '/api/v1/tasks/1?version=first'),
    );
    await expectStatus('DELETE /api/v1/tasks/{ref}', 204, () => ann('DELETE', '/api/v1/tasks/1'));

    const reply = await expectStatus('POST /api/v1/chat', 200, () =>
      ann('POST', '/api/v1/chat', {
        message: 'Add a task to buy groceries tomorrow at 5pm, remind me 1 hour before',
      }),
    );
    await expectStatus('POST /api/v1/chat', 404, () =>
      ann('POST', '/api/v1/chat', { message: 'show my tasks', conversation_id: randomUUID() }),
    );
    await expectStatus('POST /api/v1/chat/interpret', 200, () =>
      ann('POST', '/api/v1/chat/interpret', { message: 'call mom every sunday at 6pm p2 #family' }),
    );
    await expectStatus('GET /api/v1/chat/conversations', 200, () => ann('GET', '/api/v1/chat/conversations'));
    const conversation = `/api/v1/chat/conversations/${reply.body.conversation_id}`;
    await expectStatus('GET /api/v1/chat/conversations/{id}', 200, () => ann('GET', conversation));
    await expectStatus('DELETE /api/v1/chat/conversations/{id}', 204, () => ann('DELETE', conversation));
    for (const method of ['GET', 'DELETE']) {
      await expectStatus(`${method} /api/v1/chat/conversations/{id}`, 404, () => ann(method, conversation));
      await expectStatus(`${method} /api/v1/chat/conversations/{id}`, 400, () =>
        ann(method, '/api/v1/chat/conversations/42'),
      );
    }

    await expectStatus('GET /api/v1/push/vapid-public-key', 200, () =>
      anonymous('GET', '/api/v1/push/vapid-public-key'),
    );
    const browser = { endpoint: 'https://push.example.com/send/1', keys: browserKeys() };
    const subscribed = await expectStatus('POST /api/v1/push/subscriptions', 201, () =>
      ann('POST', '/api/v1/push/subscriptions', browser),
    );
    await expectStatus('POST /api/v1/push/subscriptions', 200, () =>
      ann('POST', '/api/v1/push/subscriptions', browser),
    );
    await expectStatus('GET /api/v1/push/subscriptions', 200, () => ann('GET', '/api/v1/push/subscriptions'));
    for (let browsers = 1; browsers < 20; browsers++)
      await ann('POST', '/api/v1/push/subscriptions', {
        endpoint: `https://push.example.com/send/${browsers + 1}`,
        keys: browserKeys(),
      });
    await expectStatus('POST /api/v1/push/subscriptions', 409, () =>
      ann('POST', '/api/v1/push/subscriptions', {
        endpoint: 'https://push.example.com/send/21',
        keys: browserKeys(),
      }),
    );
    await expectStatus('DELETE /api/v1/push/subscriptions/{id}', 204, () =>
      ann('DELETE', `/api/v1/push/subscriptions/${subscribed.body.id}`),
    );
    await expectStatus('DELETE /api/v1/push/subscriptions/{id}', 404, () =>
      ann('DELETE', `/api/v1/push/subscriptions/${subscribed.body.id}`),
    );
    await expectStatus('DELETE /api/v1/push/subscriptions/{id}', 400, () =>
      ann('DELETE', '/api/v1/push/subscriptions/7'),
    );
    await expectStatus('POST /api/v1/realtime/ticket', 201, () => ann('POST', '/api/v1/realtime/ticket'));

    // The degraded deployment: the assistant's service does not answer; Web Push is not configured.
    const carl = as(degraded, (await degraded.api.register()).token);
    const unavailable: Array<[string, string, unknown?]> = [
      ['POST', '/api/v1/chat', { message: 'hello' }],
      ['POST', '/api/v1/chat/interpret', { message: 'hello' }],
      ['GET', '/api/v1/chat/conversations'],
      ['GET', `/api/v1/chat/conversations/${randomUUID()}`],
      ['DELETE', `/api/v1/chat/conversations/${randomUUID()}`],
    ];
    for (const [method, path, body] of unavailable)
      await expectStatus(`${method} ${path.replace(/[0-9a-f-]{36}$/, '{id}')}`, 503, () =>
        carl(method, path, body),
      );
    await expectStatus('GET /api/v1/push/vapid-public-key', 404, () =>
      carl('GET', '/api/v1/push/vapid-public-key'),
    );
    await expectStatus('GET /api/v1/push/subscriptions', 404, () =>
      carl('GET', '/api/v1/push/subscriptions'),
    );
    await expectStatus('POST /api/v1/push/subscriptions', 404, () =>
      carl('POST', '/api/v1/push/subscriptions', browser),
    );

    // What a request's shape implies, for every operation that has it.
    const example = (template: string) =>
      template.replace('{ref}', '999999').replace(/\{\w+\}/g, '00000000-0000-4000-8000-000000000000');
    for (const [operation, description] of operations) {
      const [method, template] = operation.split(' ') as [string, string];
      const path = example(template);
      if (description.security?.length)
        await expectStatus(operation, 401, () =>
          anonymous(method, path, description.requestBody ? {} : undefined),
        );
      if (template.includes('{ref}') && description.responses['404'])
        await expectStatus(operation, 404, () => ann(method, path, VALID_BODIES[operation]));
      if (template.includes('{ref}'))
        await expectStatus(operation, 400, () =>
          ann(method, template.replace('{ref}', 'first').replace(/\{\w+\}/g, '1'), VALID_BODIES[operation]),
        );
      if (!description.requestBody) continue;
      const raw =
        (body: string, type = 'application/json') =>
        () =>
          t.api.request(method, path, {
            rawBody: body,
            token: registered.body.access_token,
            headers: { 'content-type': type },
          });
      await expectStatus(operation, 400, raw('{"title": '));
      await expectStatus(operation, 415, raw('title=x', 'text/plain'));
      await expectStatus(operation, 413, raw(JSON.stringify({ title: 'x'.repeat(bodyLimit) })));
    }

    // Last: the rate limits, which leave these routes refusing this address for a while.
    for (const [operation, body] of [
      ['POST /api/v1/auth/login', { email, password: 'wrong horse' }],
      ['POST /api/v1/auth/register', { email, password: 'correct horse' }],
    ] as const) {
      const path = operation.split(' ')[1] as string;
      for (let attempt = 0; attempt <= rateLimit; attempt++)
        if ((await anonymous('POST', path, body)).status === 429) break;
      await expectStatus(operation, 429, () => anonymous('POST', path, body));
    }

    expect(problems).toEqual([]);
    const documented = [...operations].flatMap(([operation, { responses }]) =>
      Object.keys(responses).map((status) => `${operation} ${status}`),
    );
    expect(documented.filter((pair) => !produced.has(pair))).toEqual([]);
  }, 180_000);
});
