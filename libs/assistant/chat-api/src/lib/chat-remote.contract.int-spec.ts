/**
 * The gateway with the chat-agent in its own process (`CHAT_AGENT_TRANSPORT=http|dapr`): a real
 * chat-agent app and real gateway apps on one PostgreSQL database, sharing the token signing key as
 * in production. The Dapr variant goes through `FakeDaprSidecar`'s service invocation, a double of
 * daprd's documented contract (see its doc comment): it proves nothing about a real daprd beyond it.
 */
import { AuthenticationModule } from '@todo/accounts';
import { SIGNED_IN_TASK_API } from '@todo/integration-testing';
import { ChatModule, CHAT_MIGRATIONS } from '@todo/chat';
import { ChatApiModule } from './chat-api.module';
import {
  type ApiClient,
  type ApiResponse,
  closeNow,
  FakeDaprSidecar,
  listenOnLoopback,
  LogLines,
  startTestApp,
  type TestApp,
  waitFor,
} from '@todo/testing';
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';

const TRANSPORTS = ['http', 'dapr'] as const;
type Transport = (typeof TRANSPORTS)[number];

const UNAVAILABLE = /^The assistant is not available right now/;
const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-01$/;

describe('chat through a remote chat-agent', () => {
  const jwtSecret = randomBytes(32).toString('hex');
  let sidecar: FakeDaprSidecar;
  let agent: TestApp;
  let gateways: Record<Transport, TestApp>;
  const agentLogs = new LogLines();
  const gatewayLogs = new LogLines();

  /** A gateway on the agent's database whose chat goes to a separate chat-agent. */
  const startGateway = (env: Record<string, string>, options: { jwtSecret?: string; logs?: LogLines } = {}) =>
    startTestApp({
      slices: [SIGNED_IN_TASK_API],
      imports: [ChatApiModule.remote()],
      migrations: CHAT_MIGRATIONS,
      service: 'gateway',
      databaseUrl: agent.databaseUrl,
      jwtSecret: options.jwtSecret ?? jwtSecret,
      env,
      logs: options.logs,
    });
  /** How a gateway reaches the agent (`appId` on the sidecar, or `url`) by each transport. */
  const agentEnv = (transport: Transport, target: { url: string; appId: string }): Record<string, string> =>
    transport === 'http'
      ? { CHAT_AGENT_TRANSPORT: 'http', CHAT_AGENT_URL: target.url }
      : {
          CHAT_AGENT_TRANSPORT: 'dapr',
          CHAT_AGENT_APP_ID: target.appId,
          DAPR_HOST: '127.0.0.1',
          DAPR_HTTP_PORT: String(sidecar.port),
        };

  beforeAll(async () => {
    sidecar = await FakeDaprSidecar.start({ appId: 'gateway' });
    agent = await startTestApp({
      imports: [AuthenticationModule, ChatApiModule.with(ChatModule)],
      // The agent's app creates the database the gateways then share.
      migrations: [...SIGNED_IN_TASK_API.migrations, ...CHAT_MIGRATIONS],
      service: 'chat-agent',
      jwtSecret,
      env: { LOG_LEVEL: 'info' },
      logs: agentLogs,
    });
    const agentUrl = await agent.app.getUrl();
    sidecar.registerApp('chat-agent', agentUrl);
    const [http, dapr] = await Promise.all(
      TRANSPORTS.map((transport) =>
        startGateway(
          { ...agentEnv(transport, { url: agentUrl, appId: 'chat-agent' }), LOG_LEVEL: 'info' },
          { logs: gatewayLogs },
        ),
      ),
    );
    gateways = { http, dapr };
  }, 60_000);
  afterAll(async () => {
    await Promise.all(Object.values(gateways ?? {}).map((gateway) => gateway.close()));
    await agent?.close(); // drops the shared database
    await sidecar?.stop();
  });

  describe.each(TRANSPORTS)('over %s', (transport) => {
    let api: ApiClient;
    let ann: { token: string; user: { id: string } };
    let bob: { token: string; user: { id: string } };
    beforeAll(async () => {
      api = gateways[transport].api;
      ann = await api.register({ time_zone: 'America/New_York' });
      bob = await api.register({ time_zone: 'Europe/Berlin' });
    });

    const call = (method: string, path: string, body?: unknown, token = ann.token) =>
      api.request(method, `/api/v1${path}`, { body, token });

    it('adds a task by chat that the gateway REST API shows, and keeps the conversation', async () => {
      const reply = await call('POST', '/chat', { message: 'Add a task to buy milk tomorrow at 5pm' });
      expect(reply.status).toBe(200);
      expect(reply.body).toEqual({
        conversation_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        response: 'Added #1 Buy milk — due tomorrow 17:00',
        tool_calls: [
          expect.objectContaining({
            name: 'add_task',
            arguments: expect.objectContaining({ title: 'Buy milk' }),
            result: expect.objectContaining({ status: 'done' }),
          }),
        ],
      });
      expect((await call('GET', '/tasks/1')).body).toMatchObject({ title: 'Buy milk', status: 'pending' });

      const id = reply.body.conversation_id;
      const listed = await call('GET', '/chat/conversations');
      expect(listed.status).toBe(200);
      expect(listed.body.items).toEqual([expect.objectContaining({ id })]);
      const read = await call('GET', `/chat/conversations/${id}`);
      expect(read.status).toBe(200);
      expect(read.body.messages.map((message: { role: string }) => message.role)).toEqual([
        'user',
        'assistant',
      ]);

      const interpreted = await call('POST', '/chat/interpret', { message: 'show my tasks' });
      expect(interpreted.status).toBe(200);
      expect(interpreted.body.tool_calls[0]).toMatchObject({ name: 'list_tasks' });

      expect((await call('DELETE', `/chat/conversations/${id}`)).status).toBe(204);
      expect((await call('GET', `/chat/conversations/${id}`)).status).toBe(404);
    });

    it("passes the agent's refusals through unchanged, and keeps each user's conversations apart", async () => {
      const unknown = randomUUID();
      const missing = await call('GET', `/chat/conversations/${unknown}`);
      expect(missing.status).toBe(404);
      expect(missing.body.error).toMatchObject({
        code: 'not_found',
        message: `Conversation ${unknown} was not found`,
      });
      const empty = await call('POST', '/chat', { message: '  ' });
      expect(empty.status).toBe(400);
      expect(empty.body.error.code).toBe('validation_failed');

      // Only the agent knows whose a conversation is: the gateway forwards, the agent says 404.
      const { conversation_id } = (await call('POST', '/chat', { message: 'Call the plumber' })).body;
      const notBobs = `Conversation ${conversation_id} was not found`;
      for (const [method, path, body] of [
        ['GET', `/chat/conversations/${conversation_id}`],
        ['DELETE', `/chat/conversations/${conversation_id}`],
        ['POST', '/chat', { conversation_id, message: 'delete everything' }],
      ] as const) {
        const refused = await call(method, path, body, bob.token);
        expect({ method, status: refused.status, message: refused.body.error.message }).toEqual({
          method,
          status: 404,
          message: notBobs,
        });
      }
      expect((await call('GET', '/chat/conversations', undefined, bob.token)).body.items).toEqual([]);
      expect((await call('GET', `/chat/conversations/${conversation_id}`)).status).toBe(200);
    });

    it('refuses a forged token with 401', async () => {
      const forged = await call('GET', '/chat/conversations', undefined, impersonate(ann.token, bob.user.id));
      expect(forged.status).toBe(401);
      expect(forged.body.error.code).toBe('unauthorized');
    });
  });

  it("reaches the chat-agent through the sidecar's service invocation API (dapr)", async () => {
    const { api } = gateways.dapr;
    const { token } = await api.register();
    sidecar.invocations.splice(0);
    const sent = await api.request('POST', '/api/v1/chat', { token, body: { message: 'Water the plants' } });
    const id = sent.body.conversation_id;
    await api.request('GET', '/api/v1/chat/conversations', { token });
    await api.request('GET', `/api/v1/chat/conversations/${id}`, { token });
    await api.request('DELETE', `/api/v1/chat/conversations/${id}`, { token });
    await api.request('GET', `/api/v1/chat/conversations/${id}`, { token });
    expect(sidecar.invocations).toEqual([
      { method: 'POST', appId: 'chat-agent', path: '/api/v1/chat', status: 200 },
      { method: 'GET', appId: 'chat-agent', path: '/api/v1/chat/conversations', status: 200 },
      { method: 'GET', appId: 'chat-agent', path: `/api/v1/chat/conversations/${id}`, status: 200 },
      { method: 'DELETE', appId: 'chat-agent', path: `/api/v1/chat/conversations/${id}`, status: 204 },
      { method: 'GET', appId: 'chat-agent', path: `/api/v1/chat/conversations/${id}`, status: 404 },
    ]);
  });

  it('keeps conversations in the Dapr state store when the chat-agent is told to (CONVERSATION_STORE=dapr)', async () => {
    const stateAgent = await startTestApp({
      imports: [AuthenticationModule, ChatApiModule.with(ChatModule)],
      migrations: [...SIGNED_IN_TASK_API.migrations, ...CHAT_MIGRATIONS],
      service: 'chat-agent',
      databaseUrl: agent.databaseUrl,
      jwtSecret,
      env: { CONVERSATION_STORE: 'dapr', DAPR_HOST: '127.0.0.1', DAPR_HTTP_PORT: String(sidecar.port) },
    });
    sidecar.registerApp('chat-agent-state', await stateAgent.app.getUrl());
    const gateway = await startGateway(agentEnv('dapr', { url: '', appId: 'chat-agent-state' }));
    try {
      const { api } = gateway;
      const [ann, bob] = [await api.register(), await api.register()];
      const chat = (body: object, token = ann.token) => api.request('POST', '/api/v1/chat', { token, body });
      const first = await chat({ message: 'Add a task to call mom tomorrow' });
      expect(first.status).toBe(200);
      const id = first.body.conversation_id;
      expect((await chat({ conversation_id: id, message: 'list my tasks' })).status).toBe(200);

      const view = await api.request('GET', `/api/v1/chat/conversations/${id}`, { token: ann.token });
      expect(view.body.messages.map((message: { role: string }) => message.role)).toEqual([
        'user',
        'assistant',
        'user',
        'assistant',
      ]);
      expect(
        sidecar.stores.stateEntries('statestore').get(`user-${ann.user.id}-conversation-${id}`),
      ).toBeDefined();
      // the PostgreSQL agent does not know it: the conversation lives in the state store only
      expect(
        (await agent.api.request('GET', `/api/v1/chat/conversations/${id}`, { token: ann.token })).status,
      ).toBe(404);
      // and another user cannot reach it through the Dapr store either
      expect(
        (await api.request('GET', `/api/v1/chat/conversations/${id}`, { token: bob.token })).status,
      ).toBe(404);
      expect((await chat({ conversation_id: id, message: 'hi' }, bob.token)).status).toBe(404);
    } finally {
      await gateway.close();
      await stateAgent.close(); // on the shared database: nothing dropped
    }
  });

  it.each(TRANSPORTS)(
    "follows one request into the chat-agent's log by its request id and trace id (%s)",
    async (transport) => {
      const { api } = gateways[transport];
      const { token } = await api.register();
      const requestId = `chat-${transport}-${randomUUID()}`;
      const traceId = randomBytes(16).toString('hex');
      const callerSpan = randomBytes(8).toString('hex');
      const reply = await api.request('POST', '/api/v1/chat', {
        token,
        body: { message: 'Buy stamps' },
        headers: { 'x-request-id': requestId, traceparent: `00-${traceId}-${callerSpan}-01` },
      });
      expect(reply.status).toBe(200);
      expect(reply.headers.get('x-request-id')).toBe(requestId);

      const lineOf = (logs: LogLines) =>
        logs.entries.find((entry) => (entry['req'] as { id?: string } | undefined)?.id === requestId);
      await waitFor(() => Boolean(lineOf(agentLogs) && lineOf(gatewayLogs)), 'both request log lines');
      const [gatewayLine, agentLine] = [lineOf(gatewayLogs), lineOf(agentLogs)];
      expect(gatewayLine).toMatchObject({ service: 'gateway', trace_id: traceId, msg: 'request completed' });
      expect(agentLine).toMatchObject({ service: 'chat-agent', trace_id: traceId, msg: 'request completed' });
      // Each service is its own span of the trace.
      expect(new Set([callerSpan, gatewayLine?.['span_id'], agentLine?.['span_id']]).size).toBe(3);
    },
  );

  it('lets the agent authenticate the user itself: a token it did not sign is refused by it (401)', async () => {
    const foreignKeyGateway = await startGateway(
      agentEnv('http', { url: await agent.app.getUrl(), appId: 'chat-agent' }),
      { jwtSecret: randomBytes(32).toString('hex') },
    );
    try {
      const { token } = await foreignKeyGateway.api.register();
      expect((await foreignKeyGateway.api.request('GET', '/api/v1/tasks', { token })).status).toBe(200);
      const refused = await foreignKeyGateway.api.request('GET', '/api/v1/chat/conversations', { token });
      expect(refused.status).toBe(401);
      expect(refused.body.error.code).toBe('unauthorized');
    } finally {
      await foreignKeyGateway.close();
    }
  });

  describe.each(TRANSPORTS)('when the chat-agent does not answer (%s)', (transport) => {
    let silentAgent: SilentServer;
    let gateway: TestApp;
    let token: string;
    beforeAll(async () => {
      silentAgent = await startSilentServer();
      sidecar.registerApp('silent-agent', silentAgent.url);
      gateway = await startGateway({
        ...agentEnv(transport, { url: silentAgent.url, appId: 'silent-agent' }),
        CHAT_AGENT_TIMEOUT_MS: '1000',
      });
      ({ token } = await gateway.api.register());
    });
    afterAll(async () => {
      await gateway?.close();
      await silentAgent?.close();
    });

    const chat = () => gateway.api.request('POST', '/api/v1/chat', { token, body: { message: 'Buy bread' } });
    const expectUnavailable = (reply: ApiResponse) => {
      expect(reply.status).toBe(503);
      expect(reply.body.error).toMatchObject({
        code: 'unavailable',
        message: expect.stringMatching(UNAVAILABLE),
      });
    };

    it("answers 503 after CHAT_AGENT_TIMEOUT_MS, having sent the user's own bearer token and the request's trace", async () => {
      const startedAt = Date.now();
      const reply = await chat();
      expectUnavailable(reply);
      expect(Date.now() - startedAt).toBeGreaterThanOrEqual(1000);
      expect(silentAgent.requests).toEqual([
        expect.objectContaining({
          method: 'POST',
          url: '/api/v1/chat',
          headers: expect.objectContaining({
            authorization: `Bearer ${token}`,
            // No id or trace came in: the gateway made both and passes them on.
            'x-request-id': reply.headers.get('x-request-id'),
            traceparent: expect.stringMatching(TRACEPARENT),
          }),
        }),
      ]);
    });

    it('passes on a sane incoming request id and continues an incoming trace; refuses malformed ones', async () => {
      const traceId = randomBytes(16).toString('hex');
      const callerSpan = randomBytes(8).toString('hex');
      const sent = [
        { 'x-request-id': 'support-ticket-42', traceparent: `00-${traceId}-${callerSpan}-01` },
        { 'x-request-id': 'a'.repeat(129), traceparent: `00-${'0'.repeat(32)}-${callerSpan}-01` },
        {
          'x-request-id': 'two words; <script>',
          traceparent: `00-${traceId.toUpperCase()}-${callerSpan}-01`,
        },
      ];
      silentAgent.requests.splice(0);
      const replies = await Promise.all(
        sent.map((headers) =>
          gateway.api.request('POST', '/api/v1/chat', { token, headers, body: { message: 'Buy bread' } }),
        ),
      );
      const received = silentAgent.requests.map(({ headers }) => headers);
      expect(received).toHaveLength(3);
      const forwarded = (requestId: string | null) =>
        received.find((headers) => headers['x-request-id'] === requestId);

      expect(replies[0].headers.get('x-request-id')).toBe('support-ticket-42');
      const [, tracedId, parentSpan] =
        TRACEPARENT.exec(String(forwarded('support-ticket-42')?.traceparent)) ?? [];
      expect(tracedId).toBe(traceId);
      expect(parentSpan).not.toBe(callerSpan); // the gateway's own span is the agent's parent
      for (const reply of replies.slice(1)) {
        const requestId = reply.headers.get('x-request-id');
        expect(requestId).toMatch(/^[0-9a-f-]{36}$/); // replaced by a fresh id
        const [, freshTrace] = TRACEPARENT.exec(String(forwarded(requestId)?.traceparent)) ?? [];
        expect(freshTrace).toMatch(/^[0-9a-f]{32}$/);
        expect(freshTrace).not.toBe(traceId);
      }
    }, 15_000);

    it('answers 503 at once when the agent is down', async () => {
      await silentAgent.close();
      const startedAt = Date.now();
      expectUnavailable(await chat());
      expect(Date.now() - startedAt).toBeLessThan(1000);
    });
  });
});

/** The token with another user id as its subject and the original signature: a forgery. */
function impersonate(token: string, userId: string): string {
  const [header, payload, signature] = token.split('.');
  const claims = { ...JSON.parse(Buffer.from(payload, 'base64url').toString()), sub: userId };
  return [header, Buffer.from(JSON.stringify(claims)).toString('base64url'), signature].join('.');
}

interface SilentServer {
  url: string;
  requests: Array<{ method?: string; url?: string; headers: IncomingHttpHeaders }>;
  close(): Promise<void>;
}

/** An agent that accepts requests and never answers (a hung process); it records what arrived. */
async function startSilentServer(): Promise<SilentServer> {
  const requests: SilentServer['requests'] = [];
  const server = createServer((request) => {
    requests.push({ method: request.method, url: request.url, headers: request.headers });
  });
  return {
    url: await listenOnLoopback(server),
    requests,
    close: async () => {
      if (server.listening) await closeNow(server);
    },
  };
}
