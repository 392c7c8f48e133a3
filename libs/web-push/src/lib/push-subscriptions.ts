import { Injectable } from '@nestjs/common';
import { ConflictError, NotFoundError } from '@todo/errors';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import type { PushSubscriptionInput } from './push-subscription-input';

/** Browsers (or devices) one user may receive pushes on; bounds the fan-out of one reminder. */
const MAX_PUSH_SUBSCRIPTIONS_PER_USER = 20;

/** A subscription as its owner sees it (the keys stay on the server). */
export const pushSubscriptionViewSchema = z
  .object({ id: z.uuid(), endpoint: z.string(), created_at: z.iso.datetime({ offset: true }) })
  .meta({ id: 'PushSubscription' });
export type PushSubscriptionView = z.infer<typeof pushSubscriptionViewSchema>;

/** What sending needs: where, and the browser's keys. */
export interface PushTarget {
  readonly id: string;
  readonly endpoint: string;
  readonly keys: { readonly p256dh: string; readonly auth: string };
}

interface SubscriptionRow {
  id: string;
  endpoint: string;
  created_at: Date;
}

const toView = (row: SubscriptionRow): PushSubscriptionView => ({
  id: row.id,
  endpoint: row.endpoint,
  created_at: row.created_at.toISOString(),
});

/** The `push_subscriptions` table: every statement that reads or writes it. */
@Injectable()
export class PushSubscriptions {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Saves the browser's subscription for `userId`. An endpoint identifies one browser profile, so
   * subscribing a known endpoint again updates its keys, and moves it to `userId` if another account
   * had it (the browser now belongs to whoever signed in last). `created` is false for such updates.
   */
  async subscribe(
    userId: string,
    input: PushSubscriptionInput,
  ): Promise<{ subscription: PushSubscriptionView; created: boolean }> {
    return this.dataSource.transaction(async (tx) => {
      // Serializes one user's subscribes so the limit holds under concurrency.
      await tx.query(`SELECT pg_advisory_xact_lock(hashtext('push_subscriptions'), hashtext($1))`, [userId]);
      const [{ others }]: Array<{ others: number }> = await tx.query(
        `SELECT count(*)::int AS others FROM push_subscriptions WHERE user_id = $1 AND endpoint <> $2`,
        [userId, input.endpoint],
      );
      if (others >= MAX_PUSH_SUBSCRIPTIONS_PER_USER)
        throw new ConflictError(
          `You already receive notifications on ${MAX_PUSH_SUBSCRIPTIONS_PER_USER} browsers; remove one (DELETE /api/v1/push/subscriptions/{id}) first`,
        );
      const [row]: Array<SubscriptionRow & { created: boolean }> = await tx.query(
        `INSERT INTO push_subscriptions (user_id, endpoint, p256dh, auth) VALUES ($1, $2, $3, $4)
         ON CONFLICT (endpoint) DO UPDATE
           SET user_id = EXCLUDED.user_id, p256dh = EXCLUDED.p256dh, auth = EXCLUDED.auth, updated_at = now()
         RETURNING id, endpoint, created_at, (xmax = 0) AS created`,
        [userId, input.endpoint, input.keys.p256dh, input.keys.auth],
      );
      return { subscription: toView(row), created: row.created };
    });
  }

  async list(userId: string): Promise<PushSubscriptionView[]> {
    const rows: SubscriptionRow[] = await this.dataSource.query(
      `SELECT id, endpoint, created_at FROM push_subscriptions WHERE user_id = $1 ORDER BY created_at, id`,
      [userId],
    );
    return rows.map(toView);
  }

  /** Removes one of the user's subscriptions; someone else's is "not found", like a missing one. */
  async unsubscribe(userId: string, id: string): Promise<void> {
    const [, count] = await this.dataSource.query(
      `DELETE FROM push_subscriptions WHERE id = $1 AND user_id = $2`,
      [id, userId],
    );
    if (!count) throw new NotFoundError(`Push subscription ${id}`);
  }

  /**
   * Runs `send` for each subscription of `userId` that `eventId` has not reached yet, in one
   * transaction that records what `send` reports (a delivery, or a subscription gone). Deliveries of
   * one event are serialized (a transaction-scoped advisory lock): a concurrent duplicate waits, then
   * finds the browsers served. A crash before the commit forgets the deliveries: the redelivered
   * event pushes again (at least once).
   */
  async deliverOnce(
    eventId: string,
    userId: string,
    send: (targets: PushTarget[]) => Promise<{ delivered: string[]; gone: string[] }>,
  ): Promise<void> {
    await this.dataSource.transaction(async (tx) => {
      await tx.query(`SELECT pg_advisory_xact_lock(hashtext('push_deliveries'), hashtext($1))`, [eventId]);
      const rows: Array<{ id: string; endpoint: string; p256dh: string; auth: string }> = await tx.query(
        `SELECT s.id, s.endpoint, s.p256dh, s.auth FROM push_subscriptions s
         WHERE s.user_id = $1
           AND NOT EXISTS (SELECT 1 FROM push_deliveries d WHERE d.subscription_id = s.id AND d.event_id = $2)
         ORDER BY s.created_at, s.id`,
        [userId, eventId],
      );
      if (rows.length === 0) return;
      const { delivered, gone } = await send(
        rows.map(({ id, endpoint, p256dh, auth }) => ({ id, endpoint, keys: { p256dh, auth } })),
      );
      if (delivered.length > 0)
        await tx.query(
          `INSERT INTO push_deliveries (event_id, subscription_id) SELECT $1, unnest($2::uuid[])`,
          [eventId, delivered],
        );
      if (gone.length > 0)
        await tx.query(`DELETE FROM push_subscriptions WHERE id = ANY($1::uuid[])`, [gone]);
    });
  }

  /** Forgets deliveries older than `hours` (by then no transport redelivers their events). */
  async purgeDeliveries(hours: number): Promise<void> {
    await this.dataSource.query(
      `DELETE FROM push_deliveries WHERE delivered_at < now() - make_interval(hours => $1)`,
      [hours],
    );
  }
}
