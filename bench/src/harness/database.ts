import { Client } from 'pg';

/** One short-lived connection for `work` (the bench's own queries, beside the app's pool). */
export async function withClient<T>(databaseUrl: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client(databaseUrl);
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
