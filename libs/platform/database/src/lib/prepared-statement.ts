import { createHash } from 'node:crypto';
import type { EntityManager } from 'typeorm';

/**
 * Runs a statement as a node-postgres named prepared statement: each pooled connection has
 * PostgreSQL parse and plan it once, later executions only bind and run. For the hot statements of
 * the request path (see the README's performance notes for what it saves). The name is derived from
 * the text, so it is stable across calls and processes, and two different texts never share a name
 * (node-postgres rejects a name reused for another text). Only for statements whose text comes from
 * a bounded set of shapes: every distinct text stays prepared on every connection.
 */
export function queryPrepared<T = unknown>(
  db: Pick<EntityManager, 'query'>,
  text: string,
  values: readonly unknown[],
): Promise<T> {
  // TypeORM hands the query to node-postgres as it is, and node-postgres takes `{ name, text }`.
  return db.query(namedStatement(text) as unknown as string, values as unknown[]);
}

/** A node-postgres query config that prepares `text` under a name derived from it (see {@link queryPrepared}). */
export function namedStatement(text: string): { name: string; text: string } {
  return { name: `todo_${createHash('sha1').update(text).digest('hex')}`, text };
}
