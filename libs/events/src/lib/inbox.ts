import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';

type Work = (tx: EntityManager) => Promise<void>;

interface Waiting {
  eventId: string;
  work: Work;
  settle: (ran: Promise<boolean>) => void;
}

/** Most events one consumer commits in one transaction. */
export const INBOX_MAX_BATCH = 100;

/**
 * Makes a consumer's side effects happen once per event. The (consumer, event id) row is inserted
 * in the same transaction as the side effects; the primary key decides, so two concurrent
 * deliveries of one event cannot both pass (the second waits, then finds the row and does nothing).
 *
 * Deliveries that arrive while a consumer's transaction is running (other partitions, other keys)
 * are committed together in the next one: one multi-row inbox insert, their side effects in
 * delivery order, one commit. A transport hands over a key's next event only after the previous
 * one settled, so a batch holds at most one event per key and order per task is kept. If a side
 * effect fails, the batch is rolled back, that event is run alone (it fails alone: its transport
 * retries and dead-letters it) and the rest of the batch is committed again without it, so a poison
 * event costs its batch one retry, not one transaction per event. If the batch failed outside any
 * side effect (the inbox insert, the commit), each event is run alone.
 */
@Injectable()
export class Inbox {
  private readonly waiting = new Map<string, Waiting[]>();
  private readonly committing = new Set<string>();

  constructor(private readonly dataSource: DataSource) {}

  /** Runs `work` unless `consumer` already processed `eventId`; returns whether it ran. */
  once(consumer: string, eventId: string, work: Work): Promise<boolean> {
    return new Promise((resolve, reject) => {
      const queue = this.waiting.get(consumer) ?? [];
      this.waiting.set(consumer, queue);
      queue.push({ eventId, work, settle: (ran) => ran.then(resolve, reject) });
      if (!this.committing.has(consumer)) void this.commitWaiting(consumer);
    });
  }

  private async commitWaiting(consumer: string): Promise<void> {
    this.committing.add(consumer);
    try {
      await new Promise(setImmediate); // let deliveries already on their way join the first batch
      const queue = this.waiting.get(consumer) ?? [];
      for (
        let batch = queue.splice(0, INBOX_MAX_BATCH);
        batch.length;
        batch = queue.splice(0, INBOX_MAX_BATCH)
      )
        await this.commitBatch(consumer, batch);
    } finally {
      this.committing.delete(consumer);
    }
  }

  private async commitBatch(consumer: string, batch: Waiting[]): Promise<void> {
    if (batch.length === 1) return this.commitAlone(consumer, batch[0]);
    let ran: boolean[];
    const running: { item: Waiting | null } = { item: null }; // the side effect in progress
    try {
      ran = await this.dataSource.transaction(async (tx) => {
        // Sorted, so two replicas claiming overlapping batches lock the rows in the same order.
        const claimed: Array<{ event_id: string }> = await tx.query(
          `INSERT INTO inbox (consumer, event_id)
           SELECT $1, event_id FROM unnest($2::uuid[]) AS event_id ORDER BY event_id
           ON CONFLICT DO NOTHING RETURNING event_id`,
          [consumer, batch.map((item) => item.eventId)],
        );
        const unclaimed = new Set(claimed.map((row) => row.event_id));
        const result: boolean[] = [];
        for (const item of batch) {
          const runs = unclaimed.delete(item.eventId.toLowerCase()); // a duplicate in the batch runs once
          if (runs) {
            running.item = item;
            await item.work(tx);
            running.item = null;
          }
          result.push(runs);
        }
        return result;
      });
    } catch {
      const culprit = running.item;
      if (!culprit) {
        for (const item of batch) await this.commitAlone(consumer, item);
        return;
      }
      await this.commitAlone(consumer, culprit);
      return this.commitBatch(
        consumer,
        batch.filter((item) => item !== culprit),
      );
    }
    batch.forEach((item, index) => item.settle(Promise.resolve(ran[index])));
  }

  private async commitAlone(consumer: string, item: Waiting): Promise<void> {
    const ran = this.dataSource.transaction(async (tx) => {
      const claimed: unknown[] = await tx.query(
        `INSERT INTO inbox (consumer, event_id) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING 1`,
        [consumer, item.eventId],
      );
      if (claimed.length === 0) return false;
      await item.work(tx);
      return true;
    });
    item.settle(ran);
    await ran.catch(() => undefined);
  }
}

/** Deletes inbox rows older than the retention period (redeliveries older than that are not expected). */
export async function purgeInbox(db: Pick<EntityManager, 'query'>, retentionHours: number): Promise<void> {
  await db.query(`DELETE FROM inbox WHERE received_at < now() - make_interval(hours => $1)`, [
    retentionHours,
  ]);
}
