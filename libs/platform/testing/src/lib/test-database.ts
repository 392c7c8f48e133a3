import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

/**
 * A fresh, empty database for one test suite on the run's PostgreSQL server (TEST_DATABASE_URL,
 * started by the Jest global setup). Suites never share data; `drop` removes it afterwards.
 */
export async function createTestDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const serverUrl = process.env['TEST_DATABASE_URL'];
  if (!serverUrl)
    throw new Error(
      'TEST_DATABASE_URL is not set: integration suites are named *.int-spec.ts so the Jest global setup starts PostgreSQL',
    );
  const name = `test_${randomBytes(6).toString('hex')}`;
  await adminQuery(serverUrl, `CREATE DATABASE ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => adminQuery(serverUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}

async function adminQuery(serverUrl: string, sql: string): Promise<void> {
  const client = new Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
