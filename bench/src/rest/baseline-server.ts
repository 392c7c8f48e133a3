import { buildListQuery, TASK_COLUMNS, taskQuerySchema } from '@todo/tasks';
import jwt from 'jsonwebtoken';
import { createSecretKey, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Pool, type PoolClient } from 'pg';

/**
 * The baseline of the REST scenario: a bare `node:http` + `pg` server answering the mixed-CRUD
 * routes with the same SQL statements the app runs (token check, the account lookup once per user
 * as the app caches it, the task statements, outbox rows and NOTIFY in the same transaction) and nothing else: no framework,
 * validation, mapping, logging, metrics, nor the event relay and consumers behind the outbox.
 * Started by the bench as `main.js --baseline-server` in its own process.
 */
export async function serveBaseline(env: NodeJS.ProcessEnv): Promise<void> {
  const pool = new Pool({
    connectionString: env['DATABASE_URL'],
    max: Number(env['DATABASE_POOL_SIZE'] ?? 10),
  });
  const key = createSecretKey(Buffer.from(env['JWT_SECRET'] as string));
  const listSql = (userId: string) => buildListQuery(userId, 'UTC', taskQuerySchema.parse({ limit: '20' }));

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

    if (request.method === 'POST' && !number) return send(response, 201, await create(pool, userId, body));
    if (request.method === 'GET' && !number) {
      const sql = listSql(userId);
      return send(response, 200, { items: (await pool.query(sql.text, sql.values)).rows.slice(0, 20) });
    }
    if (request.method === 'GET') {
      const { rows } = await pool.query(
        `SELECT ${TASK_COLUMNS} FROM tasks t WHERE t.owner_id = $1 AND t.number = $2`,
        [userId, number],
      );
      return rows[0] ? send(response, 200, rows[0]) : send(response, 404, { message: 'not found' });
    }
    const change =
      request.method === 'PATCH'
        ? { sets: 'title = $2', value: String(body.title) }
        : action
          ? { sets: 'status = $2, completed_at = now()', value: 'completed' }
          : null;
    if (!change) return send(response, 404, { message: 'no such route' });
    const task = await inTransaction(pool, async (tx) => {
      const [current] = (
        await tx.query(
          `SELECT ${TASK_COLUMNS} FROM tasks t WHERE t.owner_id = $1 AND t.number = $2 FOR UPDATE`,
          [userId, number],
        )
      ).rows;
      if (!current) return null;
      const [updated] = (
        await tx.query(
          `UPDATE tasks AS t SET ${change.sets}, version = t.version + 1, updated_at = now()
           WHERE t.id = $1 RETURNING ${TASK_COLUMNS}`,
          [current.id, change.value],
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
