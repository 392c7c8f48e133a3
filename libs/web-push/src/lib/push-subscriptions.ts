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
   * Claims `eventId`'s deliveries to the subscriptions of `userId` that it has not reached and that no
   * live claim holds, for `leaseMs`, in one statement (no transaction stays open while pushing). The
   * primary key serializes concurrent claims of one (event, subscription): one claimer wins.
   * `heldElsewhere` counts deliveries another handler has claimed and not completed yet.
   */
  async claimDeliveries(
    eventId: string,
    userId: string,
    claim: string,
    leaseMs: number,
  ): Promise<{ claimed: PushTarget[]; heldElsewhere: number }> {
    const rows: Array<{
      id: string;
      endpoint: string;
      p256dh: string;
      auth: string;
      claimed: boolean;
      delivered: boolean;
    }> = await this.dataSource.query(
      `WITH targets AS (
         SELECT id, endpoint, p256dh, auth, created_at FROM push_subscriptions WHERE user_id = $1
       ), claimed AS (
         INSERT INTO push_deliveries (event_id, subscription_id, claim, claimed_until)
         SELECT $2, id, $3, now() + make_interval(secs => $4::float8 / 1000) FROM targets
         ON CONFLICT (subscription_id, event_id) DO UPDATE
           SET claim = EXCLUDED.claim, claimed_until = EXCLUDED.claimed_until
           WHERE push_deliveries.delivered_at IS NULL AND push_deliveries.claimed_until < now()
         RETURNING subscription_id
       )
       SELECT t.id, t.endpoint, t.p256dh, t.auth, c.subscription_id IS NOT NULL AS claimed,
              EXISTS (SELECT 1 FROM push_deliveries d
                      WHERE d.subscription_id = t.id AND d.event_id = $2 AND d.delivered_at IS NOT NULL) AS delivered
       FROM targets t LEFT JOIN claimed c ON c.subscription_id = t.id
       ORDER BY t.created_at, t.id`,
      [userId, eventId, claim, leaseMs],
    );
    return {
      claimed: rows
        .filter((row) => row.claimed)
        .map(({ id, endpoint, p256dh, auth }) => ({ id, endpoint, keys: { p256dh, auth } })),
      // The statement's snapshot may miss a claim committed while it ran: counted here, so the
      // caller looks again rather than taking the event as served.
      heldElsewhere: rows.filter((row) => !row.claimed && !row.delivered).length,
    };
  }

  /** The push service accepted the message: the claim becomes a delivery. False if the claim was lost. */
  async recordDelivered(eventId: string, subscriptionId: string, claim: string): Promise<boolean> {
    const [, count] = await this.dataSource.query(
      `UPDATE push_deliveries SET delivered_at = now(), claim = NULL, claimed_until = NULL
       WHERE event_id = $1 AND subscription_id = $2 AND claim = $3`,
      [eventId, subscriptionId, claim],
    );
    return count > 0;
  }

  /** The push failed: gives the delivery back so a retry of the event pushes it. */
  async releaseClaim(eventId: string, subscriptionId: string, claim: string): Promise<void> {
    await this.dataSource.query(
      `DELETE FROM push_deliveries WHERE event_id = $1 AND subscription_id = $2 AND claim = $3`,
      [eventId, subscriptionId, claim],
    );
  }

  /** The push service no longer knows the subscription (its claims and deliveries go with it). */
  async removeGone(subscriptionId: string): Promise<void> {
    await this.dataSource.query(`DELETE FROM push_subscriptions WHERE id = $1`, [subscriptionId]);
  }

  /**
   * Forgets deliveries older than `hours` (by then no transport redelivers their events), and claims
   * that expired as long ago (their handler died and the event was never delivered again).
   */
  async purgeDeliveries(hours: number): Promise<void> {
    await this.dataSource.query(
      `DELETE FROM push_deliveries
       WHERE delivered_at < now() - make_interval(hours => $1)
          OR (delivered_at IS NULL AND claimed_until < now() - make_interval(hours => $1))`,
      [hours],
    );
  }
}
