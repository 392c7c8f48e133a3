import { clampToStorableSql, storableInstantCheck } from '@todo/validation';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Due times stay within the storable years (1970–9999, STORABLE_INSTANTS): outside them JavaScript
 * cannot read a value back, and one such task made all of its owner's task queries fail. Rows stored
 * before this check are first moved to the nearest storable moment, so the constraint can be added.
 */
export class StorableDueTimes1763700011500 implements MigrationInterface {
  async up(db: QueryRunner): Promise<void> {
    await db.query(
      `UPDATE tasks SET due_at = ${clampToStorableSql('due_at')}, overdue_at = ${clampToStorableSql('overdue_at')}
       WHERE NOT (${storableInstantCheck('due_at')}) OR NOT (${storableInstantCheck('overdue_at')})`,
    );
    await db.query(
      `ALTER TABLE tasks ADD CONSTRAINT tasks_due_at_storable CHECK (${storableInstantCheck('due_at')})`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE tasks DROP CONSTRAINT tasks_due_at_storable`);
  }
}
