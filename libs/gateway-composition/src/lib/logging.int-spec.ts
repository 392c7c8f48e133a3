/**
 * What the app writes to its log, read line by line as JSON: who logs (the service name on every
 * line), what is never logged (credentials and personal data of a failing statement), and how a
 * client hanging up is told apart from a server fault.
 */
import { LogLines, startTestApp, type TestApp, waitFor } from '@todo/testing';
import { randomBytes } from 'node:crypto';
import { connect } from 'node:net';
import { Client } from 'pg';
import { ALL_MIGRATIONS, GatewayModule } from './gateway.module';

describe('application log', () => {
  const logs = new LogLines();
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({
      imports: [GatewayModule],
      migrations: ALL_MIGRATIONS,
      service: 'gateway',
      env: { LOG_LEVEL: 'info' },
      logs,
    });
  });
  afterAll(() => t?.close());

  const sql = async (statement: string) => {
    const client = new Client({ connectionString: t.databaseUrl });
    await client.connect();
    try {
      await client.query(statement);
    } finally {
      await client.end();
    }
  };

  it('names the service on every line, the start-up lines included', async () => {
    await t.api.request('GET', '/api/v1/tasks');
    await waitFor(() => logs.entries.some((entry) => entry['msg'] === 'request completed'), 'a request line');
    expect(logs.entries.length).toBeGreaterThan(1);
    for (const entry of logs.entries) expect(entry).toMatchObject({ service: 'gateway' });
  });

  it('logs a failed registration without the email, the password or its hash', async () => {
    // The statement fails with PostgreSQL's DETAIL echoing the new row (email and scrypt hash), as a
    // check or unique violation does, and TypeORM keeps the bound parameters on its error.
    await sql(`
      CREATE FUNCTION refuse_new_users() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'registrations are closed' USING DETAIL = 'Failing row contains ' || NEW::text; END $$;
      CREATE TRIGGER refuse_new_users BEFORE INSERT ON users FOR EACH ROW EXECUTE FUNCTION refuse_new_users();`);
    try {
      const email = `secret.${randomBytes(4).toString('hex')}@example.com`;
      const password = `hunter-${randomBytes(6).toString('hex')}`;
      const refused = await t.api.request('POST', '/api/v1/auth/register', { body: { email, password } });
      expect(refused.status).toBe(500);

      await waitFor(() => logs.text.includes('registrations are closed'), 'the database error in the log');
      const failure = logs.entries.find((entry) => entry['msg'] === 'registrations are closed');
      expect(failure).toMatchObject({
        level: 50,
        err: expect.objectContaining({ query: expect.any(String) }),
      });
      expect(logs.text).not.toContain(email);
      expect(logs.text).not.toContain(password);
      expect(logs.text).not.toContain('scrypt$');
      expect(logs.text).not.toContain('Failing row');
    } finally {
      await sql('DROP TRIGGER refuse_new_users ON users; DROP FUNCTION refuse_new_users();');
    }
  });

  it('logs a client that hangs up mid-request as info, with a clear message, and no error', async () => {
    const { port } = new URL(await t.app.getUrl());
    const errorsBefore = logs.entries.filter((entry) => Number(entry['level']) >= 50).length;
    await new Promise<void>((resolve, reject) => {
      const socket = connect(Number(port), '127.0.0.1', () => {
        socket.write(
          'POST /api/v1/auth/register HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n' +
            'X-Request-Id: hangs-up\r\nContent-Length: 1000\r\n\r\n{"email":',
        );
        setTimeout(() => socket.destroy(), 100);
      });
      socket.on('close', () => resolve());
      socket.on('error', reject);
    });
    const lineOf = () =>
      logs.entries.find((entry) => (entry['req'] as { id?: string } | undefined)?.id === 'hangs-up');
    await waitFor(() => Boolean(lineOf()), 'the aborted request in the log');
    expect(lineOf()).toMatchObject({
      level: 30,
      msg: 'client closed the connection before the response was complete',
    });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(logs.entries.filter((entry) => Number(entry['level']) >= 50).slice(errorsBefore)).toEqual([]);
  });
});
