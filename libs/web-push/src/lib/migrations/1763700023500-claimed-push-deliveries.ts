import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A delivery row is written before the push (a claim) and completed after the push service accepted
 * the message, each in a statement of its own, so no connection is held while the push is in flight.
 * A claim is `claim` (the claiming handler's token) until `claimed_until`; a delivered row has
 * `delivered_at`. A claim whose handler died is taken over once `claimed_until` has passed.
 */
export class ClaimedPushDeliveries1763700023500 implements MigrationInterface {
  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      ALTER TABLE push_deliveries
        ALTER COLUMN delivered_at DROP NOT NULL,
        ALTER COLUMN delivered_at DROP DEFAULT,
        ADD COLUMN claim uuid,
        ADD COLUMN claimed_until timestamptz(3),
        ADD CONSTRAINT push_deliveries_claimed_or_delivered
          CHECK ((delivered_at IS NULL) = (claimed_until IS NOT NULL AND claim IS NOT NULL))`);
    // Purging finds forgotten claims by their lease, delivered rows by delivered_at (indexed already).
    await db.query(
      `CREATE INDEX push_deliveries_claimed_until_idx ON push_deliveries (claimed_until) WHERE delivered_at IS NULL`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX push_deliveries_claimed_until_idx`);
    await db.query(`DELETE FROM push_deliveries WHERE delivered_at IS NULL`);
    await db.query(`
      ALTER TABLE push_deliveries
        DROP CONSTRAINT push_deliveries_claimed_or_delivered,
        DROP COLUMN claimed_until,
        DROP COLUMN claim,
        ALTER COLUMN delivered_at SET DEFAULT now(),
        ALTER COLUMN delivered_at SET NOT NULL`);
  }
}
