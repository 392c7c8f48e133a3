import { ACCOUNTS_MIGRATIONS, AccountsModule } from '@todo/accounts';
import { TASKS_MIGRATIONS } from '@todo/tasks';
import { REMINDERS_MIGRATIONS } from '@todo/reminders';
import { EVENTS_MIGRATIONS } from '@todo/events';
import { GraphqlServerModule } from '@todo/graphql';
import { TASK_LIST_SIZES, TasksApiModule } from './tasks-api.module';
import { startTestApp, type TestApp } from '@todo/testing';

/** The tables of the modules this suite composes. */
const MIGRATIONS = [ACCOUNTS_MIGRATIONS, TASKS_MIGRATIONS, REMINDERS_MIGRATIONS, EVENTS_MIGRATIONS].flat();

const TASK_FIELDS =
  'id number title description status priority tags due overdue version recurrence { rrule from } completedAt';

describe('tasks over GraphQL (real PostgreSQL)', () => {
  let t: TestApp;
  let token: string;
  beforeAll(async () => {
    t = await startTestApp({
      imports: [GraphqlServerModule.forRoot(TASK_LIST_SIZES), AccountsModule, TasksApiModule],
      migrations: MIGRATIONS,
    });
    ({ token } = await t.api.register({ time_zone: 'Europe/Berlin' }));
  });
  afterAll(() => t.close());

  const gql = (query: string, variables: Record<string, unknown> = {}, as = token) =>
    t.api.graphql(query, variables, as);

  it('runs the whole task lifecycle', async () => {
    const created = await gql(
      `mutation($input: CreateTaskInput!) { createTask(input: $input) { ${TASK_FIELDS} } }`,
      {
        input: {
          title: 'Write report',
          priority: 'p1',
          tags: ['Work'],
          due: '2030-06-01T09:00:00+02:00',
          recurrence: { rrule: 'FREQ=MONTHLY;BYDAY=3TH' },
        },
      },
    );
    expect(created.body.errors).toBeUndefined();
    const task = created.body.data.createTask;
    expect(task).toMatchObject({
      number: 1,
      title: 'Write report',
      priority: 'urgent',
      tags: ['work'],
      due: '2030-06-01T09:00:00+02:00',
      status: 'pending',
      version: 1,
      recurrence: { rrule: 'FREQ=MONTHLY;BYDAY=+3TH', from: 'due' },
    });

    const byNumber = await gql(`{ task(ref: "1") { id title } }`);
    expect(byNumber.body.data.task).toEqual({ id: task.id, title: 'Write report' });

    const updated = await gql(
      `mutation { updateTask(ref: "${task.id}", input: { title: "Write the report", description: "Q3", version: 1 }) { title description version } }`,
    );
    expect(updated.body.data.updateTask).toEqual({
      title: 'Write the report',
      description: 'Q3',
      version: 2,
    });

    const stale = await gql(`mutation { updateTask(ref: "1", input: { title: "x", version: 1 }) { title } }`);
    expect(stale.body.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', status: 409 });

    const completed = await gql(`mutation { completeTask(ref: "1") { status completedAt version } }`);
    expect(completed.body.data.completeTask).toMatchObject({ status: 'completed', version: 3 });
    const reopened = await gql(`mutation { reopenTask(ref: "1", version: 3) { status completedAt } }`);
    expect(reopened.body.data.reopenTask).toEqual({ status: 'pending', completedAt: null });

    const page = await gql(
      `query($filter: TaskFilter) { tasks(filter: $filter) { items { title } nextCursor } }`,
      {
        filter: {
          q: 'repo',
          tags: ['work'],
          tagMatch: 'any',
          dueFrom: '2030-06-01',
          dueTo: '2030-06-01',
          status: 'pending',
          sort: 'due',
          limit: 10,
        },
      },
    );
    expect(page.body.data.tasks).toEqual({ items: [{ title: 'Write the report' }], nextCursor: null });

    const deleted = await gql(`mutation { deleteTask(ref: "1") { title } }`);
    expect(deleted.body.data.deleteTask.title).toBe('Write the report');
    const gone = await gql(`{ task(ref: "1") { title } }`);
    expect(gone.body.errors?.[0]?.extensions).toMatchObject({ code: 'NOT_FOUND', status: 404 });
  });

  it('creates a task with its reminders in one mutation, as REST does', async () => {
    const created = await gql(
      `mutation { createTask(input: { title: "Dentist", due: "2030-06-02T14:00:00+02:00",
         reminders: [{ before: "PT1H" }, { at: "2030-06-01T18:00:00Z" }] }) { reminders { before at fireAt state } } }`,
    );
    expect(created.body.errors).toBeUndefined();
    expect(created.body.data.createTask.reminders).toEqual([
      { before: 'PT1H', at: null, fireAt: '2030-06-02T11:00:00.000Z', state: 'scheduled' },
      {
        before: null,
        at: '2030-06-01T18:00:00.000Z',
        fireAt: '2030-06-01T18:00:00.000Z',
        state: 'scheduled',
      },
    ]);
  });

  it("hides another user's task on every operation", async () => {
    const mine = (await gql(`mutation { createTask(input: { title: "Secret plan" }) { id } }`)).body.data
      .createTask;
    const { token: intruder } = await t.api.register();
    for (const operation of [
      `{ task(ref: "${mine.id}") { title } }`,
      `mutation { updateTask(ref: "${mine.id}", input: { title: "mine now" }) { title } }`,
      `mutation { completeTask(ref: "${mine.id}") { title } }`,
      `mutation { reopenTask(ref: "${mine.id}") { title } }`,
      `mutation { deleteTask(ref: "${mine.id}") { title } }`,
    ]) {
      const response = await gql(operation, {}, intruder);
      expect({ operation, code: response.body.errors?.[0]?.extensions.code }).toEqual({
        operation,
        code: 'NOT_FOUND',
      });
    }
    const list = await gql(`{ tasks(filter: { status: "all" }) { items { id } } }`, {}, intruder);
    expect(list.body.data.tasks.items).toEqual([]);
    expect((await gql(`{ task(ref: "${mine.id}") { title } }`)).body.data.task.title).toBe('Secret plan');
  });

  it('reports invalid input as VALIDATION_FAILED with camelCase field paths, and bad documents as 400', async () => {
    const invalid = await gql(`mutation { createTask(input: { title: "", due: "soon" }) { id } }`);
    expect(invalid.status).toBe(200);
    expect(invalid.body.errors?.[0]?.extensions).toMatchObject({ code: 'VALIDATION_FAILED', status: 400 });
    expect(invalid.body.errors?.[0]?.message).toMatch(/^title: must not be empty; due: must be a date/);

    const filter = await gql(`{ tasks(filter: { tagMatch: "some", limit: 0 }) { items { id } } }`);
    expect(filter.body.errors?.[0]?.message).toMatch(
      /tagMatch: must be all or any; limit: must be at least 1/,
    );

    const unknownField = await gql(
      `mutation { createTask(input: { title: "x", ownerId: "someone" }) { id } }`,
    );
    expect(unknownField.status).toBe(400);
    expect((unknownField.body as unknown as { error: object }).error).toMatchObject({
      code: 'bad_request',
      message: expect.stringMatching(/Field "ownerId" is not defined/),
    });

    const wrongType = await gql(`mutation { createTask(input: { title: 5 }) { id } }`);
    expect(wrongType.status).toBe(400);

    const syntax = await gql(`{ tasks(`);
    expect(syntax.status).toBe(400);

    // Text that is JSON rather than GraphQL (mercurius would take it as a pre-parsed document).
    for (const query of [42, '{}', '{"kind":"Document","definitions":{}}']) {
      const json = await t.api.request('POST', '/graphql', { body: { query }, token });
      expect({ query, status: json.status }).toEqual({ query, status: 400 });
      expect(json.body.error.message).toMatch(/^query must be a GraphQL document/);
    }
  });
});
