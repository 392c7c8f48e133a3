import { Logger } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { type DomainEvent, EventConsumer, Inbox } from '@todo/events';
import { sharedMetric } from '@todo/metrics';
import { Counter } from 'prom-client';
import { PushSender } from './push-sender';
import { PushSubscriptions, type PushTarget } from './push-subscriptions';
import { reminderNotification } from './reminder-notification';

export const WEB_PUSH_CONSUMER = 'web-push';

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
 * Pushes every fired reminder to each browser its user subscribed. Each (subscription, event) pair is
 * claimed in the inbox in the transaction that sends it, so a redelivered event, or a retry after
 * some subscriptions failed, pushes only to those not yet served. Any failure is rethrown once all
 * were tried: the transport retries the event, then dead-letters it.
 */
@EventConsumer()
export class ReminderPushConsumer {
  private readonly logger = new Logger(ReminderPushConsumer.name);

  constructor(
    private readonly inbox: Inbox,
    private readonly subscriptions: PushSubscriptions,
    private readonly sender: PushSender,
  ) {}

  @EventPattern('reminder.due', { consumer: WEB_PUSH_CONSUMER })
  async reminderDue(@Payload() event: DomainEvent<'reminder.due'>): Promise<void> {
    const targets = await this.subscriptions.targetsOf(event.data.user_id);
    const payload = JSON.stringify(reminderNotification(event.data));
    const failures: string[] = [];
    for (const target of targets) {
      try {
        await this.pushOnce(event.id, target, payload);
      } catch (error) {
        pushes().inc({ outcome: 'failed' });
        failures.push(error instanceof Error ? error.message : String(error));
      }
    }
    if (failures.length > 0)
      throw new Error(
        `Web Push failed for ${failures.length} of ${targets.length} subscriptions: ${failures.join('; ')}`,
      );
  }

  private async pushOnce(eventId: string, target: PushTarget, payload: string): Promise<void> {
    await this.inbox.once(`${WEB_PUSH_CONSUMER}:${target.id}`, eventId, async (tx) => {
      const outcome = await this.sender.send(target, payload);
      pushes().inc({ outcome });
      if (outcome === 'gone') {
        await this.subscriptions.removeGone(tx, target.id);
        this.logger.log(`Removed push subscription ${target.id}: the push service no longer knows it`);
      }
    });
  }
}
