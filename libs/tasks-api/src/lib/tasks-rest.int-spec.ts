import { ACCOUNTS_MIGRATIONS, AccountsModule } from '@todo/accounts';
import { TASKS_MIGRATIONS } from '@todo/tasks';
import { REMINDERS_MIGRATIONS } from '@todo/reminders';
import { EVENTS_MIGRATIONS } from '@todo/events';
import { TasksApiModule } from './tasks-api.module';
import { startTestApp, type TestApp } from '@todo/testing';

/** The tables of the modules this suite composes. */
const MIGRATIONS = [ACCOUNTS_MIGRATIONS, TASKS_MIGRATIONS, REMINDERS_MIGRATIONS, EVENTS_MIGRATIONS].flat();

describe('tasks over REST (real PostgreSQL)', () => {
  let t: TestApp;
  let token: string;
  beforeAll(async () => {
    t = await startTestApp({ imports: [AccountsModule, TasksApiModule], migrations: MIGRATIONS });
    ({ token } = await t.api.register({ time_zone: 'America/New_York' }));
  });
  afterAll(() => t.close());

  const call = (method: string, path: string, body?: unknown, as = token) =>
    t.api.request(method, `/api/v1${path}`, { body, token: as });

  it('creates, reads, updates, completes, reopens and deletes a task', async () => {
    const created = await call('POST', '/tasks', {
      title: '  Buy groceries ',
      description: 'milk, eggs',
      due: '2030-11-24T17:00:00-05:00',
      priority: 'p2',
      tags: ['#Home', 'home', 'Errands'],
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      title: 'Buy groceries',
      description: 'milk, eggs',
      status: 'pending',
      priority: 'high',
      tags: ['home', 'errands'],
      due: '2030-11-24T17:00:00-05:00',
      overdue: false,
      time_zone: 'America/New_York',
      version: 1,
      completed_at: null,
    });
    const { id, number } = created.body;

    expect((await call('GET', `/tasks/${id}`)).body.title).toBe('Buy groceries');
    expect((await call('GET', `/tasks/${number}`)).body.id).toBe(id);

    const updated = await call('PATCH', `/tasks/${number}`, {
      title: 'Buy food',
      due: '2030-11-25',
      description: null,
      version: 1,
    });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({
      title: 'Buy food',
      due: '2030-11-25',
      description: null,
      version: 2,
    });

    const completed = await call('POST', `/tasks/${id}/complete`);
    expect(completed.status).toBe(200);
    expect(completed.body).toMatchObject({ status: 'completed', version: 3 });
    expect(Date.parse(completed.body.completed_at)).toBeGreaterThan(Date.now() - 60_000);
    expect((await call('POST', `/tasks/${id}/complete`)).body.version).toBe(3); // idempotent

    const reopened = await call('POST', `/tasks/${id}/reopen`, { version: 3 });
    expect(reopened.body).toMatchObject({ status: 'pending', completed_at: null, version: 4 });

    expect((await call('DELETE', `/tasks/${id}?version=4`)).status).toBe(204);
    expect((await call('GET', `/tasks/${id}`)).status).toBe(404);
  });

  it("numbers each user's tasks 1, 2, 3… and never reuses a number", async () => {
    const { token: own } = await t.api.register();
    const first = await call('POST', '/tasks', { title: 'one' }, own);
    const second = await call('POST', '/tasks', { title: 'two' }, own);
    expect([first.body.number, second.body.number]).toEqual([1, 2]);
    await call('DELETE', '/tasks/2', undefined, own);
    expect((await call('POST', '/tasks', { title: 'three' }, own)).body.number).toBe(3);
  });

  it('stores all-day dates and recurrence, and knows when a task is overdue', async () => {
    const task = await call('POST', '/tasks', {
      title: 'Water plants',
      due: '2020-01-06',
      recurrence: { rrule: 'RRULE:freq=weekly;byday=mo', from: 'completion' },
    });
    expect(task.status).toBe(201);
    expect(task.body).toMatchObject({
      due: '2020-01-06',
      overdue: true,
      recurrence: { rrule: 'FREQ=WEEKLY;BYDAY=MO', from: 'completion' },
    });
    const cleared = await call('PATCH', `/tasks/${task.body.id}`, { recurrence: null });
    expect(cleared.body.recurrence).toBeNull();
    const noDue = await call('PATCH', `/tasks/${task.body.id}`, {
      due: null,
      recurrence: { rrule: 'FREQ=DAILY' },
    });
    expect(noDue.status).toBe(400);
    expect(noDue.body.error.message).toBe('due: a recurring task needs a due date');
  });

  it('answers 409 to a stale version on every mutation', async () => {
    const { body: task } = await call('POST', '/tasks', { title: 'Contested' });
    await call('PATCH', `/tasks/${task.id}`, { title: 'Changed elsewhere' });
    for (const [method, path, body] of [
      ['PATCH', `/tasks/${task.id}`, { title: 'Mine', version: 1 }],
      ['POST', `/tasks/${task.id}/complete`, { version: 1 }],
      ['POST', `/tasks/${task.id}/reopen`, { version: 1 }],
      ['DELETE', `/tasks/${task.id}?version=1`, undefined],
    ] as const) {
      const response = await call(method, path, body);
      expect({ method, path, status: response.status }).toEqual({ method, path, status: 409 });
      expect(response.body.error.message).toMatch(/current version is 2/);
    }
    expect((await call('GET', `/tasks/${task.id}`)).body.title).toBe('Changed elsewhere');
  });

  it("hides one user's tasks from another on every operation (404, nothing changed)", async () => {
    const { body: task } = await call('POST', '/tasks', { title: 'Private' });
    const { token: intruder } = await t.api.register();
    for (const ref of [task.id, String(task.number)]) {
      for (const [method, path, body] of [
        ['GET', `/tasks/${ref}`, undefined],
        ['PATCH', `/tasks/${ref}`, { title: 'hacked' }],
        ['POST', `/tasks/${ref}/complete`, undefined],
        ['POST', `/tasks/${ref}/reopen`, undefined],
        ['DELETE', `/tasks/${ref}`, undefined],
      ] as const) {
        const response = await call(method, path, body, intruder);
        expect({ method, path, status: response.status }).toEqual({ method, path, status: 404 });
      }
    }
    await call('POST', '/tasks', { title: 'Intruder task' }, intruder);
    const list = await call('GET', '/tasks?status=all', undefined, intruder);
    expect(list.body.items.map((item: { title: string }) => item.title)).toEqual(['Intruder task']);
    expect((await call('GET', `/tasks/${task.id}`)).body).toMatchObject({
      title: 'Private',
      status: 'pending',
      version: 1,
    });
  });

  describe('rejects bad input with a 400 that names the problem', () => {
    it.each([
      ['wrong type', { title: 42 }, 'title: must be text'],
      ['empty title', { title: '   ' }, 'title: must not be empty'],
      ['too long title', { title: 'x'.repeat(501) }, 'title: must be at most 500 characters'],
      ['unknown field', { title: 'ok', owner_id: 'someone-else' }, 'unknown field: owner_id'],
      [
        'bad priority',
        { title: 'ok', priority: 'p9' },
        'priority: must be one of none, low, medium, high, urgent (or p1–p4)',
      ],
      ['bad due', { title: 'ok', due: 'next tuesday' }, 'due: must be a date'],
      ['due without offset', { title: 'ok', due: '2030-01-01T10:00' }, 'due: must be a date'],
      ['impossible date', { title: 'ok', due: '2030-02-30' }, 'due: must be a date'],
      [
        'bad RRULE',
        { title: 'ok', due: '2030-01-01', recurrence: { rrule: 'FREQ=SOMETIMES' } },
        'recurrence.rrule: invalid value for FREQ',
      ],
      [
        'bad recurrence base',
        { title: 'ok', due: '2030-01-01', recurrence: { rrule: 'FREQ=DAILY', from: 'whenever' } },
        'recurrence.from: must be',
      ],
      [
        'too many tags',
        { title: 'ok', tags: Array.from({ length: 21 }, (_, i) => `t${i}`) },
        'tags: must have at most 20 tags',
      ],
      ['bad tag', { title: 'ok', tags: ['no spaces allowed'] }, 'tags.0: may contain letters'],
      ['array body', [{ title: 'ok' }], 'expected object'],
    ])('%s', async (_case, body, message) => {
      const response = await call('POST', '/tasks', body);
      expect(response.status).toBe(400);
      expect(response.body.error.code).toBe('validation_failed');
      expect(response.body.error.message).toContain(message);
    });

    it('malformed JSON, a huge body, a bad reference, a bad query, an empty patch', async () => {
      const malformed = await t.api.request('POST', '/api/v1/tasks', { rawBody: '{"title": ', token });
      expect(malformed.status).toBe(400);
      expect(malformed.body.error.message).toBe('The request body is not valid JSON');
      const huge = await call('POST', '/tasks', { title: 'x', description: 'y'.repeat(300 * 1024) });
      expect(huge.status).toBe(413);
      expect(huge.body.error.code).toBe('payload_too_large');
      const ref = await call('GET', '/tasks/first-one');
      expect(ref.status).toBe(400);
      expect(ref.body.error.message).toMatch(/id: must be a task number/);
      const query = await call('GET', '/tasks?limit=1000&sort=fun');
      expect(query.status).toBe(400);
      expect(query.body.error.details.map((d: { path: string }) => d.path)).toEqual(['sort', 'limit']);
      const empty = await call('PATCH', '/tasks/1', {});
      expect(empty.status).toBe(400);
      const text = await t.api.request('POST', '/api/v1/tasks', {
        rawBody: 'title=x',
        token,
        headers: { 'content-type': 'text/plain' },
      });
      expect(text.status).toBe(415);
    });
  });

  it('sends security headers, a request id and serves the OpenAPI document', async () => {
    const response = await call('GET', '/tasks');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('x-request-id')).toMatch(/^[\w-]{8,}/);
    const docs = await t.api.request('GET', '/api/docs/openapi.json');
    expect(docs.status).toBe(200);
    expect(Object.keys(docs.body.paths)).toEqual(
      expect.arrayContaining(['/api/v1/tasks', '/api/v1/tasks/{ref}', '/api/v1/auth/login']),
    );
    const metrics = await t.api.request('GET', '/metrics');
    expect(metrics.body).toContain('http_request_duration_seconds_bucket');
    expect((await t.api.request('GET', '/health/ready')).body.status).toBe('ok');
  });
});
