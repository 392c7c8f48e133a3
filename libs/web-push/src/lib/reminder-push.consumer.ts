import { Inject, Logger } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { APP_CONFIG, type AppConfig } from '@todo/config';
import { type DomainEvent, EventConsumer } from '@todo/events';
import { sharedMetric } from '@todo/metrics';
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

/**
 * Pushes every fired reminder to each browser its user subscribed, all at once (one slow push service
 * costs one timeout, not one per browser). What was delivered is recorded per (event, subscription),
 * so a redelivered event, or a retry after some browsers failed, pushes only to those not yet
 * served. Any failure is rethrown after the others were recorded: the transport retries the event,
 * then dead-letters it.
 */
@EventConsumer()
export class ReminderPushConsumer {
  private readonly logger = new Logger(ReminderPushConsumer.name);
  private readonly retentionHours: number;
  private lastPurge = 0;

  constructor(
    private readonly subscriptions: PushSubscriptions,
    private readonly sender: PushSender,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    // Deliveries are kept as long as the inbox keeps its entries: while redeliveries are expected.
    this.retentionHours = config.events.outbox.retentionHours;
  }

  @EventPattern('reminder.due', { consumer: WEB_PUSH_CONSUMER })
  async reminderDue(@Payload() event: DomainEvent<'reminder.due'>): Promise<void> {
    const payload = JSON.stringify(reminderNotification(event.data));
    const failures: string[] = [];
    let tried = 0;
    await this.subscriptions.deliverOnce(event.id, event.data.user_id, async (targets) => {
      tried = targets.length;
      const outcomes = await Promise.allSettled(targets.map((target) => this.sender.send(target, payload)));
      const delivered: string[] = [];
      const gone: string[] = [];
      outcomes.forEach((outcome, i) => {
        if (outcome.status === 'rejected') failures.push(messageOf(outcome.reason));
        else (outcome.value === 'delivered' ? delivered : gone).push(targets[i].id);
        pushes().inc({ outcome: outcome.status === 'rejected' ? 'failed' : outcome.value });
      });
      this.logGone(targets.filter((target) => gone.includes(target.id)));
      return { delivered, gone };
    });
    await this.purgeNowAndThen();
    if (failures.length > 0)
      throw new Error(
        `Web Push failed for ${failures.length} of ${tried} subscriptions: ${failures.join('; ')}`,
      );
  }

  private logGone(targets: PushTarget[]): void {
    for (const { id } of targets)
      this.logger.log(`Removed push subscription ${id}: the push service no longer knows it`);
  }

  private async purgeNowAndThen(): Promise<void> {
    if (Date.now() - this.lastPurge < PURGE_EVERY_MS) return;
    this.lastPurge = Date.now();
    await this.subscriptions.purgeDeliveries(this.retentionHours);
  }
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));
