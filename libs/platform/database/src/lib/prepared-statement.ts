import { createHash } from 'node:crypto';
import type { Pool, QueryResult } from 'pg';
import { DataSource, type EntityManager, QueryFailedError } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';

/**
 * Runs a statement as a node-postgres named prepared statement: each pooled connection has
 * PostgreSQL parse and plan it once, later executions only bind and run. For the hot statements of
 * the request path (see the README's performance notes for what it saves). The name is derived from
 * the text, so it is stable across calls and processes, and two different texts never share a name
 * (node-postgres rejects a name reused for another text). Only for statements whose text comes from
 * a bounded set of shapes: every distinct text stays prepared on every connection.
 *
 * Outside a transaction (`db` is the DataSource or its manager) the statement goes to the pool
 * directly: TypeORM would wrap it in a QueryRunner of its own (created, connected, broadcast to
 * subscribers, released) for nothing. The answer and the errors are TypeORM's: the rows (for an
 * UPDATE or DELETE, `[rows, rowCount]`), a failure as a QueryFailedError.
 */
export async function queryPrepared<T = unknown>(
  db: DataSource | EntityManager,
  text: string,
  values: readonly unknown[],
): Promise<T> {
  const statement = namedStatement(text);
  // TypeORM hands the query to node-postgres as it is, and node-postgres takes `{ name, text }`.
  if (db instanceof DataSource || !db.queryRunner)
    return asTypeOrmResult(await onPool(poolOf(db), statement, values)) as T;
  return db.query(statement as unknown as string, values as unknown[]);
}

const names = new Map<string, string>();

/** A node-postgres query config that prepares `text` under a name derived from it (see {@link queryPrepared}). */
export function namedStatement(text: string): { name: string; text: string } {
  // The texts are a bounded set (see queryPrepared), so their names are kept: a hash per call costs
  // more than a lookup.
  let name = names.get(text);
  if (name === undefined) {
    name = `todo_${createHash('sha1').update(text).digest('hex')}`;
    names.set(text, name);
  }
  return { name, text };
}

function poolOf(db: DataSource | EntityManager): Pool {
  const dataSource = db instanceof DataSource ? db : db.connection;
  return (dataSource.driver as PostgresDriver).master as Pool;
}

/**
 * One statement on a pooled connection, released as TypeORM releases it: kept after a failed
 * statement (pg-pool's own `query` would close it, and its prepared statements with it), closed
 * after a connection error.
 */
async function onPool(
  pool: Pool,
  statement: { name: string; text: string },
  values: readonly unknown[],
): Promise<QueryResult> {
  const client = await pool.connect();
  let released = false;
  const release = (connectionError?: Error) => {
    if (released) return;
    released = true;
    client.removeListener('error', release);
    client.release(connectionError);
  };
  client.on('error', release);
  try {
    return await client.query({ ...statement, values: values as unknown[] });
  } catch (error) {
    throw new QueryFailedError(statement.text, values as unknown[], error as Error);
  } finally {
    release();
  }
}

/** What TypeORM's PostgreSQL query runner answers for a result (its `query` without a structured result). */
function asTypeOrmResult(result: QueryResult): unknown {
  return result.command === 'UPDATE' || result.command === 'DELETE'
    ? [result.rows, result.rowCount]
    : result.rows;
}
