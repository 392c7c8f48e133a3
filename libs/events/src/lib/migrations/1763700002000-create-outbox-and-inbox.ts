import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The transactional outbox (events waiting to be published, kept a while after publishing) and the
 * consumers' inbox (which events each consumer has already processed).
 */
export class CreateOutboxAndInbox1763700002000 implements MigrationInterface {
  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE outbox (
        id            bigserial PRIMARY KEY,
        event_id      uuid NOT NULL UNIQUE,
        topic         text NOT NULL,
        partition_key text NOT NULL,
        event         jsonb NOT NULL,
        created_at    timestamptz(3) NOT NULL DEFAULT clock_timestamp(),
        published_at  timestamptz(3),
        attempts      integer NOT NULL DEFAULT 0,
        last_error    text
      )`);
    // The relay reads pending rows in id order; the purge deletes by publication time.
    await db.query(`CREATE INDEX outbox_pending ON outbox (id) WHERE published_at IS NULL`);
    await db.query(
      `CREATE INDEX outbox_published_at ON outbox (published_at) WHERE published_at IS NOT NULL`,
    );
    await db.query(`
      CREATE TABLE inbox (
        consumer    text NOT NULL,
        event_id    uuid NOT NULL,
        received_at timestamptz(3) NOT NULL DEFAULT now(),
        PRIMARY KEY (consumer, event_id)
      )`);
    await db.query(`CREATE INDEX inbox_received_at ON inbox (received_at)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE inbox`);
    await db.query(`DROP TABLE outbox`);
  }
}
