import { interleave, protocolErrors } from './fuzz-runner';

describe('protocolErrors', () => {
  it('finds internal errors inside GraphQL and JSON-RPC answers, batched or not', () => {
    expect(
      protocolErrors(
        JSON.stringify({ data: null, errors: [{ extensions: { code: 'INTERNAL_ERROR', status: 500 } }] }),
      ),
    ).toEqual(['GraphQL internal error (INTERNAL_ERROR)']);
    expect(
      protocolErrors(JSON.stringify([{ jsonrpc: '2.0', id: 1, error: { code: -32603, message: 'x' } }])),
    ).toEqual(['MCP internal error (-32603)']);
  });

  it('leaves errors a client caused alone, and text that is not JSON', () => {
    expect(
      protocolErrors(JSON.stringify({ errors: [{ extensions: { code: 'NOT_FOUND', status: 404 } }] })),
    ).toEqual([]);
    expect(protocolErrors(JSON.stringify({ jsonrpc: '2.0', id: 1, error: { code: -32602 } }))).toEqual([]);
    expect(protocolErrors('<html>')).toEqual([]);
  });
});

describe('interleave', () => {
  it('takes one from each list in turn', () => {
    expect(interleave<unknown>([[1, 2, 3], ['a'], [], [true, false]])).toEqual([1, 'a', true, 2, false, 3]);
  });
});
