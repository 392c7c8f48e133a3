import { Args, Field, ID, InputType, Mutation, ObjectType, Query, Resolver } from '@nestjs/graphql';
import { type Actor, CurrentActor, Public } from '@todo/auth';
import { PushSubscriptionService } from './push-subscription.service';
import type { PushSubscriptionView } from './push-subscriptions';

@ObjectType('PushSubscription')
class PushSubscriptionType {
  @Field(() => ID) id!: string;
  @Field({ description: 'The push service URL of the browser' }) endpoint!: string;
  @Field() createdAt!: Date;
}

@InputType('PushSubscriptionKeysInput')
class PushSubscriptionKeysInput {
  @Field({ description: "The browser's P-256 public key, URL-safe base64" }) p256dh!: string;
  @Field({ description: 'The authentication secret, URL-safe base64' }) auth!: string;
}

@InputType('PushSubscriptionInput', { description: 'PushSubscription.toJSON() from the browser' })
class PushSubscriptionInput {
  @Field() endpoint!: string;
  @Field(() => PushSubscriptionKeysInput) keys!: PushSubscriptionKeysInput;
}

const subscriptionType = (view: PushSubscriptionView): PushSubscriptionType => ({
  id: view.id,
  endpoint: view.endpoint,
  createdAt: new Date(view.created_at),
});

/** Web Push subscriptions over GraphQL, the same operations as `/api/v1/push`. */
@Resolver()
export class PushSubscriptionsResolver {
  constructor(private readonly service: PushSubscriptionService) {}

  @Public()
  @Query(() => String, { description: 'The applicationServerKey for pushManager.subscribe' })
  vapidPublicKey() {
    return this.service.vapidPublicKey();
  }

  @Query(() => [PushSubscriptionType], { description: 'The browsers you receive reminders on' })
  async pushSubscriptions(@CurrentActor() actor: Actor) {
    return (await this.service.list(actor)).map(subscriptionType);
  }

  @Mutation(() => PushSubscriptionType, {
    description: 'Receive reminders on this browser (subscribing a known endpoint again refreshes it)',
  })
  async subscribePush(@CurrentActor() actor: Actor, @Args('input') input: PushSubscriptionInput) {
    const plain = { endpoint: input.endpoint, keys: { ...input.keys } };
    return subscriptionType((await this.service.subscribe(actor, plain, 'camel')).subscription);
  }

  @Mutation(() => Boolean, { description: 'Stop receiving reminders on a browser' })
  async unsubscribePush(@CurrentActor() actor: Actor, @Args('id', { type: () => ID }) id: string) {
    await this.service.unsubscribe(actor, id);
    return true;
  }
}
