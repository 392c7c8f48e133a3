import { namedStatement } from '@todo/database';
import { buildListQuery, TASK_COLUMNS, taskQuerySchema } from '@todo/tasks';
import jwt from 'jsonwebtoken';
import { createSecretKey, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Pool, type PoolClient } from 'pg';

/**
 * The baselines of the REST scenario: a bare `node:http` + `pg` server answering the mixed-CRUD
 * routes with the SQL statements the app runs (token check, the account lookup once per user as the
 * app caches it, the task statements and outbox rows) and nothing else: no framework, validation,
 * mapping, logging, metrics, nor the event relay and consumers behind the outbox.
 * `BASELINE_SQL=before-issue-19` runs the statements the app ran before issue 19 (a transaction per
 * mutation: counter, row, outbox rows and NOTIFY each a round trip, a locking read before a change),
 * so the ratio against it stays comparable across runs; `current` runs what the app runs now (a
 * create in one statement; a change as a read, then one statement guarded by the version; the reads
 * and writes as named prepared statements; no NOTIFY, as the standalone app wakes its relay in memory).
 * Started by the bench as `main.js --baseline-server` in its own process.
 */
export async function serveBaseline(env: NodeJS.ProcessEnv): Promise<void> {
  const pool = new Pool({
    connectionString: env['DATABASE_URL'],
    max: Number(env['DATABASE_POOL_SIZE'] ?? 10),
  });
  const key = createSecretKey(Buffer.from(env['JWT_SECRET'] as string));
  const current = env['BASELINE_SQL'] === 'current';
  /** A read as the app runs it: prepared now, not before issue 19. */
  const run = (statement: Statement) =>
    current ? prepared(pool, statement) : pool.query(statement.text, statement.values);

  const knownUsers = new Set<string>();
  const exists = async (userId: string) => {
    if (knownUsers.has(userId)) return true;
    const found = await pool.query(`SELECT id, time_zone FROM users WHERE id = $1 LIMIT 1`, [userId]);
    if (found.rowCount === 1) knownUsers.add(userId);
    return found.rowCount === 1;
  };

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const claims = jwt.verify((request.headers.authorization ?? '').slice(7), key, { algorithms: ['HS256'] });
    const userId = (claims as { sub: string }).sub;
    if (!(await exists(userId))) return send(response, 401, { message: 'unknown account' });
    const url = new URL(request.url ?? '/', 'http://baseline');
    const [, number, action] = /^\/api\/v1\/tasks(?:\/(\d+))?(\/complete)?$/.exec(url.pathname) ?? [];
    const body = request.method === 'GET' ? {} : JSON.parse((await readBody(request)) || '{}');

    if (request.method === 'POST' && !number)
      return send(response, 201, await (current ? createInOneStatement : create)(pool, userId, body));
    if (request.method === 'GET' && !number) {
      return send(response, 200, { items: (await run(currentStatements.list(userId))).rows.slice(0, 20) });
    }
    if (request.method === 'GET') {
      const { rows } = await run(currentStatements.find(userId, number));
      return rows[0] ? send(response, 200, rows[0]) : send(response, 404, { message: 'not found' });
    }
    const change =
      request.method === 'PATCH'
        ? { sets: 'title = $2', value: String(body.title) }
        : action
          ? { sets: 'status = $2, completed_at = now()', value: 'completed' }
          : null;
    if (!change) return send(response, 404, { message: 'no such route' });
    const task = current
      ? await changeInOneStatement(pool, userId, number, change)
      : await inTransaction(pool, async (tx) => {
          const [found] = (
            await tx.query(
              `SELECT ${TASK_COLUMNS} FROM tasks t WHERE t.owner_id = $1 AND t.number = $2 FOR UPDATE`,
              [userId, number],
            )
          ).rows;
          if (!found) return null;
          const [updated] = (
            await tx.query(
              `UPDATE tasks AS t SET ${change.sets}, version = t.version + 1, updated_at = now()
               WHERE t.id = $1 RETURNING ${TASK_COLUMNS}`,
              [found.id, change.value],
            )
          ).rows;
          await appendEvents(tx, userId, updated);
          return updated;
        });
    return task ? send(response, 200, task) : send(response, 404, { message: 'not found' });
  };

  const server = createServer((request, response) => {
    handle(request, response).catch((error: Error) => {
      const status = error.name === 'JsonWebTokenError' || error.name === 'TokenExpiredError' ? 401 : 500;
      if (!response.headersSent) send(response, status, { message: error.message });
    });
  });
  server.keepAliveTimeout = 72_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  console.log(`baseline running at http://127.0.0.1:${port}`);
  const stop = () => server.close(() => pool.end().then(() => process.exit(0)));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

async function create(pool: Pool, userId: string, body: Record<string, unknown>) {
  return inTransaction(pool, async (tx) => {
    const [{ last_number }] = (
      await tx.query(
        `INSERT INTO task_counters AS c (owner_id, last_number) VALUES ($1, 1)
         ON CONFLICT (owner_id) DO UPDATE SET last_number = c.last_number + 1 RETURNING last_number`,
        [userId],
      )
    ).rows;
    const due = typeof body['due'] === 'string' ? body['due'] : null;
    const [task] = (
      await tx.query(
        `INSERT INTO tasks AS t (id, owner_id, number, title, description, priority, tags, due_at, due_all_day,
                                 overdue_at, time_zone, recurrence_rule, recurrence_from, series_id, series_position)
         VALUES ($1, $2, $3, $4, NULL, $5, $6, $7, false, $7, 'UTC', NULL, NULL, NULL, NULL)
         ON CONFLICT (series_id, series_position) DO NOTHING RETURNING ${TASK_COLUMNS}`,
        [randomUUID(), userId, last_number, String(body['title']), 3, body['tags'] ?? [], due],
      )
    ).rows;
    await appendEvents(tx, userId, task);
    return task;
  });
}

const FIND_TASK = `SELECT ${TASK_COLUMNS} FROM tasks t WHERE t.owner_id = $1 AND t.number = $2`;

interface Statement {
  text: string;
  values: unknown[];
}

/**
 * The app's statements now, as text and parameters: the baseline runs them prepared, as the app does;
 * the bench also times them unprepared (`measurePreparedStatements`).
 */
export const currentStatements = {
  find: (userId: string, number: string | number): Statement => ({
    text: FIND_TASK,
    values: [userId, number],
  }),
  list: (userId: string): Statement => {
    const { text, values } = buildListQuery(userId, 'UTC', taskQuerySchema.parse({ limit: '20' }));
    return { text, values };
  },
  /** Counter, row and outbox rows (with the assigned number) in one statement. */
  create: (userId: string, body: Record<string, unknown>): Statement => {
    const id = randomUUID();
    return {
      text: `WITH counter AS (
         INSERT INTO task_counters AS c (owner_id, last_number) VALUES ($2, 1)
         ON CONFLICT (owner_id) DO UPDATE SET last_number = c.last_number + 1 RETURNING last_number
       ), created AS (
         INSERT INTO tasks AS t (id, owner_id, number, title, description, priority, tags, due_at, due_all_day,
                                 overdue_at, time_zone, recurrence_rule, recurrence_from, series_id, series_position,
                                 created_at, updated_at)
         SELECT $1, $2, counter.last_number, $3, NULL, $4, $5, $6, false, $6, 'UTC', NULL, NULL, NULL, NULL, $7, $7
         FROM counter RETURNING ${TASK_COLUMNS}
       ), appended AS (${OUTBOX_ROWS('created', 8)})
       SELECT created.* FROM created`,
      values: [
        id,
        userId,
        String(body['title']),
        3,
        body['tags'] ?? [],
        typeof body['due'] === 'string' ? body['due'] : null,
        new Date(),
        ...eventValues(userId, id, body),
      ],
    };
  },
  /** The row (guarded by the version read) and outbox rows in one statement. */
  change: (
    userId: string,
    found: { id: string; version: number },
    change: { sets: string; value: string },
  ): Statement => ({
    text: `WITH changed AS (
         UPDATE tasks AS t SET ${change.sets}, version = t.version + 1, updated_at = $4
         WHERE t.id = $1 AND t.version = $3 RETURNING ${TASK_COLUMNS}
       ), appended AS (${OUTBOX_ROWS('changed', 5)})
       SELECT changed.* FROM changed`,
    values: [found.id, change.value, found.version, new Date(), ...eventValues(userId, found.id, found)],
  }),
};

const prepared = (pool: Pool, { text, values }: Statement) => pool.query({ ...namedStatement(text), values });

/** The app's create now: one prepared statement. */
async function createInOneStatement(pool: Pool, userId: string, body: Record<string, unknown>) {
  return (await prepared(pool, currentStatements.create(userId, body))).rows[0];
}

/** The app's change now: a read, then one statement guarded by the version; both prepared. */
async function changeInOneStatement(
  pool: Pool,
  userId: string,
  number: string,
  change: { sets: string; value: string },
) {
  const [found] = (await prepared(pool, currentStatements.find(userId, number))).rows;
  if (!found) return null;
  return (await prepared(pool, currentStatements.change(userId, found, change))).rows[0];
}

/** Two outbox rows per row of `relation`, from the parameters {@link eventValues} gives, starting at `$first`. */
const OUTBOX_ROWS = (relation: string, first: number) =>
  `INSERT INTO outbox (event_id, topic, partition_key, event)
   SELECT e.event_id, 'task-events', e.partition_key, e.event FROM ${relation},
     (VALUES ($${first}::uuid, $${first + 2}::text, $${first + 3}::jsonb), ($${first + 1}::uuid, $${first + 2}::text, $${first + 4}::jsonb))
     AS e(event_id, partition_key, event)`;

/** Event parameters as the app sends them: built before the statement, with a snapshot of the task. */
const eventValues = (userId: string, taskId: string, task: Record<string, unknown>) => {
  const event = () =>
    JSON.stringify({
      id: randomUUID(),
      time: new Date().toISOString(),
      data: { user_id: userId, task: { id: taskId, ...task } },
    });
  return [randomUUID(), randomUUID(), taskId, event(), event()];
};

/** Two events per change, as the app writes (`task.<action>` and `task.changed`). */
async function appendEvents(tx: PoolClient, userId: string, task: { id: string }) {
  const event = () =>
    JSON.stringify({ id: randomUUID(), time: new Date().toISOString(), data: { user_id: userId, task } });
  const [first, second] = [randomUUID(), randomUUID()];
  await tx.query(
    `INSERT INTO outbox (event_id, topic, partition_key, event) VALUES ($1, 'task-events', $2, $3::jsonb), ($4, 'task-events', $2, $5::jsonb)`,
    [first, task.id, event(), second, event()],
  );
  await tx.query(`SELECT pg_notify('outbox_events', '')`);
}

async function inTransaction<T>(pool: Pool, work: (tx: PoolClient) => Promise<T>): Promise<T> {
  const tx = await pool.connect();
  try {
    await tx.query('START TRANSACTION');
    const result = await work(tx);
    await tx.query('COMMIT');
    return result;
  } catch (error) {
    await tx.query('ROLLBACK');
    throw error;
  } finally {
    tx.release();
  }
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => (text += chunk));
    request.on('end', () => resolve(text));
    request.on('error', reject);
  });
}

function send(response: ServerResponse, status: number, body: unknown) {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
  });
  response.end(text);
}
