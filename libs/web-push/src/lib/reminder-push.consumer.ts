import { Inject, Logger } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { APP_CONFIG, type AppConfig } from '@todo/config';
import { type DomainEvent, EventConsumer } from '@todo/events';
import { sharedMetric } from '@todo/metrics';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Counter } from 'prom-client';
import { PushSender } from './push-sender';
import { PushSubscriptions, type PushTarget } from './push-subscriptions';
import { reminderNotification } from './reminder-notification';

const WEB_PUSH_CONSUMER = 'web-push';

const PURGE_EVERY_MS = 10 * 60_000;

const pushes = () =>
  sharedMetric(
    'web_push_messages_total',
    (registry) =>
      new Counter({
        name: 'web_push_messages_total',
        help: 'Web Push messages by outcome (delivered, gone = subscription removed, failed = retried)',
        labelNames: ['outcome'],
        registers: [registry],
      }),
  );

/** How often a delivery claimed by another handler (a concurrent duplicate, or a dead one) is looked at again. */
const HELD_ELSEWHERE_POLL_MS = 250;
/**
 * A claim outlives the push's deadline by this much: recording the outcome (one statement, perhaps
 * after a wait for a pooled connection) must happen before another handler may take the claim over.
 */
const CLAIM_MARGIN_MS = 10_000;

/**
 * Pushes every fired reminder to each browser its user subscribed, all at once (one slow push service
 * costs one timeout, not one per browser). Each (event, subscription) is claimed in one statement
 * before its push and marked delivered (or released, or its subscription removed) in one after, so no
 * database connection waits on a push service. A redelivered event, or a retry after some browsers
 * failed, pushes only to those not yet served; a duplicate handled at the same time waits for the
 * claims of the other and pushes what they gave back. Any failure is rethrown after the others were
 * recorded: the transport retries the event, then dead-letters it.
 *
 * Pushed twice only if the process dies between the push service's answer and the statement that
 * records it (one round trip): the claim then expires and the redelivered event pushes again, with
 * the same RFC 8030 topic, so a browser that has not fetched the first message gets one.
 */
@EventConsumer()
export class ReminderPushConsumer {
  private readonly logger = new Logger(ReminderPushConsumer.name);
  private readonly retentionHours: number;
  private readonly claimLeaseMs: number;
  private lastPurge = 0;

  constructor(
    private readonly subscriptions: PushSubscriptions,
    private readonly sender: PushSender,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    // Deliveries are kept as long as the inbox keeps its entries: while redeliveries are expected.
    this.retentionHours = config.events.outbox.retentionHours;
    this.claimLeaseMs = config.webPush.timeoutMs + CLAIM_MARGIN_MS;
  }

  @EventPattern('reminder.due', { consumer: WEB_PUSH_CONSUMER })
  async reminderDue(@Payload() event: DomainEvent<'reminder.due'>): Promise<void> {
    const payload = JSON.stringify(reminderNotification(event.data));
    const topic = event.id.replaceAll('-', '');
    const claim = randomUUID();
    const failures: string[] = [];
    let tried = 0;
    for (;;) {
      const { claimed, heldElsewhere } = await this.subscriptions.claimDeliveries(
        event.id,
        event.data.user_id,
        claim,
        this.claimLeaseMs,
      );
      tried += claimed.length;
      await Promise.all(
        claimed.map((target) =>
          this.push(event.id, claim, target, payload, topic).catch((error: unknown) => {
            failures.push(messageOf(error));
          }),
        ),
      );
      // Failed deliveries were given back: this handler's retry claims them, not this loop.
      if (heldElsewhere === 0 || failures.length > 0) break;
      await sleep(HELD_ELSEWHERE_POLL_MS);
    }
    await this.purgeNowAndThen();
    if (failures.length > 0)
      throw new Error(
        `Web Push failed for ${failures.length} of ${tried} subscriptions: ${failures.join('; ')}`,
      );
  }

  /** Pushes one claimed delivery and records the outcome; rejects if the push failed. */
  private async push(
    eventId: string,
    claim: string,
    target: PushTarget,
    payload: string,
    topic: string,
  ): Promise<void> {
    let outcome: 'delivered' | 'gone';
    try {
      outcome = await this.sender.send(target, payload, topic);
    } catch (error) {
      pushes().inc({ outcome: 'failed' });
      await this.subscriptions.releaseClaim(eventId, target.id, claim);
      throw error;
    }
    pushes().inc({ outcome });
    if (outcome === 'gone') {
      await this.subscriptions.removeGone(target.id);
      this.logger.log(`Removed push subscription ${target.id}: the push service no longer knows it`);
    } else if (!(await this.subscriptions.recordDelivered(eventId, target.id, claim)))
      this.logger.warn(
        `Pushed event ${eventId} to subscription ${target.id} but could not record it: the subscription was removed meanwhile, or the claim expired and the event may be pushed to it again`,
      );
  }

  private async purgeNowAndThen(): Promise<void> {
    if (Date.now() - this.lastPurge < PURGE_EVERY_MS) return;
    this.lastPurge = Date.now();
    await this.subscriptions.purgeDeliveries(this.retentionHours);
  }
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));
