import { SIGNED_IN_TASK_API } from '@todo/integration-testing';
import { AuditLogModule, AUDIT_MIGRATIONS, AuditApiModule } from './audit.module';
import { EventTransportModule, startEventConsumers } from '@todo/event-transport';
import { startTestApp, type TestApp } from '@todo/testing';

/** Polls until `check` passes (events are asynchronous) or the deadline throws its last failure. */
async function eventually<T>(read: () => Promise<T>, check: (value: T) => void, withinMs = 1000): Promise<T> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    const value = await read();
    try {
      check(value);
      return value;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}

describe('task history and activity (outbox → memory transport → audit log, real PostgreSQL)', () => {
  let t: TestApp;
  let token: string;
  let ownerId: string;
  let otherToken: string;
  beforeAll(async () => {
    t = await startTestApp({
      slices: [SIGNED_IN_TASK_API],
      imports: [EventTransportModule, AuditApiModule, AuditLogModule],
      migrations: AUDIT_MIGRATIONS,
      beforeListen: startEventConsumers,
    });
    const owner = await t.api.register();
    ({ token } = owner);
    ownerId = owner.user.id;
    ({ token: otherToken } = await t.api.register());
  });
  afterAll(() => t.close());

  const call = (method: string, path: string, body?: unknown, as = token) =>
    t.api.request(method, `/api/v1${path}`, { body, token: as });

  it('records create, update, complete, reopen and delete as five entries, readable within a second', async () => {
    const created = await call('POST', '/tasks', { title: 'Dentist', tags: ['health'] });
    const { id, number } = created.body;
    await call('PATCH', `/tasks/${id}`, { title: 'Dentist appointment', priority: 'high' });
    await call('POST', `/tasks/${id}/complete`);
    await call('POST', `/tasks/${id}/reopen`);
    const deleted = await call('DELETE', `/tasks/${id}`);
    expect(deleted.status).toBeLessThan(300);

    const history = await eventually(
      () => call('GET', `/tasks/${id}/history`),
      (response) => expect(response.body.items).toHaveLength(5),
    );
    expect(history.status).toBe(200);
    expect(history.body.items.map((entry: { action: string }) => entry.action)).toEqual([
      'created',
      'updated',
      'completed',
      'reopened',
      'deleted',
    ]);
    const [first, update, complete, , removal] = history.body.items;
    expect(first).toMatchObject({ task_id: id, task_number: number, before: null, changes: {} });
    expect(first.after).toMatchObject({ title: 'Dentist', version: 1 });
    expect(first.actor).toEqual({ type: 'user', id: ownerId });
    expect(update.changes).toEqual({
      title: { from: 'Dentist', to: 'Dentist appointment' },
      priority: { from: 'none', to: 'high' },
    });
    expect(complete.changes.status).toEqual({ from: 'pending', to: 'completed' });
    expect(removal).toMatchObject({
      after: null,
      before: { title: 'Dentist appointment', status: 'pending' },
    });

    // The same history by number, after deletion, and over GraphQL.
    expect((await call('GET', `/tasks/${number}/history`)).body.items).toHaveLength(5);
    const graphql = await t.api.graphql(
      `query($ref: String!) { taskHistory(ref: $ref) { items { action title taskNumber changes { field from to } } nextCursor } }`,
      { ref: String(number) },
      token,
    );
    expect(graphql.body.errors).toBeUndefined();
    expect(graphql.body.data.taskHistory.items.map((entry: { action: string }) => entry.action)).toEqual([
      'created',
      'updated',
      'completed',
      'reopened',
      'deleted',
    ]);
    expect(graphql.body.data.taskHistory.items[1].changes).toContainEqual({
      field: 'title',
      from: '"Dentist"',
      to: '"Dentist appointment"',
    });
  });

  it('shows history only to the owner', async () => {
    const { body: task } = await call('POST', '/tasks', { title: 'Private' });
    await eventually(
      () => call('GET', `/tasks/${task.id}/history`),
      (response) => expect(response.body.items).toHaveLength(1),
    );
    const stranger = await call('GET', `/tasks/${task.id}/history`, undefined, otherToken);
    expect(stranger.status).toBe(404);
    const strangerGraphql = await t.api.graphql(
      `query($ref: String!) { taskHistory(ref: $ref) { items { action } } }`,
      { ref: task.id },
      otherToken,
    );
    expect(strangerGraphql.body.errors?.[0].extensions.code).toBe('NOT_FOUND');
    const feed = await call('GET', '/activity', undefined, otherToken);
    expect(feed.body.items.some((entry: { task_id: string }) => entry.task_id === task.id)).toBe(false);
    expect((await t.api.request('GET', '/api/v1/activity')).status).toBe(401);
  });

  it('pages the activity feed newest first', async () => {
    const { token: fresh } = await t.api.register();
    for (const title of ['one', 'two', 'three', 'four', 'five'])
      await call('POST', '/tasks', { title }, fresh);
    await eventually(
      () => call('GET', '/activity?limit=100', undefined, fresh),
      (response) => expect(response.body.items).toHaveLength(5),
    );
    const titles: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: { items: Array<{ after: { title: string } }>; next_cursor: string | null } } =
        await call('GET', `/activity?limit=2${cursor ? `&cursor=${cursor}` : ''}`, undefined, fresh);
      titles.push(...page.body.items.map((entry) => entry.after.title));
      cursor = page.body.next_cursor;
    } while (cursor);
    expect(titles).toEqual(['five', 'four', 'three', 'two', 'one']);

    const graphql = await t.api.graphql(
      `{ activity(limit: 2) { items { title action } nextCursor } }`,
      {},
      fresh,
    );
    expect(graphql.body.data.activity.items).toEqual([
      { title: 'five', action: 'created' },
      { title: 'four', action: 'created' },
    ]);
    expect(graphql.body.data.activity.nextCursor).toEqual(expect.any(String));
  });

  it('rejects bad paging input and unknown tasks with a clear 4xx', async () => {
    const badCursor = await call('GET', '/activity?cursor=bogus');
    expect(badCursor.status).toBe(400);
    expect(JSON.stringify(badCursor.body)).toContain('is not a cursor returned by a previous page');
    expect((await call('GET', '/activity?limit=1000')).status).toBe(400);
    expect((await call('GET', '/activity?since=yesterday')).status).toBe(400);
    expect((await call('GET', '/tasks/999999/history')).status).toBe(404);
    expect((await call('GET', '/tasks/not-a-ref/history')).status).toBe(400);
  });
});
