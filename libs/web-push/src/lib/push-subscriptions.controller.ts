import { Body, Controller, Delete, Get, HttpCode, Param, Post, Res } from '@nestjs/common';
import { ApiParam, ApiTags } from '@nestjs/swagger';
import { type Actor, CurrentActor, Public } from '@todo/auth';
import { ApiEndpoint } from '@todo/http';
import type { FastifyReply } from 'fastify';
import { pushSubscriptionInputSchema } from './push-subscription-input';
import { PushSubscriptionService } from './push-subscription.service';
import { pushSubscriptionViewSchema } from './push-subscriptions';
import { z } from 'zod';

const PUSH_OFF = 'Web Push is not enabled on this server (no VAPID keys configured)';

/**
 * Web Push for the signed-in user's browsers: the web app fetches the server's VAPID public key,
 * calls `pushManager.subscribe({applicationServerKey})` and posts the resulting `PushSubscription`.
 */
@ApiTags('push')
@Controller('push')
export class PushSubscriptionsController {
  constructor(private readonly service: PushSubscriptionService) {}

  /** Public by nature: it is what browsers sign up with. */
  @Public()
  @Get('vapid-public-key')
  @ApiEndpoint({
    operationId: 'getVapidPublicKey',
    summary: "The server's VAPID public key (applicationServerKey)",
    public: true,
    responses: {
      200: {
        description: 'The key, URL-safe base64',
        schema: z.object({ public_key: z.string() }),
      },
    },
    errors: { 404: PUSH_OFF },
  })
  vapidPublicKey() {
    return { public_key: this.service.vapidPublicKey() };
  }

  @Get('subscriptions')
  @ApiEndpoint({
    operationId: 'listPushSubscriptions',
    summary: 'Your browsers subscribed to Web Push',
    responses: {
      200: {
        description: 'Your subscriptions',
        schema: z.object({ items: z.array(pushSubscriptionViewSchema) }),
      },
    },
    errors: { 404: PUSH_OFF },
  })
  async list(@CurrentActor() actor: Actor) {
    return { items: await this.service.list(actor) };
  }

  /** 201 for a new browser; 200 when the endpoint was known (keys refreshed, or taken over from another account). */
  @Post('subscriptions')
  @ApiEndpoint({
    operationId: 'subscribePush',
    summary: "Subscribe a browser to Web Push (the browser's PushSubscription as JSON)",
    body: pushSubscriptionInputSchema({ allowHttpLoopback: false }),
    responses: {
      201: { description: 'A new browser', schema: pushSubscriptionViewSchema },
      200: {
        description: 'A known endpoint: keys refreshed, or taken over',
        schema: pushSubscriptionViewSchema,
      },
    },
    errors: {
      404: PUSH_OFF,
      409: 'You receive notifications on the most browsers allowed; remove one first',
    },
  })
  async subscribe(
    @CurrentActor() actor: Actor,
    @Body() body: unknown,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const { subscription, created } = await this.service.subscribe(actor, body, 'snake');
    reply.status(created ? 201 : 200);
    return subscription;
  }

  @Delete('subscriptions/:id')
  @HttpCode(204)
  @ApiParam({ name: 'id', description: 'The subscription id (uuid)', schema: { type: 'string' } })
  @ApiEndpoint({
    operationId: 'unsubscribePush',
    summary: 'Unsubscribe a browser',
    responses: { 204: { description: 'Unsubscribed', schema: null } },
    errors: { 400: 'The id is not a uuid', 404: `No such subscription of yours, or: ${PUSH_OFF}` },
  })
  async unsubscribe(@CurrentActor() actor: Actor, @Param('id') id: string) {
    await this.service.unsubscribe(actor, id);
  }
}
