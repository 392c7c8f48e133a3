import { Inject, Injectable } from '@nestjs/common';
import type { Actor } from '@todo/auth';
import { APP_CONFIG, type AppConfig, type WebPushConfig } from '@todo/config';
import { AppError, parseOrThrow, type PathStyle, ValidationError } from '@todo/errors';
import { pushSubscriptionInputSchema } from './push-subscription-input';
import { PushSubscriptions, type PushSubscriptionView } from './push-subscriptions';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The subscription operations behind REST and GraphQL: validation, the caller's scope, "is it on". */
@Injectable()
export class PushSubscriptionService {
  private readonly config: WebPushConfig;
  private readonly inputSchema: ReturnType<typeof pushSubscriptionInputSchema>;

  constructor(
    private readonly subscriptions: PushSubscriptions,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.config = config.webPush;
    this.inputSchema = pushSubscriptionInputSchema(config.webPush);
  }

  /** The `applicationServerKey` for `pushManager.subscribe`. */
  vapidPublicKey(): string {
    return this.vapid().publicKey;
  }

  list(actor: Actor): Promise<PushSubscriptionView[]> {
    this.vapid();
    return this.subscriptions.list(actor.userId);
  }

  subscribe(actor: Actor, input: unknown, style: PathStyle) {
    this.vapid();
    return this.subscriptions.subscribe(actor.userId, parseOrThrow(this.inputSchema, input, style));
  }

  async unsubscribe(actor: Actor, id: string): Promise<void> {
    this.vapid();
    if (!UUID.test(id))
      throw new ValidationError([{ path: 'id', message: 'must be a push subscription id (uuid)' }]);
    await this.subscriptions.unsubscribe(actor.userId, id.toLowerCase());
  }

  private vapid() {
    if (!this.config.vapid)
      throw new AppError(
        'not_found',
        'Web Push is not enabled on this server: its operator has to set VAPID_PUBLIC_KEY and VAPID_PRIVATE_KEY',
      );
    return this.config.vapid;
  }
}
