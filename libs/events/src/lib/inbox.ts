import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';

type Work = (tx: EntityManager) => Promise<void>;

/**
 * A side effect that can apply to many events in one statement (one multi-row INSERT). A batch
 * calls it once with the items of all its events that passed it (the same function, by identity),
 * in delivery order.
 */
export type BatchedWork<T> = (tx: EntityManager, items: readonly T[]) => Promise<void>;

interface Waiting {
  eventId: string;
  /** The event's side effect on its own. */
  work: Work;
  /** Present when the side effect can share one statement with the batch's others of its kind. */
  batched?: { work: BatchedWork<unknown>; item: unknown };
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
 * one settled, so a batch holds at most one event per key and order per task is kept. Side effects
 * given as {@link BatchedWork} run as one statement per kind after the others. If a side effect
 * fails, the batch is rolled back; the event whose side effect failed is run alone (a poison event
 * fails alone: its transport retries and dead-letters it) and the rest commit together again. When
 * the failure names no single event (a statement for many, the commit), the batch is halved until
 * the failing events are alone. Either way a poison event costs a few rolled-back transactions, not
 * one transaction per event of its batch.
 */
@Injectable()
export class Inbox {
  private readonly waiting = new Map<string, Waiting[]>();
  private readonly committing = new Set<string>();

  constructor(private readonly dataSource: DataSource) {}

  /** Runs `work` unless `consumer` already processed `eventId`; returns whether it ran. */
  once(consumer: string, eventId: string, work: Work): Promise<boolean> {
    return this.enqueue(consumer, { eventId, work });
  }

  /**
   * Like {@link once}, for a side effect that a batch applies to all its events at once:
   * `work(tx, items)` runs once per batch with this `item` among the others.
   */
  onceBatched<T>(consumer: string, eventId: string, work: BatchedWork<T>, item: T): Promise<boolean> {
    return this.enqueue(consumer, {
      eventId,
      work: (tx) => work(tx, [item]),
      batched: { work: work as BatchedWork<unknown>, item },
    });
  }

  private enqueue(consumer: string, event: Omit<Waiting, 'settle'>): Promise<boolean> {
    return new Promise((resolve, reject) => {
      const queue = this.waiting.get(consumer) ?? [];
      this.waiting.set(consumer, queue);
      queue.push({ ...event, settle: (ran) => ran.then(resolve, reject) });
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
    const running: { items: Waiting[] } = { items: [] }; // whose side effect is in progress
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
        const batched = new Map<BatchedWork<unknown>, Waiting[]>();
        for (const item of batch) {
          const runs = unclaimed.delete(item.eventId.toLowerCase()); // a duplicate in the batch runs once
          result.push(runs);
          if (!runs) continue;
          if (item.batched) {
            const kind = batched.get(item.batched.work) ?? [];
            batched.set(item.batched.work, kind);
            kind.push(item);
          } else {
            running.items = [item];
            await item.work(tx);
          }
        }
        for (const [work, items] of batched) {
          running.items = items;
          await work(
            tx,
            items.map((item) => item.batched?.item),
          );
        }
        running.items = [];
        return result;
      });
    } catch {
      const [culprit, ...others] = running.items;
      if (culprit && others.length === 0) {
        await this.commitAlone(consumer, culprit);
        return this.commitBatch(
          consumer,
          batch.filter((item) => item !== culprit),
        );
      }
      // Several suspects (one statement for many events, or the failure came outside the side
      // effects): halve the batch until the failing events are alone.
      const half = Math.ceil(batch.length / 2);
      await this.commitBatch(consumer, batch.slice(0, half));
      return this.commitBatch(consumer, batch.slice(half));
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
