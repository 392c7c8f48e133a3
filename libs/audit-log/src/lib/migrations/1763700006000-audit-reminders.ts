import type { MigrationInterface, QueryRunner } from 'typeorm';

const TASK_ACTIONS = `'created', 'updated', 'completed', 'reopened', 'deleted'`;

/**
 * The history also records fired reminders (`reminded`, from `reminder.due`). `audit_log_action_check`
 * is the name PostgreSQL gave the inline column check of `CreateAuditLog1763700003000`.
 */
export class AuditReminders1763700006000 implements MigrationInterface {
  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      ALTER TABLE audit_log
        DROP CONSTRAINT audit_log_action_check,
        ADD CONSTRAINT audit_log_action_check CHECK (action IN (${TASK_ACTIONS}, 'reminded'))`);
  }

  /**
   * Restores the old check for new rows only (NOT VALID): `reminded` entries already written stay,
   * since the log is append-only and its trigger refuses to delete them.
   */
  async down(db: QueryRunner): Promise<void> {
    await db.query(`
      ALTER TABLE audit_log
        DROP CONSTRAINT audit_log_action_check,
        ADD CONSTRAINT audit_log_action_check CHECK (action IN (${TASK_ACTIONS})) NOT VALID`);
  }
}
