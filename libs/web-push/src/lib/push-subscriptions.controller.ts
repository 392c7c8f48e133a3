import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { type Actor, CurrentActor, Public } from '@todo/auth';
import { APP_CONFIG, type AppConfig, type WebPushConfig } from '@todo/config';
import { AppError, parseOrThrow, ValidationError } from '@todo/errors';
import { ApiZodBody } from '@todo/http';
import type { FastifyReply } from 'fastify';
import { pushSubscriptionInputSchema } from './push-subscription-input';
import { PushSubscriptions } from './push-subscriptions';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Web Push for the signed-in user's browsers: the web app fetches the server's VAPID public key,
 * calls `pushManager.subscribe({applicationServerKey})` and posts the resulting `PushSubscription`.
 */
@ApiTags('push')
@ApiBearerAuth()
@Controller('push')
export class PushSubscriptionsController {
  private readonly config: WebPushConfig;
  private readonly inputSchema: ReturnType<typeof pushSubscriptionInputSchema>;

  constructor(
    private readonly subscriptions: PushSubscriptions,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.config = config.webPush;
    this.inputSchema = pushSubscriptionInputSchema(config.webPush);
  }

  /** The `applicationServerKey` for `pushManager.subscribe` (public by nature). */
  @Public()
  @Get('vapid-public-key')
  vapidPublicKey() {
    return { public_key: this.vapid().publicKey };
  }

  @Get('subscriptions')
  async list(@CurrentActor() actor: Actor) {
    this.vapid();
    return { items: await this.subscriptions.list(actor.userId) };
  }

  /** 201 for a new browser; 200 when the endpoint was known (keys refreshed, or taken over from another account). */
  @Post('subscriptions')
  @ApiZodBody(pushSubscriptionInputSchema({ allowHttpLoopback: false }))
  async subscribe(
    @CurrentActor() actor: Actor,
    @Body() body: unknown,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    this.vapid();
    const input = parseOrThrow(this.inputSchema, body);
    const { subscription, created } = await this.subscriptions.subscribe(actor.userId, input);
    reply.status(created ? 201 : 200);
    return subscription;
  }

  @Delete('subscriptions/:id')
  @HttpCode(204)
  async unsubscribe(@CurrentActor() actor: Actor, @Param('id') id: string) {
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
