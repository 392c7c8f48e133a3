import { Controller, HttpCode, Post, Req } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { AccessTokens, type AuthenticatedRequest } from '@todo/auth';
import { UnauthorizedError } from '@todo/errors';
import { ApiEndpoint } from '@todo/http';
import { z } from 'zod';
import { RealtimeTickets } from './realtime-tickets';

const ticketSchema = z.object({
  ticket: z.string().describe('Connect to /realtime?ticket=<ticket> within 30 seconds; usable once'),
  expires_at: z.iso.datetime({ offset: true }),
});

@ApiTags('realtime')
@Controller('realtime')
export class RealtimeTicketController {
  constructor(
    private readonly tickets: RealtimeTickets,
    private readonly tokens: AccessTokens,
  ) {}

  /**
   * A single-use ticket for `wss://…/realtime?ticket=…`, valid for 30 seconds, for clients that
   * cannot send the token in `Sec-WebSocket-Protocol`.
   */
  @Post('ticket')
  @HttpCode(201)
  @ApiEndpoint({
    operationId: 'issueRealtimeTicket',
    summary: 'A single-use ticket to open the live-updates WebSocket without a token header',
    responses: { 201: { description: 'The ticket', schema: ticketSchema } },
  })
  async issue(@Req() request: AuthenticatedRequest) {
    // the guard already checked the token and the account; its expiry bounds the socket's life
    const token = await this.tokens.inspect((request.headers.authorization ?? '').split(' ')[1] ?? '');
    if (!token) throw new UnauthorizedError();
    const issued = await this.tickets.issue(token);
    return { ticket: issued.ticket, expires_at: issued.expiresAt.toISOString() };
  }
}
