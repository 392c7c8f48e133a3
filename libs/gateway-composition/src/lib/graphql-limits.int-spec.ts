import { ChatModule } from '@todo/chat';
import { ChatApiModule } from '@todo/chat-api';
import { EventTransportModule } from '@todo/event-transport';
import { startTestApp, type TestApp } from '@todo/testing';
import type { Pool } from 'pg';
import { DataSource } from 'typeorm';
import { ALL_MIGRATIONS, GatewayModule } from './gateway.module';

const aliases = (count: number, field: string) =>
  `{ ${Array.from({ length: count }, (_, i) => `a${i}: ${field}`).join(' ')} }`;

const PAGE_OF_IDS = 'tasks(filter: { limit: 100 }) { items { id } }';

/** What one GraphQL request may ask for, with the default limits, against real PostgreSQL. */
describe('GraphQL limits (defaults)', () => {
  let t: TestApp;
  let ann: string;
  let bob: string;
  beforeAll(async () => {
    t = await startTestApp({
      imports: [EventTransportModule, GatewayModule, ChatApiModule.with(ChatModule)],
      migrations: ALL_MIGRATIONS,
    });
    ({ token: ann } = await t.api.register());
    ({ token: bob } = await t.api.register());
    for (let batch = 0; batch < 10; batch++)
      await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          t.api.request('POST', '/api/v1/tasks', {
            token: ann,
            body: { title: `Task ${batch * 10 + i}`, tags: ['work', 'home'], due: '2030-01-01' },
          }),
        ),
      );
    await t.api.request('POST', '/api/v1/tasks', { token: bob, body: { title: 'Bob’s task' } });
  });
  afterAll(() => t.close());

  it('refuses 1,000 aliases of tasks(limit: 100) with a 400 that names the limit', async () => {
    const response = await t.api.graphql(aliases(1000, PAGE_OF_IDS), {}, ann);
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ error: { status: 400, code: 'bad_request' } });
    expect((response.body as unknown as { error: { message: string } }).error.message).toMatch(
      /^The GraphQL document has \d+ characters; the limit is 10000$/,
    );
  });

  it('answers a query at the root-field limit and refuses one field more', async () => {
    const atLimit = await t.api.graphql(aliases(20, PAGE_OF_IDS), {}, ann);
    expect(atLimit.status).toBe(200);
    expect(atLimit.body.errors).toBeUndefined();
    expect(atLimit.body.data.a19.items).toHaveLength(100);

    const over = await t.api.graphql(aliases(21, PAGE_OF_IDS), {}, ann);
    expect(over.status).toBe(400);
    expect(errorMessage(over)).toBe(
      'The operation asks for 21 top-level fields (each alias counts); the limit is 20. Split it into several requests',
    );
  });

  it('refuses 400 aliases of conversation(id)', async () => {
    const field = `conversation(id: "${await startConversation(t, ann)}") { messages { content } }`;
    const response = await t.api.graphql(aliases(400, field), {}, ann);
    expect(response.status).toBe(400);
    expect(errorMessage(response)).toMatch(/the limit is 10000$/);
  });

  it('states the cost of an operation over the limit', async () => {
    const fullPage =
      'tasks(filter: { limit: 100 }) { items { id number title description status priority tags due overdue timeZone recurrence { rrule from } reminders { id before at fireAt state firedAt createdAt } version createdAt updatedAt completedAt } nextCursor }';
    const one = await t.api.graphql(`{ ${fullPage} }`, {}, ann);
    expect(one.status).toBe(200);
    expect(one.body.data.tasks.items).toHaveLength(100);
    const three = await t.api.graphql(aliases(3, fullPage), {}, ann);
    expect(three.status).toBe(400);
    const [, cost] = /estimated cost is (\d+); the limit is 50000\./.exec(errorMessage(three)) ?? [];
    expect(Number(cost)).toBeGreaterThan(50_000);
  });

  it('refuses batched operations and fragments that expand beyond counting', async () => {
    const batch = await t.api.request('POST', '/graphql', {
      token: ann,
      body: [{ query: '{ me { id } }' }, { query: '{ me { id } }' }],
    });
    expect(batch.status).toBe(400);

    // Each fragment spreads the previous one twice: 2^14 fields to count from a short document.
    const levels = Array.from({ length: 14 }, (_, i) => `fragment F${i + 1} on Task { ...F${i} ...F${i} }`);
    const bomb = `{ task(ref: "1") { ...F14 } } fragment F0 on Task { id } ${levels.join(' ')}`;
    const response = await t.api.graphql(bomb, {}, ann);
    expect(response.status).toBe(400);
    expect(errorMessage(response)).toMatch(/more than 10000 fields/);
  });

  it('keeps the pool for others: one request holds at most GRAPHQL_RESOLVER_CONCURRENCY connections', async () => {
    const pool = (t.app.get(DataSource).driver as unknown as { master: Pool }).master;
    // Under the cost limit (20 × 2,401), but 20 page queries of 100 tasks each.
    const expensive = aliases(20, 'tasks(filter: { limit: 100 }) { items { id title tags due } }');
    let looping = true;
    let rounds = 0;
    let mostInUse = 0;
    let mostWaiting = 0;
    const attacker = (async () => {
      while (looping) {
        const response = await t.api.graphql(expensive, {}, ann);
        expect(response.status).toBe(200);
        expect(response.body.errors).toBeUndefined();
        rounds++;
      }
    })();
    const sampler = setInterval(() => {
      mostInUse = Math.max(mostInUse, pool.totalCount - pool.idleCount);
      mostWaiting = Math.max(mostWaiting, pool.waitingCount);
    }, 1);
    const latencies: number[] = [];
    try {
      while (rounds < 3 || latencies.length < 20) {
        const started = performance.now();
        const list = await t.api.request('GET', '/api/v1/tasks?limit=10', { token: bob });
        latencies.push(performance.now() - started);
        expect(list.status).toBe(200);
        expect(list.body.items).toHaveLength(1);
      }
    } finally {
      looping = false;
      clearInterval(sampler);
      await attacker;
    }
    latencies.sort((a, b) => a - b);
    const median = latencies[latencies.length >> 1] ?? NaN;
    const worst = latencies.at(-1) ?? NaN;
    console.log(
      `REST under a GraphQL loop (${rounds} rounds): median ${median.toFixed(1)} ms, max ${worst.toFixed(1)} ms; pool in use at most ${mostInUse}, waiting at most ${mostWaiting}`,
    );
    // Without the per-request limit (measured with GRAPHQL_RESOLVER_CONCURRENCY=100): all 10
    // connections in use, 12 callers waiting, Bob's call 636 ms median and 1.4 s at worst.
    expect(worst).toBeLessThan(1_000);
    // Two resolvers of the looping request, Bob's call, and at most one of the app's own pollers.
    expect(mostInUse).toBeLessThanOrEqual(4);
    expect(mostWaiting).toBe(0);
  });
});

/** Limits set by the operator: longer documents allowed, a low cost limit. */
describe('GraphQL limits (configured)', () => {
  let t: TestApp;
  let token: string;
  beforeAll(async () => {
    t = await startTestApp({
      imports: [EventTransportModule, GatewayModule, ChatApiModule.with(ChatModule)],
      migrations: ALL_MIGRATIONS,
      env: { GRAPHQL_MAX_COST: '301', GRAPHQL_MAX_DOCUMENT_LENGTH: '100000' },
    });
    ({ token } = await t.api.register());
  });
  afterAll(() => t.close());

  it('answers an operation that costs exactly the limit and refuses one field more', async () => {
    // 1 (tasks) + 100 × (1 (items) + 2 fields) = 301
    const atLimit = await t.api.graphql(
      '{ tasks(filter: { limit: 100 }) { items { id title } } }',
      {},
      token,
    );
    expect(atLimit.status).toBe(200);
    expect(atLimit.body.errors).toBeUndefined();
    const over = await t.api.graphql(
      '{ tasks(filter: { limit: 100 }) { items { id title } nextCursor } }',
      {},
      token,
    );
    expect(over.status).toBe(400);
    expect(errorMessage(over)).toMatch(/^The operation's estimated cost is 401; the limit is 301\./);
  });

  it('counts a page size given in the variables', async () => {
    const query = 'query($filter: TaskFilter) { tasks(filter: $filter) { items { id title } } }';
    expect((await t.api.graphql(query, { filter: { limit: 100 } }, token)).status).toBe(200);
    const wider = 'query($filter: TaskFilter) { tasks(filter: $filter) { items { id title status } } }';
    expect((await t.api.graphql(wider, { filter: { limit: 50 } }, token)).status).toBe(200);
    const over = await t.api.graphql(wider, { filter: { limit: 100 } }, token);
    expect(over.status).toBe(400);
    expect(errorMessage(over)).toMatch(/estimated cost is 401; the limit is 301/);
  });

  it('refuses 1,000 aliases by their number and cost when the document length allows them', async () => {
    const response = await t.api.graphql(aliases(1000, PAGE_OF_IDS), {}, token);
    expect(response.status).toBe(400);
    expect(errorMessage(response)).toMatch(
      /^The operation asks for 1000 top-level fields \(each alias counts\); the limit is 20\. .*; The operation's estimated cost is 201000; the limit is 301\./,
    );
  });

  it('refuses 400 aliases of conversation(id) by their number', async () => {
    const field = `conversation(id: "${await startConversation(t, token)}") { messages { content } }`;
    const response = await t.api.graphql(aliases(400, field), {}, token);
    expect(response.status).toBe(400);
    expect(errorMessage(response)).toMatch(
      /^The operation asks for 400 top-level fields .* the limit is 20\./,
    );
  });
});

async function startConversation(t: TestApp, token: string): Promise<string> {
  const chat = await t.api.request('POST', '/api/v1/chat', { token, body: { message: 'list my tasks' } });
  expect(chat.status).toBe(200);
  return chat.body.conversation_id;
}

function errorMessage(response: { body: unknown }): string {
  return (response.body as { error: { message: string } }).error.message;
}
