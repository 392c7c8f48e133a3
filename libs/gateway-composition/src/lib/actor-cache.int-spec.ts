import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { startTestApp, type TestApp, waitFor } from '@todo/testing';
import { DataSource } from 'typeorm';
import { ALL_MIGRATIONS, GatewayModule } from './gateway.module';

// June 1 in UTC, Berlin and New York; June 2 in Tokyo and Kolkata.
const DUE = '2030-06-01T20:00:00Z';

/**
 * Each process keeps who a token's subject is in memory. Two apps share one database and signing
 * key, as gateway replicas do; changes made through one, or by hand in SQL, must reach the other.
 */
describe('cached accounts behind the bearer token (two processes, real PostgreSQL)', () => {
  let a: TestApp;
  let b: TestApp;
  let sql: DataSource;
  beforeAll(async () => {
    const jwtSecret = randomBytes(32).toString('hex');
    a = await startTestApp({ imports: [GatewayModule], migrations: ALL_MIGRATIONS, jwtSecret });
    b = await startTestApp({
      imports: [GatewayModule],
      migrations: ALL_MIGRATIONS,
      jwtSecret,
      databaseUrl: a.databaseUrl,
    });
    sql = a.app.get(DataSource);
  });
  afterAll(async () => {
    await b.close();
    await a.close();
  });

  /** Date ranges are read in the caller's zone, which comes from the (cached) actor. */
  async function onJune2(app: TestApp, token: string): Promise<boolean> {
    const list = await app.api.request('GET', '/api/v1/tasks?due_from=2030-06-02&due_to=2030-06-02', {
      token,
    });
    expect(list.status).toBe(200);
    return list.body.items.length === 1;
  }

  async function cachedUser(timeZone: string) {
    const { token, user } = await a.api.register({ time_zone: timeZone });
    const task = await a.api.request('POST', '/api/v1/tasks', {
      token,
      body: { title: 'Dentist', due: DUE },
    });
    expect(task.status).toBe(201);
    expect(await onJune2(a, token)).toBe(false);
    expect(await onJune2(b, token)).toBe(false);
    return { token, userId: user.id as string };
  }

  it('applies a time zone change to the next request on this process and soon on the other', async () => {
    const { token } = await cachedUser('Europe/Berlin');
    const patched = await a.api.request('PATCH', '/api/v1/me', { token, body: { time_zone: 'Asia/Tokyo' } });
    expect(patched.status).toBe(200);
    expect(await onJune2(a, token)).toBe(true);
    await waitFor(async () => onJune2(b, token), 'the other process to hear of the change', 2_000);
  });

  it('hears of changes made by hand in SQL, including deletion (tokens stop working)', async () => {
    const { token, userId } = await cachedUser('UTC');
    await sql.query(`UPDATE users SET time_zone = 'Asia/Tokyo' WHERE id = $1`, [userId]);
    await waitFor(async () => onJune2(a, token), 'the zone changed in SQL to apply', 2_000);
    await sql.query(`DELETE FROM users WHERE id = $1`, [userId]); // tasks go with it
    for (const app of [a, b])
      await waitFor(
        async () => (await app.api.request('GET', '/api/v1/tasks', { token })).status === 401,
        'the deleted account to be refused',
        2_000,
      );
  });

  it('reads the database while it cannot hear changes, and forgets everything once it can again', async () => {
    const { token, userId } = await cachedUser('UTC');
    await sql.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
        WHERE datname = current_database() AND query = 'LISTEN "accounts_changed"'`,
    );
    await sleep(500); // the apps see their LISTEN connections drop; they reconnect after a second
    await sql.query(`UPDATE users SET time_zone = 'Asia/Kolkata' WHERE id = $1`, [userId]); // heard by nobody
    expect(await onJune2(a, token)).toBe(true);
    await sleep(1_500);
    expect(await onJune2(a, token)).toBe(true); // cached again
    await sql.query(`UPDATE users SET time_zone = 'America/New_York' WHERE id = $1`, [userId]); // heard again
    await waitFor(async () => !(await onJune2(a, token)), 'the change to be heard after reconnecting', 2_000);
  });
});
