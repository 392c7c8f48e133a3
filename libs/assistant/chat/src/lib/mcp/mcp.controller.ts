import {
  Controller,
  Delete,
  Get,
  MethodNotAllowedException,
  Post,
  Req,
  Res,
  UseFilters,
} from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { type Actor, CurrentActor } from '@todo/auth';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { TaskToolExecutor } from '../tools/task-tool-executor';
import { BearerChallengeFilter } from './bearer-challenge.filter';
import { refusedEnvelope } from './mcp-envelope';
import { createMcpToolServer } from './mcp-tool-server';

/**
 * MCP over Streamable HTTP, stateless: every POST gets a fresh server whose tools run as the user
 * of the verified bearer token (the global guard), so a client can only ever reach its own tasks.
 * JSON-RPC, not REST, hence not in the OpenAPI document.
 */
@ApiExcludeController()
@UseFilters(BearerChallengeFilter)
@Controller('mcp')
export class McpController {
  constructor(private readonly tools: TaskToolExecutor) {}

  @Post()
  async handle(
    @CurrentActor() actor: Actor,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const refused = refusedEnvelope(request.body);
    if (refused) return void reply.status(200).send(refused);
    const server = createMcpToolServer(this.tools.forActor(actor));
    const transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: undefined,
      enableJsonResponse: true,
    });
    await server.connect(transport);
    reply.raw.on('close', () => void server.close());
    // The transport writes to Node's response itself; Fastify must neither send nor complain.
    reply.hijack();
    keepHeadersSetByHooks(reply);
    await transport.handleRequest(request.raw, reply.raw, request.body);
  }

  @Get()
  refuseStream(@Res({ passthrough: true }) reply: FastifyReply): never {
    throw methodNotAllowed(reply);
  }

  @Delete()
  refuseSessionEnd(@Res({ passthrough: true }) reply: FastifyReply): never {
    throw methodNotAllowed(reply);
  }
}

/** Without sessions there is no server-sent stream to GET and nothing to DELETE (the spec allows 405). */
function methodNotAllowed(reply: FastifyReply): MethodNotAllowedException {
  void reply.header('allow', 'POST');
  return new MethodNotAllowedException(
    'This MCP endpoint is stateless: POST JSON-RPC messages to it; there is no stream or session',
  );
}

/** Headers Fastify hooks set on the reply (request id, CORS) are sent only by Fastify, not after a hijack. */
function keepHeadersSetByHooks(reply: FastifyReply): void {
  for (const [name, value] of Object.entries(reply.getHeaders()))
    if (value !== undefined) reply.raw.setHeader(name, value);
}
