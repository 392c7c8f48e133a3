import fc from 'fast-check';
import type { FuzzRequest } from './fuzz-request';
import { type FuzzTargets, hostileString } from './hostile-values';
import { fromJsonSchema, type JsonSchema } from './json-schema-arbitraries';

/** Phrases the offline engine parses, pushed to their edges: impossible times, huge counts, odd rules. */
const PHRASES = [
  'add',
  'Add a task to',
  'remind me to',
  'show my tasks',
  'list tasks tagged',
  'complete task',
  'delete task',
  'rename task 1 to',
  "what's due",
  'tomorrow at 5pm',
  'at 24:00',
  'at 25:61',
  'on 0001-01-01',
  'on 9999-12-31 at 23:59',
  'on February 30',
  'in 99999999 years',
  'yesterday',
  'every day',
  'every 0 days',
  'every 99999 weeks',
  'every second',
  'every last day of February',
  'every 31st',
  'every! 2 days',
  'until 0001',
  'remind me 1 hour before',
  'remind me 9999 days before',
  'remind me at 0001-01-01 00:00',
  'remind me 0 minutes before',
  'p1',
  '!!!',
  'urgent',
  '#work',
  '"quoted #not-a-tag tomorrow"',
  'task 99999999999999999999',
  'the first one',
  'the last one',
];

/** A chat message: phrases, references to anyone's tasks and hostile text, in any order. */
function chatMessage(targets: FuzzTargets): fc.Arbitrary<string> {
  const refs = [...targets.ownTaskRefs, ...targets.foreignTaskRefs].map((ref) => `#${ref}`);
  const piece = fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...PHRASES) },
    { weight: 1, arbitrary: fc.constantFrom(...refs) },
    { weight: 2, arbitrary: hostileString(targets) },
  );
  return fc.array(piece, { minLength: 1, maxLength: 6 }).map((pieces) => pieces.join(' '));
}

/** POST /api/v1/chat and /chat/interpret with hostile messages, conversations, `now` and `time_zone`. */
export function chatRequests(targets: FuzzTargets): fc.Arbitrary<FuzzRequest> {
  const conversationId = fc.option(
    fc.oneof(
      fc.constantFrom(...targets.ownConversationIds, ...targets.foreignConversationIds),
      hostileString(targets, 'conversation_id'),
    ),
    { freq: 2 },
  );
  const send = fc
    .record({ message: chatMessage(targets), conversation_id: conversationId })
    .map(({ message, conversation_id }): FuzzRequest => ({
      surface: 'chat',
      operation: 'POST /api/v1/chat',
      method: 'POST',
      path: '/api/v1/chat',
      body: { message, ...(conversation_id !== null && { conversation_id }) },
      auth: 'attacker',
    }));
  const interpret = fc
    .record(
      {
        message: chatMessage(targets),
        now: hostileString(targets, 'now'),
        time_zone: hostileString(targets, 'time_zone'),
      },
      { requiredKeys: ['message'] },
    )
    .map((body): FuzzRequest => ({
      surface: 'chat',
      operation: 'POST /api/v1/chat/interpret',
      method: 'POST',
      path: '/api/v1/chat/interpret',
      body,
      auth: 'attacker',
    }));
  return fc.oneof(send, interpret);
}

const MCP_ACCEPT = 'application/json, text/event-stream';

const mcpPost = (operation: string, body: unknown): FuzzRequest => ({
  surface: 'mcp',
  operation,
  method: 'POST',
  path: '/mcp',
  body,
  headers: { accept: MCP_ACCEPT },
  auth: 'attacker',
});

/** JSON-RPC `tools/call` for one tool, arguments generated from its input schema. */
export function mcpToolCalls(
  tool: { name: string; inputSchema: Record<string, unknown> },
  targets: FuzzTargets,
): fc.Arbitrary<FuzzRequest> {
  return fc
    .tuple(fromJsonSchema(tool.inputSchema as JsonSchema, targets), fc.integer({ min: 1, max: 1_000_000 }))
    .map(([args, id]) =>
      mcpPost(`tools/call ${tool.name}`, {
        jsonrpc: '2.0',
        id,
        method: 'tools/call',
        params: { name: tool.name, arguments: args },
      }),
    );
}

/** Requests that misuse the JSON-RPC envelope rather than a tool's arguments. */
export function mcpEnvelopeRequests(): FuzzRequest[] {
  const call = (params: unknown, extra: object = {}) => ({
    jsonrpc: '2.0',
    id: 1,
    method: 'tools/call',
    params,
    ...extra,
  });
  const cases: Array<[string, unknown]> = [
    ['unknown tool', call({ name: 'drop_database', arguments: {} })],
    ['tool name with NUL', call({ name: 'add_task\u0000', arguments: { title: 'x' } })],
    ['arguments not an object', call({ name: 'add_task', arguments: 'buy milk' })],
    ['arguments a list', call({ name: 'list_tasks', arguments: [1, 2] })],
    ['params missing', call(undefined)],
    ['params a string', call('add_task')],
    ['id an object', call({ name: 'list_tasks', arguments: {} }, { id: { nested: true } })],
    ['id huge', call({ name: 'list_tasks', arguments: {} }, { id: 'i'.repeat(100_000) })],
    ['wrong jsonrpc version', call({ name: 'list_tasks', arguments: {} }, { jsonrpc: '1.0' })],
    ['unknown method', { jsonrpc: '2.0', id: 1, method: 'tasks/drop', params: {} }],
    ['notification only', { jsonrpc: '2.0', method: 'notifications/initialized' }],
    ['empty batch', []],
    [
      'batch of 200 calls',
      Array.from({ length: 200 }, (_, id) => ({ ...call({ name: 'list_tasks', arguments: {} }), id })),
    ],
    [
      'initialize with capabilities not an object',
      {
        jsonrpc: '2.0',
        id: 1,
        method: 'initialize',
        params: { protocolVersion: '2025-06-18', capabilities: 7 },
      },
    ],
    [
      'initialize with a lone surrogate',
      {
        jsonrpc: '2.0',
        id: 1,
        method: 'initialize',
        params: { protocolVersion: '\ud800', capabilities: {} },
      },
    ],
    ['response object instead of request', { jsonrpc: '2.0', id: 1, result: {} }],
  ];
  return [
    ...cases.map(([label, body]) => mcpPost(`envelope · ${label}`, body)),
    { ...mcpPost('envelope · no accept header', call({ name: 'list_tasks', arguments: {} })), headers: {} },
    {
      ...mcpPost('envelope · malformed JSON', undefined),
      rawBody: '{"jsonrpc":"2.0",',
      headers: { accept: MCP_ACCEPT, 'content-type': 'application/json' },
    },
  ];
}
