import { GraphQLSchemaHost } from '@nestjs/graphql';
import type { GraphQLSchema } from 'graphql';
import { TOOL_DEFINITIONS } from '@todo/assistant-contract';
import { AuditLogModule } from '@todo/audit-log';
import { ChatModule } from '@todo/chat';
import { ChatApiModule } from '@todo/chat-api';
import { EventTransportModule, startEventConsumers } from '@todo/event-transport';
import { SchedulerModule } from '@todo/scheduling';
import { startTestApp, type TestApp } from '@todo/testing';
import fc from 'fast-check';
import { randomBytes } from 'node:crypto';
import { availableParallelism, loadavg } from 'node:os';
import { ALL_MIGRATIONS, GatewayModule } from '../gateway.module';
import { chatRequests, mcpEnvelopeRequests, mcpToolCalls } from './assistant-arbitraries';
import { formatReport, formatSlowest, inFlightDuring } from './fuzz-report';
import type { FuzzRequest } from './fuzz-request';
import { FuzzRunner, interleave } from './fuzz-runner';
import { fieldRequests, rootFields, structuralRequests } from './graphql-arbitraries';
import { type LatencySummary, startHealthSampler } from './health-sampler';
import { hostileAuthorizations } from './hostile-tokens';
import type { FuzzTargets } from './hostile-values';
import { authorizationRequests, malformedBodyRequests } from './http-attacks';
import {
  listOperations,
  type OpenApiDocument,
  type OpenApiOperation,
  operationRequests,
} from './openapi-arbitraries';
import { collectServerErrors } from './server-error-log';

/**
 * The hostile-input acceptance suite: the composed app (REST, GraphQL, chat, MCP, scheduler, event
 * consumers) on real PostgreSQL, fed thousands of generated hostile requests by an attacker while a
 * victim's data sits next to it. Asserts no 5xx, no internal error inside GraphQL/MCP answers, no
 * data of the victim in any answer, credentials that must be refused are, /health/live stays fast
 * and both accounts stay readable.
 *
 * Explore: FUZZ_SEED=<n> FUZZ_RUNS=<per operation> (defaults below; the seed is printed).
 */
const SEED = Number(process.env['FUZZ_SEED'] ?? 20261203);
const RUNS = Number(process.env['FUZZ_RUNS'] ?? 50);
/** Wall-clock budget for sending; on a loaded machine fewer requests fit and the report says so. */
const BUDGET_MS = Number(process.env['FUZZ_BUDGET_S'] ?? 80) * 1000;
const REQUEST_TIMEOUT_MS = 10_000;
/** A surface's share of the budget, plus the requests still in flight when it runs out. */
const TEST_TIMEOUT_MS = BUDGET_MS + 2 * REQUEST_TIMEOUT_MS;
/**
 * The probe's p99 limit. 100 ms on a quiet machine (39–53 ms measured alone on 2 cores). When other
 * work keeps the cores busy (CI runs several suites at once), the limit is 250 ms: still far below
 * what the denial-of-service classes this suite guards against did to the probe (p99 534–845 ms, and
 * 30 s freezes), and said loudly. Busy: the 1-minute load per core above 0.5 as the suite starts, or
 * above 0.85 when it ends (this suite's own app, client and database account for up to ~0.75 of
 * that). A CI run with load per core between 0.75 and 1 at both ends, other suites running beside
 * this one, measured p99 107 ms; alone, this suite measures 40–70 ms.
 */
const QUIET_HEALTH_P99_MS = 100;
const BUSY_HEALTH_P99_MS = 250;
const loadPerCore = () => loadavg()[0] / availableParallelism();
const loadAtStart = loadPerCore();

function healthP99Limit(): number {
  const loadAtEnd = loadPerCore();
  const busy = loadAtStart > 0.5 || loadAtEnd > 0.85;
  console.warn(
    `hostile-input: load per core ${loadAtStart.toFixed(2)} at the start, ${loadAtEnd.toFixed(2)} at the end ` +
      `(${availableParallelism()} cores): /health/live p99 limit ${busy ? `${BUSY_HEALTH_P99_MS} ms (busy machine)` : `${QUIET_HEALTH_P99_MS} ms (quiet machine)`}`,
  );
  return busy ? BUSY_HEALTH_P99_MS : QUIET_HEALTH_P99_MS;
}

/** Credentials that identify the attacker correctly (everything else in the table must be refused). */
const ACCEPTABLE_AUTHORIZATIONS = new Set([
  'attacker',
  'lower-case scheme', // RFC 9110: the scheme is case-insensitive
  'exp far future',
  'two tokens', // lenient parsing; the (one, valid) token is still verified
]);

const sample = <T>(arbitrary: fc.Arbitrary<T>, salt: number, numRuns = RUNS) =>
  fc.sample(arbitrary, { seed: SEED + salt, numRuns });

describe('hostile input on every surface (composed app, real PostgreSQL)', () => {
  let t: TestApp;
  let runner: FuzzRunner;
  let targets: FuzzTargets;
  let sampler: ReturnType<typeof startHealthSampler>;
  let attacker: { token: string; userId: string };
  let victimToken: string;
  const victimMarker = `zq${randomBytes(6).toString('hex')}`;
  let serverErrors: ReturnType<typeof collectServerErrors>;
  let operations: OpenApiOperation[];
  let runnerAuthorizations: Record<string, string | undefined>;
  let requests: Record<string, FuzzRequest[]>;
  const started = Date.now();

  beforeAll(async () => {
    console.log(`hostile-input suite: FUZZ_SEED=${SEED} FUZZ_RUNS=${RUNS}`);
    const jwtSecret = randomBytes(32).toString('hex');
    t = await startTestApp({
      imports: [
        EventTransportModule,
        GatewayModule,
        ChatApiModule.with(ChatModule),
        AuditLogModule,
        SchedulerModule.forRoot({ timer: 'postgres' }),
      ],
      migrations: ALL_MIGRATIONS,
      beforeListen: async (app, config) => {
        serverErrors = collectServerErrors(app);
        await startEventConsumers(app, config);
      },
      jwtSecret,
      env: { LOG_LEVEL: 'silent' },
    });
    const own = await t.api.register({ time_zone: 'Europe/Berlin' });
    const victim = await t.api.register({ time_zone: 'America/New_York', name: victimMarker });
    attacker = { token: own.token, userId: own.user.id };
    victimToken = victim.token;
    const ownData = await seedUserData(own.token, 'ownerrand');
    const victimData = await seedUserData(victim.token, victimMarker);
    targets = {
      ownTaskRefs: ownData.taskRefs,
      foreignTaskRefs: victimData.taskRefs,
      ownReminderIds: ownData.reminderIds,
      foreignReminderIds: victimData.reminderIds,
      ownConversationIds: ownData.conversationIds,
      foreignConversationIds: victimData.conversationIds,
      foreignUserId: victim.user.id,
    };
    runnerAuthorizations = hostileAuthorizations(jwtSecret, attacker);
    runner = new FuzzRunner({
      baseUrl: t.api.baseUrl,
      authorizations: runnerAuthorizations,
      mustRefuse: new Set(
        Object.keys(runnerAuthorizations).filter((name) => !ACCEPTABLE_AUTHORIZATIONS.has(name)),
      ),
      forbiddenTexts: [victimMarker, victim.email],
      serverErrorOf: (requestId) => serverErrors.errorOf(requestId),
      timeoutMs: REQUEST_TIMEOUT_MS,
      concurrency: 4,
    });
    operations = listOperations((await t.api.request<OpenApiDocument>('GET', '/api/docs/openapi.json')).body);
    expect(operations.length).toBeGreaterThan(20);
    const generationStarted = Date.now();
    requests = generateRequests(t.app.get(GraphQLSchemaHost).schema);
    console.log(
      `generated ${Object.entries(requests)
        .map(([surface, list]) => `${surface} ${list.length}`)
        .join(', ')} ` + `requests in ${Date.now() - generationStarted} ms`,
    );
    sampler = startHealthSampler(`${t.api.baseUrl}/health/live`, {
      intervalMs: 20,
      slowMs: QUIET_HEALTH_P99_MS,
    });
  }, 120_000);

  afterAll(async () => {
    await sampler?.stop();
    await t?.close();
    jest.restoreAllMocks();
  });

  /** Tasks with due dates, tags, reminders and recurrence, and a conversation, all carrying `label`. */
  async function seedUserData(token: string, label: string) {
    const call = (method: string, path: string, body?: unknown) =>
      t.api.request(method, `/api/v1${path}`, { token, body });
    const tasks = await Promise.all([
      call('POST', '/tasks', {
        title: `${label} weekly`,
        description: `${label} details`,
        due: '2031-03-10T14:00:00+01:00',
        tags: [label, 'home'],
        priority: 'high',
        recurrence: { rrule: 'FREQ=WEEKLY;BYDAY=MO', from: 'due' },
        reminders: [{ before: 'PT1H' }, { at: '2031-03-09T08:00:00Z' }],
      }),
      call('POST', '/tasks', { title: `${label} all day`, due: '2030-01-06', tags: ['errands'] }),
      call('POST', '/tasks', { title: `${label} overdue`, due: '2020-01-06T09:00:00Z' }),
    ]);
    for (const task of tasks) expect(task).toMatchObject({ status: 201 });
    const chat = await call('POST', '/chat', { message: `add ${label} call tomorrow at 5pm #${label}` });
    expect(chat.status).toBe(200);
    return {
      taskRefs: tasks.flatMap(({ body }) => [body.id as string, String(body.number)]),
      reminderIds: tasks.flatMap(({ body }) => (body.reminders as Array<{ id: string }>).map((r) => r.id)),
      conversationIds: [chat.body.conversation_id as string],
    };
  }

  /**
   * Every request of every surface, generated up front: generation runs on the app's own thread and
   * would otherwise show up as event-loop stalls in the /health/live probes.
   */
  function generateRequests(graphqlSchema: GraphQLSchema): Record<string, FuzzRequest[]> {
    const ownRef = targets.ownTaskRefs[1] ?? '1';
    const authorizationNames = Object.keys(runnerAuthorizations);
    return {
      rest: interleave(
        operations.map((operation, index) => sample(operationRequests(operation, targets), index)),
      ),
      http: interleave(
        operations.map((operation) => [
          ...(operation.body ? malformedBodyRequests(operation, ownRef) : []),
          ...(operation.secured ? authorizationRequests(operation, ownRef, authorizationNames) : []),
        ]),
      ),
      graphql: [
        ...structuralRequests(),
        ...interleave(
          rootFields(graphqlSchema).map((field, index) =>
            sample(fieldRequests(field, targets), 1_000 + index),
          ),
        ),
      ],
      chat: sample(chatRequests(targets), 2_000, RUNS * 4),
      mcp: [
        ...mcpEnvelopeRequests(),
        ...interleave(
          TOOL_DEFINITIONS.map((tool, index) => sample(mcpToolCalls(tool, targets), 3_000 + index)),
        ),
      ],
    };
  }

  /** Each surface's share of the budget; what a surface leaves unused goes to the ones after it. */
  const BUDGET_SHARES: Record<string, number> = { rest: 0.3, http: 0.15, graphql: 0.3, chat: 0.1, mcp: 0.15 };
  let budgetLeft = BUDGET_MS;
  let sharesLeft = 1;

  /** Sends a surface's requests within its share of the budget; fails with the grouped report. */
  async function fuzz(surface: string) {
    const before = Date.now();
    const generated = requests[surface] ?? [];
    const share = BUDGET_SHARES[surface] ?? 0;
    // At least a twentieth of the budget, so a surface after an overrun one is still exercised.
    const sent = await runner.run(generated, Math.max((budgetLeft * share) / sharesLeft, BUDGET_MS / 20));
    budgetLeft -= Date.now() - before;
    sharesLeft -= share;
    const spans = runner.spans.filter((span) => span.request.surface === surface);
    const failures = runner.failuresOf(surface);
    const report = formatReport(surface, failures, sent);
    console.log(
      `${report}\n${surface}: sent ${sent} of ${generated.length} generated in ${Date.now() - before} ms, answered ` +
        [...(runner.statuses.get(surface) ?? new Map<number, number>()).entries()]
          .sort(([a], [b]) => a - b)
          .map(([status, count]) => `${status} ×${count}`)
          .join(', ') +
        `${sent < generated.length ? ' (budget spent: the machine is slow or the app stalls)' : ''}; slowest:\n` +
        formatSlowest(spans),
    );
    // The grouped report (each group with a request to replay) rather than a dump of raw objects.
    if (failures.length) throw new Error(report);
  }

  it.each([
    ['rest', 'REST: every operation of the OpenAPI document with hostile path, query and body'],
    ['http', 'HTTP: malformed JSON, wrong media types, oversized bodies and bad credentials on every route'],
    ['graphql', 'GraphQL: every query and mutation with hostile arguments, and hostile document shapes'],
    ['chat', 'chat: hostile messages, conversations, `now` and `time_zone`'],
    ['mcp', 'MCP: tools/call of every tool with hostile arguments, and hostile JSON-RPC envelopes'],
  ])('%s — %s', (surface) => fuzz(surface), TEST_TIMEOUT_MS);

  it(`kept /health/live under ${QUIET_HEALTH_P99_MS} ms p99 throughout (${BUSY_HEALTH_P99_MS} ms on a busy machine)`, async () => {
    const { slow, ...latency }: LatencySummary = await sampler.stop();
    const limit = healthP99Limit();
    const total = [...runner.sent.values()].reduce((sum, count) => sum + count, 0);
    const suspects = inFlightDuring(runner.spans, slow).slice(0, 15);
    console.log(
      `hostile-input: ${total} requests (${[...runner.sent.entries()].map(([s, n]) => `${s} ${n}`).join(', ')}) ` +
        `in ${Math.round((Date.now() - started) / 1000)} s; /health/live ${JSON.stringify(latency)}\n` +
        `${slow.length} probes ≥ ${QUIET_HEALTH_P99_MS} ms; requests in flight during them:\n` +
        suspects.map(([operation, count]) => `  ${count}\t${operation}`).join('\n'),
    );
    expect(latency.samples).toBeGreaterThan(100);
    expect({ errors: latency.errors, p99BelowLimit: latency.p99 < limit, latency }).toEqual({
      errors: 0,
      p99BelowLimit: true,
      latency,
    });
  });

  it('is still alive and both accounts are still readable on every surface', async () => {
    expect((await t.api.request('GET', '/health/ready')).status).toBe(200);
    for (const token of [attacker.token, victimToken]) {
      for (const path of ['/me', '/tasks?status=all&limit=100', '/activity', '/chat/conversations']) {
        const response = await t.api.request('GET', `/api/v1${path}`, { token });
        const error = serverErrors.errorOf(response.headers.get('x-request-id') ?? '');
        expect({ path, status: response.status, error }).toEqual({ path, status: 200, error: undefined });
      }
      const graphql = await t.api.graphql(
        '{ tasks(filter: {status: "all", limit: 100}) { items { id due reminders { fireAt } } } }',
        {},
        token,
      );
      expect(graphql.body.errors).toBeUndefined();
    }
    const victimTasks = await t.api.request('GET', '/api/v1/tasks?status=all', { token: victimToken });
    expect(victimTasks.body.items.map((task: { title: string }) => task.title).sort()).toEqual(
      expect.arrayContaining([
        `${victimMarker} all day`,
        `${victimMarker} overdue`,
        `${victimMarker} weekly`,
      ]),
    );
  });
});
