import { Logger } from '@nestjs/common';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import {
  CallToolRequestSchema,
  type CallToolResult,
  ErrorCode,
  ListToolsRequestSchema,
  McpError,
  type Tool,
} from '@modelcontextprotocol/sdk/types.js';
import { type ExecutedToolCall, TOOL_DEFINITIONS } from '@todo/assistant-contract';
import { toErrorResponse } from '@todo/http';
import { z } from 'zod';
import type { ToolRunner } from '../engines/chat-engine';

/** Reported to MCP clients at initialization; the version is the product's (package.json). */
const SERVER_INFO = { name: 'todo-assistant', version: '0.1.0' };

const INSTRUCTIONS =
  "Manage the signed-in user's tasks. Times are wall times in the user's own time zone, without an " +
  'offset: "YYYY-MM-DD" for all day or "YYYY-MM-DDTHH:mm". Refer to a task by its number (#N) or ' +
  'by words from its title.';

/**
 * The one tool definition set, listed unchanged. The low-level Server is used because the
 * high-level McpServer derives schemas from zod itself and would validate with its own messages.
 * Every definition comes from a zod object schema, so its JSON Schema has `type: "object"`.
 */
const TOOLS: Tool[] = TOOL_DEFINITIONS.map(({ name, description, inputSchema }) => ({
  name,
  description,
  inputSchema: inputSchema as Tool['inputSchema'],
}));

const logger = new Logger('McpToolServer');

/**
 * tools/call with params of any shape. The SDK's Server checks them against CallToolRequestSchema
 * itself and answers a bad one with Invalid params (-32602); registered with that strict schema,
 * the protocol layer would parse first and answer a client's mistake as an Internal error (-32603).
 */
const ToolsCallSchema = z.object({ method: z.literal('tools/call'), params: z.unknown().optional() });

/** MCP's result shape: the friendly sentence as text, the data as structured content. */
function toCallToolResult({ result }: ExecutedToolCall): CallToolResult {
  const { data } = result;
  const isObject = typeof data === 'object' && data !== null && !Array.isArray(data);
  return {
    content: [{ type: 'text', text: result.message }],
    ...(isObject && { structuredContent: data as Record<string, unknown> }),
    ...(result.status === 'failed' && { isError: true }),
  };
}

/**
 * An MCP server whose tools run as one user. The runner answers problems a person can fix (bad
 * arguments, unknown tools, missing tasks) as results; anything it throws is a bug, reported to
 * the client as an internal error without its details.
 */
export function createMcpToolServer(tools: ToolRunner): Server {
  const server = new Server(SERVER_INFO, { capabilities: { tools: {} }, instructions: INSTRUCTIONS });
  server.setRequestHandler(ListToolsRequestSchema, () => ({ tools: TOOLS }));
  server.setRequestHandler(ToolsCallSchema, async (request) => {
    const { params } = CallToolRequestSchema.parse(request); // checked by the Server already
    try {
      return toCallToolResult(await tools.run({ name: params.name, arguments: params.arguments ?? {} }));
    } catch (error) {
      const { body, internal } = toErrorResponse(error);
      if (internal) logger.error(error);
      throw new McpError(ErrorCode.InternalError, body.error.message);
    }
  });
  return server;
}
