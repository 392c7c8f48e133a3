import { parseOrThrow, ValidationError } from '@todo/errors';
import { z } from 'zod';
import { type ParsedToolCall, type ToolCall, type ToolName, TOOL_NAMES, TOOLS } from './tool-schemas';

/** A tool as LLM providers and MCP clients see it: a name, a description and a JSON Schema. */
export interface ToolDefinition {
  readonly name: ToolName;
  readonly description: string;
  readonly inputSchema: Record<string, unknown>;
}

/** JSON Schema of what a caller may send (defaults are optional there, as zod's input type says). */
export const TOOL_DEFINITIONS: readonly ToolDefinition[] = TOOL_NAMES.map((name) => {
  const { $schema: _dialect, ...inputSchema } = z.toJSONSchema(TOOLS[name].arguments, {
    io: 'input',
    unrepresentable: 'any',
  });
  return { name, description: TOOLS[name].description, inputSchema };
});

const isToolName = (name: string): name is ToolName => Object.hasOwn(TOOLS, name);

/** Checks a call from any engine or client against its tool's schema: a clear 400-style error otherwise. */
export function parseToolCall(call: ToolCall): ParsedToolCall {
  if (!isToolName(call.name))
    throw new ValidationError([
      { path: 'name', message: `unknown tool "${call.name}"; the tools are ${TOOL_NAMES.join(', ')}` },
    ]);
  return {
    name: call.name,
    arguments: parseOrThrow(TOOLS[call.name].arguments, call.arguments ?? {}),
  } as ParsedToolCall;
}
