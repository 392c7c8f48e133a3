import { clampToStorableSql, storableInstantCheck } from '@todo/validation';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Reminder times (given `at`, computed `fire_at`) stay within the storable years (1970–9999,
 * STORABLE_INSTANTS): a year-0 reminder made its owner's task queries fail and could not be deleted.
 * Rows stored before this check are first moved to the nearest storable moment.
 */
export class StorableReminderTimes1763700011600 implements MigrationInterface {
  async up(db: QueryRunner): Promise<void> {
    await db.query(
      `UPDATE reminders SET at = ${clampToStorableSql('at')}, fire_at = ${clampToStorableSql('fire_at')}
       WHERE NOT (${storableInstantCheck('at')}) OR NOT (${storableInstantCheck('fire_at')})`,
    );
    await db.query(
      `ALTER TABLE reminders ADD CONSTRAINT reminders_at_storable CHECK (${storableInstantCheck('at')}),
         ADD CONSTRAINT reminders_fire_at_storable CHECK (${storableInstantCheck('fire_at')})`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(
      `ALTER TABLE reminders DROP CONSTRAINT reminders_at_storable, DROP CONSTRAINT reminders_fire_at_storable`,
    );
  }
}
