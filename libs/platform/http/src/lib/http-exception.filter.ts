import { ArgumentsHost, Catch, ExceptionFilter, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { toErrorResponse } from './error-response';

/** Renders every REST error in the one documented shape, with the request id for support. */
@Catch()
export class HttpExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpExceptionFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw exception; // GraphQL renders its own errors
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const { status, body, internal } = toErrorResponse(exception);
    if (internal) this.logger.error(exception);
    body.error.request_id = request.id;
    void reply.status(status).header('content-type', 'application/json; charset=utf-8').send(body);
  }
}
