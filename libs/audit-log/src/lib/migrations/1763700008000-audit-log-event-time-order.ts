import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * History and the activity feed are ordered by when the change happened, not by when the audit
 * consumer recorded it: events of different tasks may arrive in any order (other partitions, retries).
 * The row id only breaks ties within the same millisecond.
 */
export class AuditLogEventTimeOrder1763700008000 implements MigrationInterface {
  async up(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX audit_log_by_task, audit_log_by_task_number, audit_log_by_user`);
    await db.query(`CREATE INDEX audit_log_by_task ON audit_log (user_id, task_id, occurred_at, id)`);
    await db.query(
      `CREATE INDEX audit_log_by_task_number ON audit_log (user_id, task_number, occurred_at, id)`,
    );
    await db.query(`CREATE INDEX audit_log_by_user ON audit_log (user_id, occurred_at, id)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX audit_log_by_task, audit_log_by_task_number, audit_log_by_user`);
    await db.query(`CREATE INDEX audit_log_by_task ON audit_log (user_id, task_id, id)`);
    await db.query(`CREATE INDEX audit_log_by_task_number ON audit_log (user_id, task_number, id)`);
    await db.query(`CREATE INDEX audit_log_by_user ON audit_log (user_id, id)`);
  }
}
