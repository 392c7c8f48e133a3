import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Browsers that receive a user's reminders by Web Push, and which event reached which of them. The
 * endpoint (a capability URL of the push service) identifies a browser profile, hence unique across
 * users. A delivery row is written when the push service accepted the message, so a redelivered event
 * or a retry after a partial failure pushes only to the browsers not yet served.
 */
export class CreatePushSubscriptions1763700011000 implements MigrationInterface {
  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE push_subscriptions (
        id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id    uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        endpoint   text NOT NULL UNIQUE CHECK (length(endpoint) <= 2048),
        p256dh     text NOT NULL,
        auth       text NOT NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE INDEX push_subscriptions_user_idx ON push_subscriptions (user_id, created_at)`);
    await db.query(`
      CREATE TABLE push_deliveries (
        event_id        uuid NOT NULL,
        subscription_id uuid NOT NULL REFERENCES push_subscriptions (id) ON DELETE CASCADE,
        delivered_at    timestamptz(3) NOT NULL DEFAULT now(),
        PRIMARY KEY (subscription_id, event_id)
      )`);
    await db.query(`CREATE INDEX push_deliveries_delivered_at_idx ON push_deliveries (delivered_at)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE push_deliveries`);
    await db.query(`DROP TABLE push_subscriptions`);
  }
}
