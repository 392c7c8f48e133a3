import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The append-only history of task changes. One row per task event (event id unique); rows outlive
 * their task. A trigger refuses UPDATE and DELETE so the history cannot be rewritten by mistake.
 */
export class CreateAuditLog1763700003000 implements MigrationInterface {
  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE audit_log (
        id          bigserial PRIMARY KEY,
        event_id    uuid NOT NULL UNIQUE,
        user_id     uuid NOT NULL,
        task_id     uuid NOT NULL,
        task_number integer NOT NULL,
        action      text NOT NULL CHECK (action IN ('created', 'updated', 'completed', 'reopened', 'deleted')),
        actor       jsonb NOT NULL,
        before      jsonb,
        after       jsonb,
        changes     jsonb NOT NULL,
        occurred_at timestamptz(3) NOT NULL,
        recorded_at timestamptz(3) NOT NULL DEFAULT now()
      )`);
    // A task's history (by id or by number, also after deletion) and a user's feed, newest first.
    await db.query(`CREATE INDEX audit_log_by_task ON audit_log (user_id, task_id, id)`);
    await db.query(`CREATE INDEX audit_log_by_task_number ON audit_log (user_id, task_number, id)`);
    await db.query(`CREATE INDEX audit_log_by_user ON audit_log (user_id, id)`);
    await db.query(`
      CREATE FUNCTION audit_log_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_log is append-only';
      END $$`);
    await db.query(`
      CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
      FOR EACH ROW EXECUTE FUNCTION audit_log_is_append_only()`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE audit_log`);
    await db.query(`DROP FUNCTION audit_log_is_append_only`);
  }
}
