import { Logger } from '@nestjs/common';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { CallToolResultSchema } from '@modelcontextprotocol/sdk/types.js';
import type { ToolCall, ToolOutcome } from '@todo/assistant-contract';
import type { ToolRunner } from '../engines/chat-engine';
import { createMcpToolServer } from './mcp-tool-server';

/** How tool outcomes become MCP results, with a scripted runner in place of the task executor. */
describe('createMcpToolServer', () => {
  let client: Client;
  let outcome: () => ToolOutcome;
  const calls: ToolCall[] = [];
  const runner: ToolRunner = {
    run: async (call) => {
      calls.push(call);
      return { ...call, result: outcome() };
    },
  };

  beforeEach(async () => {
    calls.length = 0;
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    await createMcpToolServer(runner).connect(serverSide);
    client = new Client({ name: 'spec', version: '1' });
    await client.connect(clientSide);
  });
  afterEach(async () => {
    jest.restoreAllMocks();
    await client.close();
  });

  it('passes the call through and answers with the sentence and the data', async () => {
    outcome = () => ({ status: 'done', message: 'Added #3 Call mom', data: { task: { number: 3 } } });
    const result = await client.callTool({ name: 'add_task', arguments: { title: 'Call mom' } });
    expect(calls).toEqual([{ name: 'add_task', arguments: { title: 'Call mom' } }]);
    expect(result).toEqual({
      content: [{ type: 'text', text: 'Added #3 Call mom' }],
      structuredContent: { task: { number: 3 } },
    });
  });

  it('a question back is an answer, not an error; a failure is an error result', async () => {
    outcome = () => ({ status: 'question', message: 'Which task do you mean?', data: { candidates: [] } });
    expect((await client.callTool({ name: 'complete_task' })).isError).toBeUndefined();
    expect(calls[0].arguments).toEqual({});

    outcome = () => ({ status: 'failed', message: 'Task #9 was not found.' });
    expect(await client.callTool({ name: 'complete_task', arguments: { task: { number: 9 } } })).toEqual({
      content: [{ type: 'text', text: 'Task #9 was not found.' }],
      isError: true,
    });
  });

  it('answers malformed tools/call params as Invalid params, not as an internal error', async () => {
    for (const params of [undefined, { name: 'add_task', arguments: 'buy milk' }, { arguments: {} }])
      await expect(
        client.request({ method: 'tools/call', params } as never, CallToolResultSchema),
      ).rejects.toThrow(/MCP error -32602: Invalid tools\/call request/);
    expect(calls).toEqual([]);
  });

  it('keeps data that is not an object out of structured content', async () => {
    outcome = () => ({ status: 'done', message: 'Nothing to show', data: ['a list'] });
    expect((await client.callTool({ name: 'list_tasks' })).structuredContent).toBeUndefined();
  });

  it('reports a bug as an internal error without its details, and logs it', async () => {
    const logged = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    outcome = () => {
      throw new Error('connection to 10.0.0.7 refused');
    };
    await expect(client.callTool({ name: 'list_tasks' })).rejects.toThrow(
      'MCP error -32603: Something went wrong on our side; it has been logged',
    );
    expect(logged).toHaveBeenCalledWith(
      expect.objectContaining({ message: 'connection to 10.0.0.7 refused' }),
    );
  });
});
