import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Tasks and their per-user numbering. Index choices follow the list/search queries in
 * task-list-query.ts: every query filters by owner, then sorts by one key plus id (keyset paging).
 */
export class CreateTasks1763700001000 implements MigrationInterface {
  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE task_counters (
        owner_id    uuid PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
        last_number integer NOT NULL
      )`);
    await db.query(`
      CREATE TABLE tasks (
        id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        owner_id        uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        number          integer NOT NULL,
        title           text NOT NULL CHECK (char_length(title) BETWEEN 1 AND 500),
        description     text CHECK (char_length(description) <= 10000),
        status          text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'completed')),
        priority        smallint NOT NULL DEFAULT 0 CHECK (priority BETWEEN 0 AND 4),
        tags            text[] NOT NULL DEFAULT '{}',
        due_at          timestamptz(3),
        due_all_day     boolean NOT NULL DEFAULT false,
        overdue_at      timestamptz(3),
        time_zone       text NOT NULL,
        recurrence_rule text,
        recurrence_from text CHECK (recurrence_from IN ('due', 'completion')),
        version         integer NOT NULL DEFAULT 1,
        created_at      timestamptz(3) NOT NULL DEFAULT now(),
        updated_at      timestamptz(3) NOT NULL DEFAULT now(),
        completed_at    timestamptz(3),
        search          tsvector GENERATED ALWAYS AS (
                          setweight(to_tsvector('simple', title), 'A') ||
                          setweight(to_tsvector('simple', coalesce(description, '')), 'B')) STORED,
        CONSTRAINT tasks_owner_number_key UNIQUE (owner_id, number),
        CONSTRAINT tasks_recurrence_complete CHECK ((recurrence_rule IS NULL) = (recurrence_from IS NULL)),
        CONSTRAINT tasks_recurrence_needs_due CHECK (recurrence_rule IS NULL OR due_at IS NOT NULL),
        CONSTRAINT tasks_completed_at CHECK ((status = 'completed') = (completed_at IS NOT NULL)),
        CONSTRAINT tasks_due_consistent CHECK ((due_at IS NULL) = (overdue_at IS NULL))
      )`);
    await db.query(`CREATE INDEX tasks_search_idx ON tasks USING gin (search)`);
    await db.query(`CREATE INDEX tasks_tags_idx ON tasks USING gin (tags)`);
    await db.query(`CREATE INDEX tasks_owner_created_idx ON tasks (owner_id, created_at, id)`);
    await db.query(`CREATE INDEX tasks_owner_updated_idx ON tasks (owner_id, updated_at, id)`);
    await db.query(`CREATE INDEX tasks_owner_priority_idx ON tasks (owner_id, priority, id)`);
    await db.query(`CREATE INDEX tasks_owner_title_idx ON tasks (owner_id, lower(title), id)`);
    await db.query(
      `CREATE INDEX tasks_owner_due_asc_idx ON tasks (owner_id, coalesce(due_at, 'infinity'::timestamptz), id)`,
    );
    await db.query(
      `CREATE INDEX tasks_owner_due_desc_idx ON tasks (owner_id, coalesce(due_at, '-infinity'::timestamptz), id)`,
    );
    await db.query(
      `CREATE INDEX tasks_owner_overdue_idx ON tasks (owner_id, overdue_at) WHERE status = 'pending'`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE tasks`);
    await db.query(`DROP TABLE task_counters`);
  }
}
