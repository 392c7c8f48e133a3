import { type DynamicModule, Module } from '@nestjs/common';
import type { WebPushConfig } from '@todo/config';
import { CreatePushSubscriptions1763700011000 } from './migrations/1763700011000-create-push-subscriptions';
import { ClaimedPushDeliveries1763700023500 } from './migrations/1763700023500-claimed-push-deliveries';
import { PushSender } from './push-sender';
import { PushSubscriptions } from './push-subscriptions';
import { PushSubscriptionService } from './push-subscription.service';
import { PushSubscriptionsController } from './push-subscriptions.controller';
import { PushSubscriptionsResolver } from './push-subscriptions.resolver';
import { ReminderPushConsumer } from './reminder-push.consumer';

/** Runs after the accounts migrations (subscriptions reference users). */
export const WEB_PUSH_MIGRATIONS = [CreatePushSubscriptions1763700011000, ClaimedPushDeliveries1763700023500];

@Module({ providers: [PushSubscriptions], exports: [PushSubscriptions] })
class PushSubscriptionsModule {}

/** Subscribe and unsubscribe browsers: `/api/v1/push/…` and GraphQL (the gateway). */
@Module({
  imports: [PushSubscriptionsModule],
  controllers: [PushSubscriptionsController],
  providers: [PushSubscriptionService, PushSubscriptionsResolver],
})
export class WebPushApiModule {}

/**
 * Pushes each `reminder.due` to the user's browsers (consumer `web-push`). Without VAPID keys it
 * consumes nothing, so a deployment without Web Push has no consumer group waiting for it.
 */
@Module({})
export class ReminderPushModule {
  static forRoot(webPush: Pick<WebPushConfig, 'vapid'>): DynamicModule {
    return {
      module: ReminderPushModule,
      imports: [PushSubscriptionsModule],
      controllers: webPush.vapid ? [ReminderPushConsumer] : [],
      providers: [PushSender],
    };
  }
}
