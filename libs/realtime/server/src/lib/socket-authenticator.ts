import { Inject, Injectable } from '@nestjs/common';
import { AccessTokens, ActorResolver, type VerifiedToken } from '@todo/auth';
import { APP_CONFIG, type AppConfig } from '@todo/config';
import { BEARER_PROTOCOL_PREFIX, CLOSE_CODES, REALTIME_PROTOCOL } from '@todo/realtime-contract';
import type { IncomingMessage } from 'node:http';
import { RealtimeTickets } from './realtime-tickets';

type Admission =
  | { readonly ok: true; readonly token: VerifiedToken }
  | { readonly ok: false; readonly code: number; readonly reason: string };

const refuse = (code: number, reason: string): Admission => ({ ok: false, code, reason });

/** The subprotocols a client offered in `Sec-WebSocket-Protocol`. */
function offeredProtocols(request: IncomingMessage): string[] {
  const header = request.headers['sec-websocket-protocol'];
  return (header ?? '')
    .split(',')
    .map((protocol) => protocol.trim())
    .filter(Boolean);
}

/**
 * Checked during the handshake: a client that offers subprotocols must offer `todo.realtime.v1`
 * (it would fail the handshake itself if the server selected none), so it is refused with a 400.
 */
export function offersOurProtocol(request: IncomingMessage): boolean {
  const protocols = offeredProtocols(request);
  return protocols.length === 0 || protocols.includes(REALTIME_PROTOCOL);
}

/**
 * Decides whether an upgraded socket may stay, before anything is sent on it: the page's origin,
 * the protocol version, and the credential — an access token offered as the subprotocol
 * `bearer.<token>` (next to `todo.realtime.v1`), or a single-use `?ticket=`. The account must still
 * exist. Never reads a token from the URL.
 */
@Injectable()
export class SocketAuthenticator {
  constructor(
    private readonly tokens: AccessTokens,
    private readonly actors: ActorResolver,
    private readonly tickets: RealtimeTickets,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async admit(request: IncomingMessage): Promise<Admission> {
    if (!this.originAllowed(request))
      return refuse(CLOSE_CODES.forbiddenOrigin, 'origin not allowed (CORS_ORIGINS)');
    const bearer = offeredProtocols(request).find((protocol) => protocol.startsWith(BEARER_PROTOCOL_PREFIX));
    const ticket = new URL(request.url ?? '/', 'ws://localhost').searchParams.get('ticket');
    const token = bearer
      ? await this.tokens.inspect(bearer.slice(BEARER_PROTOCOL_PREFIX.length))
      : ticket
        ? await this.tickets.redeem(ticket)
        : undefined;
    if (token === undefined)
      return refuse(
        CLOSE_CODES.unauthorized,
        `send the token as subprotocol ${BEARER_PROTOCOL_PREFIX}<token>, or a ticket`,
      );
    if (!token) return refuse(CLOSE_CODES.unauthorized, 'invalid or expired token or ticket');
    if (!(await this.actors.resolve(token.userId)))
      return refuse(CLOSE_CODES.unauthorized, 'the account no longer exists');
    return { ok: true, token };
  }

  /**
   * Browsers always send `Origin`; a page may connect from the app's own origin or one listed in
   * `CORS_ORIGINS` (`*`: any). Clients that are not browsers send none and cannot be a page hijacking
   * the user's session, so they are let through (they must still authenticate).
   */
  private originAllowed(request: IncomingMessage): boolean {
    const origin = request.headers.origin;
    if (!origin) return true;
    const allowed = this.config.http.corsOrigins;
    if (allowed.includes('*') || allowed.includes(origin)) return true;
    try {
      return new URL(origin).host === request.headers.host;
    } catch {
      return false;
    }
  }
}
