import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';

/**
 * Makes a consumer's side effects happen once per event. The (consumer, event id) row is inserted
 * in the same transaction as the side effects; the primary key decides, so two concurrent
 * deliveries of one event cannot both pass (the second waits, then finds the row and does nothing).
 */
@Injectable()
export class Inbox {
  constructor(private readonly dataSource: DataSource) {}

  /** Runs `work` unless `consumer` already processed `eventId`; returns whether it ran. */
  async once(
    consumer: string,
    eventId: string,
    work: (tx: EntityManager) => Promise<void>,
  ): Promise<boolean> {
    return this.dataSource.transaction(async (tx) => {
      const claimed: unknown[] = await tx.query(
        `INSERT INTO inbox (consumer, event_id) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING 1`,
        [consumer, eventId],
      );
      if (claimed.length === 0) return false;
      await work(tx);
      return true;
    });
  }
}

/** Deletes inbox rows older than the retention period (redeliveries older than that are not expected). */
export async function purgeInbox(db: Pick<EntityManager, 'query'>, retentionHours: number): Promise<void> {
  await db.query(`DELETE FROM inbox WHERE received_at < now() - make_interval(hours => $1)`, [
    retentionHours,
  ]);
}
