import { applyDecorators, ExecutionContext, Injectable, SetMetadata, UseGuards } from '@nestjs/common';
import { GqlExecutionContext } from '@nestjs/graphql';
import {
  SkipThrottle,
  ThrottlerGuard,
  type ThrottlerLimitDetail,
  type ThrottlerModuleOptions,
} from '@nestjs/throttler';
import { requestOf } from '@todo/auth';
import type { AppConfig } from '@todo/config';
import { AppError } from '@todo/errors';
import type { FastifyReply } from 'fastify';

/** Each budget is one named throttler: attempts per client address and window. */
const BUDGETS = {
  login: 'Too many sign-in attempts from this address',
  register: 'Too many accounts registered from this address',
} as const;

type AuthBudget = keyof typeof BUDGETS;

const BUDGET = Symbol('authBudget');

/** The throttlers behind the budgets, from the configured limits. */
export function authRateLimits(config: AppConfig): ThrottlerModuleOptions {
  return {
    throttlers: [
      { name: 'login', ttl: 60_000, limit: config.auth.loginRateLimitPerMinute },
      { name: 'register', ttl: 3_600_000, limit: config.auth.registrationRateLimitPerHour },
    ],
    // Its headers carry the throttler's name (Retry-After-login); the guard sends the standard one.
    setHeaders: false,
  };
}

/**
 * Counts every call (valid or not, REST or GraphQL, each alias of a GraphQL document) against the
 * client address's budget; over it, the call is refused with 429 and `Retry-After`.
 */
export const RateLimited = (budget: AuthBudget) =>
  applyDecorators(
    SetMetadata(BUDGET, budget),
    SkipThrottle(Object.fromEntries(Object.keys(BUDGETS).map((name) => [name, name !== budget]))),
    UseGuards(AuthRateLimitGuard),
  );

/** @nestjs/throttler with one counter per budget and client address, shared by REST and GraphQL. */
@Injectable()
class AuthRateLimitGuard extends ThrottlerGuard {
  protected override getRequestResponse(context: ExecutionContext) {
    return { req: requestOf(context) as unknown as Record<string, unknown>, res: replyOf(context) };
  }

  /** Not per handler (the default): the REST route and the GraphQL mutation draw from one budget. */
  protected override generateKey(_context: ExecutionContext, tracker: string, budget: string): string {
    return `${budget}:${tracker}`;
  }

  protected override async throwThrottlingException(
    context: ExecutionContext,
    { timeToBlockExpire }: ThrottlerLimitDetail,
  ): Promise<void> {
    const budget = this.reflector.get<AuthBudget>(BUDGET, context.getHandler());
    // A GraphQL refusal is a field error (other fields of the document may have succeeded, HTTP 200);
    // the header is on the HTTP response all the same.
    void replyOf(context).header('retry-after', String(timeToBlockExpire));
    throw new AppError('rate_limited', `${BUDGETS[budget]}; try again in ${timeToBlockExpire} seconds`);
  }
}

function replyOf(context: ExecutionContext): FastifyReply {
  return context.getType<string>() === 'graphql'
    ? GqlExecutionContext.create(context).getContext<{ reply: FastifyReply }>().reply
    : context.switchToHttp().getResponse<FastifyReply>();
}
