import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Single-use tickets for opening a WebSocket where a header cannot carry the token. Stored as a
 * SHA-256 of the ticket; in PostgreSQL so that any realtime replica can redeem a ticket another one
 * issued (no sticky sessions).
 */
export class CreateRealtimeTickets1763700021000 implements MigrationInterface {
  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE realtime_tickets (
        ticket_hash       bytea PRIMARY KEY,
        user_id           uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        expires_at        timestamptz(3) NOT NULL,
        access_expires_at timestamptz(3) NOT NULL
      )`);
    await db.query(`CREATE INDEX realtime_tickets_expires_at ON realtime_tickets (expires_at)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE realtime_tickets`);
  }
}
