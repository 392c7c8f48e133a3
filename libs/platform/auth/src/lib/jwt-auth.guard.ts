import { CanActivate, createParamDecorator, ExecutionContext, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { UnauthorizedError } from '@todo/errors';
import { AccessTokens } from './access-tokens';
import { type Actor, ActorResolver } from './actor';
import { requestOf } from './request-context';

const IS_PUBLIC = Symbol('isPublic');

/** Opts a route or resolver out of authentication (health, login, register). */
export const Public = () => SetMetadata(IS_PUBLIC, true);

/** The authenticated caller of a REST handler or GraphQL resolver. */
export const CurrentActor = createParamDecorator((_: unknown, context: ExecutionContext): Actor => {
  const actor = requestOf(context).actor;
  if (!actor) throw new UnauthorizedError();
  return actor;
});

/**
 * Secure by default: registered as the global guard, every route needs a valid bearer token
 * unless marked @Public(). The token's subject must still be an existing account.
 */
@Injectable()
export class JwtAuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: AccessTokens,
    private readonly actors: ActorResolver,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()]))
      return true;
    const request = requestOf(context);
    const [scheme, token] = (request.headers.authorization ?? '').split(' ');
    if (scheme?.toLowerCase() !== 'bearer' || !token) throw new UnauthorizedError();
    const userId = await this.tokens.verify(token);
    const actor = userId ? await this.actors.resolve(userId) : null;
    if (!actor) throw new UnauthorizedError('The access token is invalid or expired; sign in again');
    request.actor = actor;
    return true;
  }
}
