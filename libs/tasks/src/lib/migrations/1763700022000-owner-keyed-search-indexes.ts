import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Prefix search ("gro" → groceries) is a GIN partial match, and a partial match collects every
 * matching row of the whole table into a bitmap before the owner's rows are picked from it: at a
 * million tasks (100 users) "groceries:*" gathered ~80,000 rows to answer one user's 800, 10–30 ms.
 * Here every word is indexed under its owner ("<owner id>/groceries"), so the owner's prefix range
 * of words holds only that owner's rows (0.5 ms). The keys carry no positions or weights: they only
 * find candidates (a superset of the matches); `search` still decides the match and the rank
 * (task-list-query.ts).
 *
 * A tsvector silently corrupts a lexeme longer than 2,047 bytes, so a word too long to fit beside
 * the owner id is keyed by its first 500 characters (≤ 2,000 bytes), and so is every query word:
 * a word that starts with the query word still starts with its key.
 *
 * Tags get the same treatment ("<owner id>/work"): an exact key, but the index of all users' tags
 * made PostgreSQL walk the whole "work" posting list beside the owner's (2–5 ms at a million).
 * There the keys match exactly what the tags match, so they replace the tag condition.
 */
export class OwnerKeyedSearchIndexes1763700022000 implements MigrationInterface {
  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE FUNCTION task_search_keys(owner_id uuid, search tsvector) RETURNS tsvector
        LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
        RETURN array_to_tsvector(ARRAY(
          SELECT owner_id::text || '/' ||
                 CASE WHEN octet_length(lexeme) <= 2000 THEN lexeme ELSE left(lexeme, 500) END
          FROM unnest(tsvector_to_array(search)) AS lexeme))`);
    // Every lexeme of the search words as an owner-keyed prefix, all ANDed (in tsquery's quoting).
    await db.query(`
      CREATE FUNCTION task_search_keys_query(owner_id uuid, words tsvector) RETURNS tsquery
        LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
        RETURN (SELECT string_agg(format('''%s/%s'':*', owner_id,
                                         replace(replace(left(lexeme, 500), '\\', '\\\\'), '''', '''''')), ' & ')
                FROM unnest(tsvector_to_array(words)) AS lexeme)::tsquery`);
    await db.query(
      `CREATE INDEX tasks_owner_search_keys_idx ON tasks USING gin (owner_id, task_search_keys(owner_id, search))`,
    );
    await db.query(`
      CREATE FUNCTION task_tag_keys(owner_id uuid, tags text[]) RETURNS text[]
        LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
        RETURN ARRAY(SELECT owner_id::text || '/' || tag FROM unnest(tags) AS tag)`);
    await db.query(
      `CREATE INDEX tasks_owner_tag_keys_idx ON tasks USING gin (owner_id, task_tag_keys(owner_id, tags))`,
    );
    await db.query(`DROP INDEX tasks_owner_search_idx, tasks_owner_tags_idx`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`CREATE INDEX tasks_owner_search_idx ON tasks USING gin (owner_id, search)`);
    await db.query(`CREATE INDEX tasks_owner_tags_idx ON tasks USING gin (owner_id, tags)`);
    await db.query(`DROP INDEX tasks_owner_search_keys_idx, tasks_owner_tag_keys_idx`);
    await db.query(
      `DROP FUNCTION task_search_keys_query(uuid, tsvector), task_search_keys(uuid, tsvector), task_tag_keys(uuid, text[])`,
    );
  }
}
