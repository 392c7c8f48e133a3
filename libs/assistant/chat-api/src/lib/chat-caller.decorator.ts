import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { ChatCaller } from '@todo/assistant-contract';
import { requestOf } from '@todo/auth';
import { UnauthorizedError } from '@todo/errors';

/**
 * The authenticated caller with the bearer token it presented: the in-process chat uses the actor,
 * the remote adapters forward the token so the chat-agent authenticates the same user itself.
 */
export const CurrentChatCaller = createParamDecorator((_: unknown, context: ExecutionContext): ChatCaller => {
  const request = requestOf(context);
  const [, bearerToken] = (request.headers.authorization ?? '').split(' ');
  if (!request.actor || !bearerToken) throw new UnauthorizedError();
  return { actor: request.actor, bearerToken };
});
