import { ChatModule, McpModule } from '@todo/chat';
import { ChatApiModule } from '@todo/chat-api';
import { EventTransportModule } from '@todo/event-transport';
import { startTestApp, type TestApp } from '@todo/testing';
import { createHmac, randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { ALL_MIGRATIONS, GatewayModule } from './gateway.module';

const OUT_OF_RANGE = 'must be between 1970-01-01 and 9999-12-31';
const NUL = 'must not contain NUL characters';
const SURROGATE = 'must be well-formed Unicode';

/**
 * No input may poison stored data (real PostgreSQL, every surface): times outside 1970–9999, text
 * PostgreSQL cannot store, forged cursors and odd tokens are a clear 4xx; and a row that already holds a
 * bad time stays readable and deletable until the migration repairs it.
 */
describe('poisoned input', () => {
  const jwtSecret = randomBytes(32).toString('hex');
  let t: TestApp;
  let token: string;
  let userId: string;
  let sql: DataSource;
  beforeAll(async () => {
    t = await startTestApp({
      imports: [EventTransportModule, GatewayModule, ChatApiModule.with(ChatModule), McpModule],
      migrations: ALL_MIGRATIONS,
      jwtSecret,
    });
    const registered = await t.api.register({ time_zone: 'Europe/Berlin' });
    ({ token } = registered);
    userId = registered.user.id;
    sql = t.app.get(DataSource);
  });
  afterAll(() => t.close());

  const call = (method: string, path: string, body?: unknown, as = token) =>
    t.api.request(method, `/api/v1${path}`, { body, token: as });
  const graphql = (query: string, variables: Record<string, unknown> = {}) =>
    t.api.graphql(query, variables, token);
  const mcpTool = async (name: string, args: Record<string, unknown>) => {
    const response = await t.api.request('POST', '/mcp', {
      body: { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name, arguments: args } },
      headers: { accept: 'application/json, text/event-stream' },
      token,
    });
    expect(response.status).toBe(200);
    return response.body.result as { isError?: boolean; content: Array<{ text: string }> };
  };
  const expect400 = (response: { status: number; body: { error: { message: string } } }, message: string) => {
    expect(response.status).toBe(400);
    expect(response.body.error.message).toContain(message);
  };
  const expectGraphql400 = (
    response: { body: { errors?: Array<{ message: string; extensions: { status: number } }> } },
    message: string,
  ) => {
    expect(response.body.errors?.[0]?.extensions.status).toBe(400);
    expect(response.body.errors?.[0]?.message).toContain(message);
  };

  describe('times outside 1970–9999 and impossible times', () => {
    it('refuses the year-0 reminder that once locked its owner out, on REST, GraphQL and MCP', async () => {
      const task = await call('POST', '/tasks', { title: 'Renew passport', due: '2030-01-01T10:00:00Z' });
      const poison = { at: '0001-01-01T00:00:00+14:00', allow_past: true };
      expect400(await call('POST', `/tasks/${task.body.number}/reminders`, poison), `at: ${OUT_OF_RANGE}`);
      expectGraphql400(
        await graphql(
          `mutation($ref: String!) { addReminder(ref: $ref, input: { at: "${poison.at}" }) { id } }`,
          {
            ref: String(task.body.number),
          },
        ),
        `at: ${OUT_OF_RANGE}`,
      );
      const viaMcp = await mcpTool('set_reminder', {
        task: { number: task.body.number },
        at: '0001-01-01T00:00',
      });
      expect(viaMcp.isError).toBe(true);
      expect(viaMcp.content[0].text).toContain(OUT_OF_RANGE);
      // Nothing was stored: the owner's tasks read as before.
      expect((await call('GET', `/tasks/${task.body.id}`)).body.reminders).toEqual([]);
      expect((await call('GET', '/tasks')).status).toBe(200);
    });

    it('bounds due times, due-range filters and the wall times of chat and interpret', async () => {
      for (const due of [
        '0001-01-01',
        '0001-01-01T00:00:00+14:00',
        '9999-12-31T23:00:00-14:00',
        '10000-01-01',
      ])
        expect((await call('POST', '/tasks', { title: 'Too far', due })).status).toBe(400);
      expect400(
        await call('POST', '/tasks', { title: 'Too far', due: '1969-12-31T23:59:59Z' }),
        `due: ${OUT_OF_RANGE}`,
      );
      expectGraphql400(
        await graphql(`
          mutation {
            createTask(input: { title: "Too far", due: "0001-01-01" }) {
              id
            }
          }
        `),
        `due: ${OUT_OF_RANGE}`,
      );
      expect400(await call('GET', '/tasks?due_from=0000-01-01'), `due_from: ${OUT_OF_RANGE}`);
      expect400(await call('GET', '/tasks?due_to=0000-01-01T00:00:00Z'), `due_to: ${OUT_OF_RANGE}`);
      expectGraphql400(
        await graphql(`
          {
            tasks(filter: { dueFrom: "0001-01-01" }) {
              items {
                id
              }
            }
          }
        `),
        `dueFrom: ${OUT_OF_RANGE}`,
      );
      expect400(
        await call('POST', '/chat/interpret', { message: 'add call mum tomorrow', now: '0001-01-01T09:00' }),
        `now: ${OUT_OF_RANGE}`,
      );
      const viaMcp = await mcpTool('add_task', { title: 'Too far', due: '0001-01-01' });
      expect(viaMcp.isError).toBe(true);
      expect(viaMcp.content[0].text).toContain(OUT_OF_RANGE);

      // 1970-01-01 begins in 1969 for a user ahead of UTC: refused with the reason, not stored.
      const { token: tokyo } = await t.api.register({ time_zone: 'Asia/Tokyo' });
      const early = await call('POST', '/tasks', { title: 'Epoch', due: '1970-01-01' }, tokyo);
      expect400(early, 'begins outside that range in Asia/Tokyo');
      expect((await call('POST', '/tasks', { title: 'Epoch', due: '1970-01-02' }, tokyo)).status).toBe(201);
    });

    it('refuses hour 24 and offsets of 24 hours instead of reading them as another day', async () => {
      for (const due of ['2030-01-01T24:00:00Z', '2030-01-01T10:00:00+24:00', '2030-01-01T10:00:00-24:00'])
        expect400(await call('POST', '/tasks', { title: 'Midnight', due }), 'due: must be a date');
    });

    it('keeps a computed reminder time storable: a long offset before a 1970 due fires at 1970-01-01', async () => {
      const task = await call('POST', '/tasks', {
        title: 'Old times',
        due: '1970-01-02T00:00:00Z',
        reminders: [{ before: 'P7D', allow_past: true }],
      });
      expect(task.status).toBe(201);
      expect(task.body.reminders[0].fire_at).toBe('1970-01-01T00:00:00.000Z');
    });
  });

  describe('a row that already holds an out-of-range time (stored before the constraints)', () => {
    const constraintsOf = async () =>
      (
        await sql.query(
          `SELECT conname FROM pg_constraint WHERE conname IN
             ('tasks_due_at_storable', 'reminders_at_storable', 'reminders_fire_at_storable') ORDER BY conname`,
        )
      ).map((row: { conname: string }) => row.conname);

    it('stays listable, readable, editable and deletable on every surface; the migration repairs it', async () => {
      // The database as it was before the migration: no constraints, and poisoned rows.
      await sql.query(`ALTER TABLE tasks DROP CONSTRAINT tasks_due_at_storable`);
      await sql.query(
        `ALTER TABLE reminders DROP CONSTRAINT reminders_at_storable, DROP CONSTRAINT reminders_fire_at_storable`,
      );
      const poisoned = await call('POST', '/tasks', {
        title: 'Poisoned',
        due: '2030-01-01T10:00:00Z',
        reminders: [{ at: '2029-12-31T10:00:00Z' }],
      });
      const kept = await call('POST', '/tasks', {
        title: 'Kept for the repair',
        due: '2030-01-01T10:00:00Z',
        reminders: [{ at: '2029-12-31T10:00:00Z' }],
      });
      await sql.query(
        `UPDATE reminders SET at = '0001-01-01T00:00:00+14:00', fire_at = '0001-01-01T00:00:00+14:00'
         WHERE task_id = ANY($1)`,
        [[poisoned.body.id, kept.body.id]],
      );
      await sql.query(
        `UPDATE tasks SET due_at = '20000-01-01T00:00:00Z', overdue_at = '20000-01-01T00:00:00Z' WHERE id = $1`,
        [poisoned.body.id],
      );
      await sql.query(
        `UPDATE tasks SET due_at = '0001-01-01T00:00:00Z BC', overdue_at = '0001-01-01T00:00:00Z BC' WHERE id = $1`,
        [kept.body.id],
      );

      const listed = await call('GET', '/tasks');
      expect(listed.status).toBe(200);
      const shown = listed.body.items.find((item: { id: string }) => item.id === poisoned.body.id);
      // Read as the nearest storable moments (9999-12-31T23:59:59.999Z is already the next year in Berlin).
      expect(shown.due).toBe('+010000-01-01T00:59:59.999+01:00');
      expect(shown.reminders[0].at).toBe('1970-01-01T00:00:00.000Z');
      expect((await call('GET', `/tasks/${poisoned.body.id}`)).status).toBe(200);
      const gql = await graphql(`
        {
          tasks {
            items {
              id
              due
              reminders {
                at
                fireAt
              }
            }
          }
        }
      `);
      expect(gql.body.errors).toBeUndefined();
      expect(gql.body.data.tasks.items.map((item: { id: string }) => item.id)).toContain(poisoned.body.id);
      const chat = await call('POST', '/chat', { message: 'show my tasks' });
      expect(chat.status).toBe(200);
      expect(chat.body.tool_calls[0].result.status).toBe('done');
      expect((await mcpTool('list_tasks', {})).isError).toBeFalsy();

      const renamed = await call('PATCH', `/tasks/${poisoned.body.id}`, { title: 'Poisoned, renamed' });
      expect(renamed.status).toBe(200);
      expect((await call('POST', `/tasks/${poisoned.body.id}/complete`)).status).toBe(200);
      const reminderId = shown.reminders[0].id;
      expect((await call('DELETE', `/tasks/${poisoned.body.id}/reminders/${reminderId}`)).status).toBe(204);
      expect((await call('DELETE', `/tasks/${poisoned.body.id}`)).status).toBe(204);

      // The migration moves what is left into range, then adds the constraints back.
      const repairs = ALL_MIGRATIONS.filter((migration) => /^Storable/.test(migration.name));
      expect(repairs).toHaveLength(2);
      const runner = sql.createQueryRunner();
      try {
        for (const Migration of repairs) await new Migration().up(runner);
      } finally {
        await runner.release();
      }
      expect(await constraintsOf()).toEqual([
        'reminders_at_storable',
        'reminders_fire_at_storable',
        'tasks_due_at_storable',
      ]);
      const repaired = (await call('GET', `/tasks/${kept.body.id}`)).body;
      expect(repaired.due).toBe('1970-01-01T01:00:00+01:00');
      expect(repaired.reminders[0]).toMatchObject({
        at: '1970-01-01T00:00:00.000Z',
        fire_at: '1970-01-01T00:00:00.000Z',
      });
      const [row] = await sql.query(`SELECT due_at, overdue_at FROM tasks WHERE id = $1`, [kept.body.id]);
      expect(row.due_at).toEqual(new Date('1970-01-01T00:00:00Z'));
      expect(row.overdue_at).toEqual(new Date('1970-01-01T00:00:00Z'));
      await expect(
        sql.query(`UPDATE tasks SET due_at = '0001-01-01T00:00:00Z' WHERE id = $1`, [kept.body.id]),
      ).rejects.toMatchObject({ driverError: { code: '23514' } });
    });
  });

  describe('text PostgreSQL cannot store', () => {
    it('is a 400 naming the field, in any field of any surface', async () => {
      expect400(await call('POST', '/tasks', { title: 'Buy\u0000milk' }), `title: ${NUL}`);
      expect400(
        await call('POST', '/tasks', { title: 'Buy milk', description: 'a\ud800' }),
        `description: ${SURROGATE}`,
      );
      expect400(
        await call('POST', '/tasks', { title: 'Buy milk', tags: ['ok', 'bad\u0000'] }),
        `tags.1: ${NUL}`,
      );
      const task = await call('POST', '/tasks', { title: 'Buy milk' });
      expect400(await call('PATCH', `/tasks/${task.body.id}`, { title: '\udc00' }), `title: ${SURROGATE}`);
      expect400(await call('GET', `/tasks?q=${encodeURIComponent('milk\u0000')}`), `q: ${NUL}`);
      expect400(await call('PATCH', '/me', { name: 'Ann\u0000' }), `name: ${NUL}`);
      expect400(
        await t.api.request('POST', '/api/v1/auth/register', {
          body: { email: 'nul\u0000@example.com', password: 'correct horse battery' },
        }),
        `email: ${NUL}`,
      );
      expect400(await call('POST', '/chat', { message: 'add milk\u0000' }), `message: ${NUL}`);
      expect400(await call('POST', '/chat', { message: 'add milk \ud83e' }), `message: ${SURROGATE}`);
      expect400(
        await call('POST', '/chat/interpret', { message: '\ud800 tomorrow' }),
        `message: ${SURROGATE}`,
      );
      expectGraphql400(
        await graphql(
          `
            mutation ($title: String!) {
              createTask(input: { title: $title }) {
                id
              }
            }
          `,
          {
            title: 'a\u0000b',
          },
        ),
        `title: ${NUL}`,
      );
      const viaMcp = await mcpTool('add_task', { title: 'Buy\u0000milk' });
      expect(viaMcp.isError).toBe(true);
      expect(viaMcp.content[0].text).toContain(`title: ${NUL}`);
      // Nothing half-stored: one task, the valid one, and no conversation.
      const titles = (await call('GET', '/tasks?q=milk')).body.items.map(
        (item: { title: string }) => item.title,
      );
      expect(titles).toEqual(['Buy milk']);
      const conversations = (await call('GET', '/chat/conversations')).body.items;
      expect(conversations.map((item: { title: string }) => item.title)).not.toContainEqual(
        expect.stringContaining('milk'),
      );
    });
  });

  describe('cursors and ids of a valid shape but bad values', () => {
    const forged = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

    it('are a 400, never a database error', async () => {
      const task = await call('POST', '/tasks', { title: 'Page me' });
      for (const cursor of [
        forged(['due', 'asc', 'yesterday', '00000000-0000-0000-0000-000000000000']),
        forged(['due', 'asc', '2030-02-30 10:00:00+00', '00000000-0000-0000-0000-000000000000']),
        forged(['due', 'asc', 'infinity', '------------------------------------']),
      ])
        expect400(
          await call('GET', `/tasks?cursor=${cursor}`),
          'cursor: is not a cursor from a previous page',
        );
      expect400(
        await call('GET', `/tasks?sort=title&cursor=${forged(['title', 'asc', 'a\u0000', task.body.id])}`),
        'cursor: is not a cursor',
      );
      expectGraphql400(
        await graphql(
          `
            query ($cursor: String) {
              tasks(filter: { cursor: $cursor }) {
                items {
                  id
                }
              }
            }
          `,
          {
            cursor: forged(['due', 'asc', '0000-01-01 00:00:00+00', task.body.id]),
          },
        ),
        'cursor: is not a cursor',
      );
      for (const cursor of [forged([Date.now(), '99999999999999999999']), forged([-62135596800000, '1'])]) {
        expect400(
          await call('GET', `/tasks/${task.body.id}/history?cursor=${cursor}`),
          'cursor: is not a cursor',
        );
        expect400(await call('GET', `/activity?cursor=${cursor}`), 'cursor: is not a cursor');
      }
      expect((await call('GET', `/chat/conversations/ffffffff-ffff-ffff-ffff-ffffffffffff`)).status).toBe(
        404,
      );
      expect400(await call('GET', `/chat/conversations/${'-'.repeat(36)}`), 'id: must be a conversation id');
    });
  });

  describe('tokens', () => {
    const sign = (claims: Record<string, unknown>) => {
      const encode = (part: unknown) => Buffer.from(JSON.stringify(part)).toString('base64url');
      const unsigned = `${encode({ alg: 'HS256', typ: 'JWT' })}.${encode(claims)}`;
      return `${unsigned}.${createHmac('sha256', jwtSecret).update(unsigned).digest('base64url')}`;
    };
    const inAnHour = () => Math.floor(Date.now() / 1000) + 3600;

    it('are refused with a 401 when they never expire or do not name a user id', async () => {
      // Signed with the right key, so only the claims decide.
      expect((await call('GET', '/me', undefined, sign({ sub: userId, exp: inAnHour() }))).status).toBe(200);
      for (const claims of [
        { sub: userId },
        { sub: 'admin', exp: inAnHour() },
        { sub: 42, exp: inAnHour() },
      ]) {
        const refused = await call('GET', '/tasks', undefined, sign(claims));
        expect(refused.status).toBe(401);
        expect(refused.body.error.code).toBe('unauthorized');
        const viaGraphql = await t.api.graphql('{ me { id } }', {}, sign(claims));
        expect(viaGraphql.body.errors?.[0]?.extensions.status).toBe(401);
      }
    });
  });
});
