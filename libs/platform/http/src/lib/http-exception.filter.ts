import { ArgumentsHost, Catch, ExceptionFilter, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ABORTED_REQUEST_MESSAGE } from '@todo/logging';
import { toErrorResponse } from './error-response';

const logger = new Logger('HttpErrors');

/** Sends any error in the one documented shape, with the request id for support; bugs are logged. */
export function sendErrorResponse(error: unknown, request: FastifyRequest, reply: FastifyReply): void {
  const { status, body, internal, retryAfterSeconds } = toErrorResponse(error);
  // A client that hung up while its body was arriving is no fault of ours (the answer goes nowhere).
  if (request.raw.readableAborted) logger.log(ABORTED_REQUEST_MESSAGE);
  else if (internal) logger.error(error);
  body.error.request_id = request.id;
  if (retryAfterSeconds !== undefined) void reply.header('retry-after', String(retryAfterSeconds));
  void reply.status(status).header('content-type', 'application/json; charset=utf-8').send(body);
}

/** Errors raised in route handlers, guards and pipes (REST). */
@Catch()
export class HttpExceptionFilter implements ExceptionFilter {
  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw exception; // GraphQL renders its own errors
    const http = host.switchToHttp();
    sendErrorResponse(exception, http.getRequest<FastifyRequest>(), http.getResponse<FastifyReply>());
  }
}
