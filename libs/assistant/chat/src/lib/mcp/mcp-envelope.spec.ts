import { refusedEnvelope } from './mcp-envelope';

const initialize = (params: unknown) => ({ jsonrpc: '2.0', id: 1, method: 'initialize', params });
const client = { name: 'test', version: '1' };

describe('refusedEnvelope', () => {
  it('lets a well-formed initialize and other methods through', () => {
    expect(
      refusedEnvelope(initialize({ protocolVersion: '2025-06-18', capabilities: {}, clientInfo: client })),
    ).toBeUndefined();
    expect(refusedEnvelope({ jsonrpc: '2.0', id: 2, method: 'tools/list' })).toBeUndefined();
  });

  it.each([
    [
      'capabilities that are no object',
      { protocolVersion: '2025-06-18', capabilities: 7, clientInfo: client },
      /params\.capabilities/,
    ],
    [
      'a lone surrogate',
      { protocolVersion: '\ud800', capabilities: {}, clientInfo: client },
      /params\.protocolVersion must be well-formed Unicode/,
    ],
    ['no client info', { protocolVersion: '2025-06-18', capabilities: {} }, /params\.clientInfo/],
  ])('answers -32602 for %s', (_, params, message) => {
    expect(refusedEnvelope(initialize(params))).toEqual({
      jsonrpc: '2.0',
      id: 1,
      error: { code: -32602, message: expect.stringMatching(message) },
    });
  });

  it('names where text PostgreSQL could not store is, and leaves tool calls to the tools', () => {
    const hello = initialize({
      protocolVersion: '2025-06-18',
      capabilities: {},
      clientInfo: { name: 'a\u0000', version: '1' },
    });
    expect(refusedEnvelope(hello)?.error.message).toBe(
      'Invalid params: params.clientInfo.name must not contain NUL characters (\\u0000)',
    );
    const call = {
      jsonrpc: '2.0',
      id: 'a',
      method: 'tools/call',
      params: { name: 'add_task', arguments: { title: 'a\u0000b' } },
    };
    expect(refusedEnvelope(call)).toBeUndefined();
  });
});
