import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Reminders are the source of truth for timers: a timer only decides when to look. The partial
 * index on scheduled reminders is what the timer scans (`fire_at <= now`, oldest first).
 */
export class CreateReminders1763700005000 implements MigrationInterface {
  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE reminders (
        id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        task_id    uuid NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
        before     text CHECK (before ~ '^P'),
        at         timestamptz(3),
        fire_at    timestamptz(3),
        state      text NOT NULL CHECK (state IN ('scheduled', 'fired', 'cancelled', 'missed')),
        fired_at   timestamptz(3),
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        CONSTRAINT reminders_one_trigger CHECK ((before IS NULL) <> (at IS NULL)),
        CONSTRAINT reminders_scheduled_has_time CHECK (state <> 'scheduled' OR fire_at IS NOT NULL),
        CONSTRAINT reminders_fired_at CHECK ((state = 'fired') = (fired_at IS NOT NULL))
      )`);
    await db.query(
      `CREATE UNIQUE INDEX reminders_task_trigger_key ON reminders (task_id, coalesce(before, ''), coalesce(at, '-infinity'))`,
    );
    await db.query(`CREATE INDEX reminders_due_idx ON reminders (fire_at) WHERE state = 'scheduled'`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE reminders`);
  }
}
