import { Body, Controller, Delete, Get, HttpCode, Param, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { type Actor, CurrentActor, Public } from '@todo/auth';
import { ApiZodBody } from '@todo/http';
import type { FastifyReply } from 'fastify';
import { pushSubscriptionInputSchema } from './push-subscription-input';
import { PushSubscriptionService } from './push-subscription.service';

/**
 * Web Push for the signed-in user's browsers: the web app fetches the server's VAPID public key,
 * calls `pushManager.subscribe({applicationServerKey})` and posts the resulting `PushSubscription`.
 */
@ApiTags('push')
@ApiBearerAuth()
@Controller('push')
export class PushSubscriptionsController {
  constructor(private readonly service: PushSubscriptionService) {}

  /** Public by nature: it is what browsers sign up with. */
  @Public()
  @Get('vapid-public-key')
  vapidPublicKey() {
    return { public_key: this.service.vapidPublicKey() };
  }

  @Get('subscriptions')
  async list(@CurrentActor() actor: Actor) {
    return { items: await this.service.list(actor) };
  }

  /** 201 for a new browser; 200 when the endpoint was known (keys refreshed, or taken over from another account). */
  @Post('subscriptions')
  @ApiZodBody(pushSubscriptionInputSchema({ allowHttpLoopback: false }))
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
  async unsubscribe(@CurrentActor() actor: Actor, @Param('id') id: string) {
    await this.service.unsubscribe(actor, id);
  }
}
