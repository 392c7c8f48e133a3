import { ExecutionContext, Injectable } from '@nestjs/common';
import { GqlExecutionContext } from '@nestjs/graphql';
import { ThrottlerGuard } from '@nestjs/throttler';
import { requestOf } from '@todo/auth';
import { AppError } from '@todo/errors';

/** Limits sign-in attempts per client address, for REST and GraphQL alike (throttler "login"). */
@Injectable()
export class LoginThrottlerGuard extends ThrottlerGuard {
  protected override getRequestResponse(context: ExecutionContext) {
    const req = requestOf(context);
    const res =
      context.getType<string>() === 'graphql'
        ? GqlExecutionContext.create(context).getContext().reply
        : context.switchToHttp().getResponse();
    return { req: req as unknown as Record<string, unknown>, res };
  }

  protected override async throwThrottlingException(): Promise<void> {
    throw new AppError(
      'rate_limited',
      'Too many sign-in attempts from this address; wait a minute and try again',
    );
  }
}
