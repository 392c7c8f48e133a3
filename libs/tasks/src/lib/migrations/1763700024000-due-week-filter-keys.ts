import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Tags and a short due range together ("work" due in the next four weeks) were answered from the
 * tag keys alone: PostgreSQL read every task of the owner with the tag (1,200 of 10,000 for "work")
 * to keep the ~150 in the range. The tag index's keys now also hold the task's due week
 * ("<owner id>#<week>", weeks of 7 days since the Unix epoch, UTC): the range's weeks are one more
 * key condition on the same index, so one index scan keeps only the tagged tasks due in those weeks
 * (~180 rows read for ~150 kept). The due range itself is still checked on the rows.
 *
 * `#` cannot follow the owner id in a tag key (`<owner id>/<tag>`), so the two never collide. The
 * owner stays the index's first column: the owner condition is then part of the same index scan,
 * not a second index ANDed with it.
 */
export class DueWeekFilterKeys1763700024000 implements MigrationInterface {
  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE FUNCTION task_due_week(due_at timestamptz) RETURNS integer
        LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
        RETURN floor(extract(epoch FROM due_at AT TIME ZONE 'UTC') / 604800)::integer`);
    await db.query(`
      CREATE FUNCTION task_filter_keys(owner_id uuid, tags text[], due_at timestamptz) RETURNS text[]
        LANGUAGE sql IMMUTABLE PARALLEL SAFE
        RETURN task_tag_keys(owner_id, tags) ||
               ARRAY(SELECT owner_id::text || '#' || task_due_week(due_at) WHERE due_at IS NOT NULL)`);
    // The keys of every week that [from_at, to_at) touches.
    await db.query(`
      CREATE FUNCTION task_due_week_keys(owner_id uuid, from_at timestamptz, to_at timestamptz) RETURNS text[]
        LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
        RETURN ARRAY(SELECT owner_id::text || '#' || week
                     FROM generate_series(task_due_week(from_at),
                                          task_due_week(to_at - interval '1 microsecond')) AS week)`);
    await db.query(
      `CREATE INDEX tasks_filter_keys_idx ON tasks USING gin (owner_id, task_filter_keys(owner_id, tags, due_at))`,
    );
    await db.query(`DROP INDEX tasks_owner_tag_keys_idx`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(
      `CREATE INDEX tasks_owner_tag_keys_idx ON tasks USING gin (owner_id, task_tag_keys(owner_id, tags))`,
    );
    await db.query(`DROP INDEX tasks_filter_keys_idx`);
    await db.query(
      `DROP FUNCTION task_due_week_keys(uuid, timestamptz, timestamptz), task_filter_keys(uuid, text[], timestamptz), task_due_week(timestamptz)`,
    );
  }
}
