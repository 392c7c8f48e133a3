import { type ArgumentsHost, Catch, type ExceptionFilter } from '@nestjs/common';
import { UnauthorizedError } from '@todo/errors';
import { sendErrorResponse } from '@todo/http';
import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * MCP clients learn how to authenticate from a 401's WWW-Authenticate challenge (MCP
 * authorization, RFC 6750); the body stays the API's usual error shape.
 */
@Catch(UnauthorizedError)
export class BearerChallengeFilter implements ExceptionFilter {
  catch(error: UnauthorizedError, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const challenge = request.headers.authorization ? 'Bearer error="invalid_token"' : 'Bearer';
    void reply.header('www-authenticate', challenge);
    sendErrorResponse(error, request, reply);
  }
}
