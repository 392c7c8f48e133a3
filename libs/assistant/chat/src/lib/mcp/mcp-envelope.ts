import { findUnstorableText } from '@todo/validation';
import { z } from 'zod';

/**
 * Checks an `initialize` message before the MCP SDK sees it. The SDK answers some malformed `initialize`
 * requests (capabilities that are no object, a protocol version with a lone surrogate) with -32603
 * "Internal error"; a client that sent bad params should hear -32602 "Invalid params" naming them.
 * Returns the error answer, or undefined when the message may go on.
 */
const initializeParams = z.looseObject({
  protocolVersion: z.string(),
  capabilities: z.looseObject({}),
  clientInfo: z.looseObject({ name: z.string(), version: z.string() }),
});

interface JsonRpcError {
  readonly jsonrpc: '2.0';
  readonly id: string | number | null;
  readonly error: { readonly code: number; readonly message: string };
}

export function refusedEnvelope(body: unknown): JsonRpcError | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return undefined;
  const { id, method, params } = body as { id?: unknown; method?: unknown; params?: unknown };
  const answerId = typeof id === 'string' || typeof id === 'number' ? id : null;
  const invalid = (message: string): JsonRpcError => ({
    jsonrpc: '2.0',
    id: answerId,
    error: { code: -32602, message: `Invalid params: ${message}` },
  });
  // Tool calls check their own arguments (a tool error the model can read); initialize has no tool.
  if (method !== 'initialize') return undefined;
  const unstorable = findUnstorableText(params);
  if (unstorable) return invalid(`${['params', ...unstorable.path].join('.')} ${unstorable.message}`);
  const parsed = initializeParams.safeParse(params);
  if (parsed.success) return undefined;
  const [issue] = parsed.error.issues;
  return invalid(`params.${issue.path.join('.')}: ${issue.message}`);
}
