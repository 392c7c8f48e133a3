import {
  type ExecutedToolCall,
  TOOL_DEFINITIONS,
  type ToolCall,
  type ToolOutcome,
} from '@todo/assistant-contract';
import type { ChatConfig } from '@todo/config';
import {
  providerError,
  type ScriptedOpenAiServer,
  type ScriptedStep,
  startScriptedOpenAiServer,
  textCompletion,
  toolCallCompletion,
} from '@todo/testing';
import {
  ChatEngine,
  type ChatTurn,
  type EngineReply,
  type EngineRequest,
  type ToolRunner,
} from './chat-engine';
import { LlmEngine } from './llm-engine';

const API_KEY = 'sk-test-secret-key';

/** Records the calls; answers each with `outcome` (default: done). */
class FakeToolRunner implements ToolRunner {
  readonly calls: ToolCall[] = [];

  constructor(
    private readonly outcome: (call: ToolCall) => ToolOutcome = (call) => ({
      status: 'done',
      message: `${call.name} done`,
    }),
  ) {}

  async run(call: ToolCall): Promise<ExecutedToolCall> {
    this.calls.push(call);
    return { ...call, result: this.outcome(call) };
  }
}

class FakeOfflineEngine extends ChatEngine {
  readonly requests: EngineRequest[] = [];

  async reply(request: EngineRequest): Promise<EngineReply> {
    this.requests.push(request);
    return { response: 'the offline engine answered', tool_calls: [] };
  }
}

describe('LlmEngine against an OpenAI-compatible server', () => {
  let server: ScriptedOpenAiServer | undefined;
  let tools: FakeToolRunner;
  let offline: FakeOfflineEngine;
  let warnings: string[];

  beforeEach(() => {
    tools = new FakeToolRunner();
    offline = new FakeOfflineEngine();
    warnings = [];
  });
  afterEach(() => server?.close());

  async function engineFor(script: ScriptedStep[], settings: Partial<ChatConfig['llm']> = {}) {
    server = await startScriptedOpenAiServer(script);
    const logger = { warn: (message: unknown) => void warnings.push(String(message)) };
    return new LlmEngine(
      {
        apiKey: API_KEY,
        baseUrl: server.url,
        model: 'test-model',
        timeoutMs: 5000,
        maxSteps: 4,
        fallback: 'none',
        ...settings,
      },
      offline,
      logger,
    );
  }

  const ask = (engine: LlmEngine, message: string, history: ChatTurn[] = []) =>
    engine.reply({ message, history, now: '2026-03-02T09:15', timeZone: 'Europe/Berlin', tools });

  const sentMessages = (request: number) => server?.requests[request].body.messages ?? [];

  it('runs a tool call, sends its result back and answers with the final text', async () => {
    const engine = await engineFor([
      toolCallCompletion([
        { id: 'call_add', name: 'add_task', arguments: { title: 'Buy milk', due: '2026-03-03' } },
      ]),
      textCompletion('Added #12 Buy milk for tomorrow.'),
    ]);
    tools = new FakeToolRunner(() => ({
      status: 'done',
      message: 'Added #12 Buy milk',
      data: { number: 12 },
    }));
    const history: ChatTurn[] = [
      { role: 'user', content: 'What is due today?', tool_calls: [] },
      {
        role: 'assistant',
        content: 'Nothing is due today.',
        tool_calls: [
          {
            name: 'list_tasks',
            arguments: { status: 'pending' },
            result: { status: 'done', message: 'No tasks', data: { tasks: [] } },
          },
        ],
      },
    ];

    const reply = await ask(engine, 'Add buy milk tomorrow', history);

    expect(reply).toEqual({
      response: 'Added #12 Buy milk for tomorrow.',
      tool_calls: [
        {
          name: 'add_task',
          arguments: { title: 'Buy milk', due: '2026-03-03' },
          result: { status: 'done', message: 'Added #12 Buy milk', data: { number: 12 } },
        },
      ],
    });
    expect(tools.calls).toEqual([{ name: 'add_task', arguments: { title: 'Buy milk', due: '2026-03-03' } }]);

    const [first, second] = server?.requests ?? [];
    expect(first.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(first.body).toMatchObject({ model: 'test-model', tool_choice: 'auto' });
    expect(first.body.tools).toEqual(
      TOOL_DEFINITIONS.map((tool) => ({
        type: 'function',
        function: { name: tool.name, description: tool.description, parameters: tool.inputSchema },
      })),
    );
    const [system, ...conversation] = sentMessages(0);
    expect(system.role).toBe('system');
    expect(system.content).toContain('Monday 2026-03-02T09:15');
    expect(system.content).toContain('Europe/Berlin');
    expect(conversation).toEqual([
      { role: 'user', content: 'What is due today?' },
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          {
            id: 'history_1_0',
            type: 'function',
            function: { name: 'list_tasks', arguments: '{"status":"pending"}' },
          },
        ],
      },
      { role: 'tool', tool_call_id: 'history_1_0', content: '{"status":"done","message":"No tasks"}' },
      { role: 'assistant', content: 'Nothing is due today.' },
      { role: 'user', content: 'Add buy milk tomorrow' },
    ]);

    expect(second.body.messages.slice(0, -2)).toEqual(first.body.messages);
    expect(second.body.messages.slice(-2)).toEqual([
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          {
            id: 'call_add',
            type: 'function',
            function: { name: 'add_task', arguments: '{"title":"Buy milk","due":"2026-03-03"}' },
          },
        ],
      },
      {
        role: 'tool',
        tool_call_id: 'call_add',
        content: '{"status":"done","message":"Added #12 Buy milk","data":{"number":12}}',
      },
    ]);
  });

  it('runs several tool calls of one answer in order, each result under its own id', async () => {
    const engine = await engineFor([
      toolCallCompletion([
        { id: 'call_a', name: 'complete_task', arguments: { task: { number: 3 } } },
        { id: 'call_b', name: 'delete_task', arguments: { task: { title: 'old report' } } },
      ]),
      textCompletion('Done.'),
    ]);

    const reply = await ask(engine, 'finish #3 and delete the old report');

    expect(tools.calls.map((call) => call.name)).toEqual(['complete_task', 'delete_task']);
    expect(reply.tool_calls.map((call) => call.name)).toEqual(['complete_task', 'delete_task']);
    expect(sentMessages(1).slice(-2)).toEqual([
      { role: 'tool', tool_call_id: 'call_a', content: '{"status":"done","message":"complete_task done"}' },
      { role: 'tool', tool_call_id: 'call_b', content: '{"status":"done","message":"delete_task done"}' },
    ]);
  });

  it('answers malformed arguments with a failed outcome the model can correct', async () => {
    const engine = await engineFor([
      toolCallCompletion([{ id: 'call_bad', name: 'add_task', arguments: '{"title": "Buy milk"' }]),
      toolCallCompletion([{ id: 'call_good', name: 'add_task', arguments: { title: 'Buy milk' } }]),
      textCompletion('Added Buy milk.'),
    ]);

    const reply = await ask(engine, 'add buy milk');

    expect(tools.calls).toEqual([{ name: 'add_task', arguments: { title: 'Buy milk' } }]);
    expect(reply.tool_calls.map((call) => [call.name, call.result.status])).toEqual([
      ['add_task', 'failed'],
      ['add_task', 'done'],
    ]);
    const toolMessage = sentMessages(1).at(-1);
    expect(toolMessage).toMatchObject({ role: 'tool', tool_call_id: 'call_bad' });
    expect(JSON.parse(String(toolMessage?.content))).toMatchObject({
      status: 'failed',
      message: expect.stringContaining('not a JSON object'),
    });
    expect(reply.response).toBe('Added Buy milk.');
  });

  it('stops at the step limit with a reply that says what was done', async () => {
    const listAgain = () => toolCallCompletion([{ name: 'list_tasks', arguments: { status: 'pending' } }]);
    const engine = await engineFor([listAgain, listAgain, listAgain], { maxSteps: 2 });

    const reply = await ask(engine, 'show my tasks');

    expect(server?.requests).toHaveLength(2);
    expect(reply.tool_calls).toHaveLength(2);
    expect(reply.response).toBe(
      'I stopped after 2 steps without finishing this request. Done so far:\n- list_tasks done\n- list_tasks done',
    );
  });

  it('summarises the tool results when the model ends with an empty answer', async () => {
    const engine = await engineFor([
      toolCallCompletion([{ name: 'add_task', arguments: { title: 'Call mum' } }]),
      textCompletion('  '),
    ]);

    const reply = await ask(engine, 'add call mum');

    expect(reply.response).toBe('add_task done');
  });

  it('turns a provider error into a clear reply (after one retry), keeping what was done', async () => {
    const failing = { status: 500, body: providerError('upstream exploded') };
    const engine = await engineFor(
      [toolCallCompletion([{ name: 'add_task', arguments: { title: 'Call mum' } }]), failing, failing],
      { fallback: 'offline' },
    );

    const reply = await ask(engine, 'add call mum');

    expect(server?.requests).toHaveLength(3);
    expect(offline.requests).toHaveLength(0); // a tool already ran: the offline engine would redo it
    expect(reply).toEqual({
      response:
        'The language model is not available right now (the provider answered HTTP 500). Done so far:\n- add_task done',
      tool_calls: [{ name: 'add_task', arguments: { title: 'Call mum' }, result: expect.anything() }],
    });
    expect(warnings).toEqual([expect.stringContaining('upstream exploded')]);
  });

  it('tells that the key was rejected on a 401, without leaking the key', async () => {
    const engine = await engineFor([
      { status: 401, body: providerError(`Incorrect API key provided: ${API_KEY}`, 'invalid_request_error') },
    ]);

    const reply = await ask(engine, 'add call mum');

    expect(server?.requests).toHaveLength(1);
    expect(reply).toEqual({
      response:
        'The language model is not available right now (the provider rejected the API key; an administrator ' +
        'needs to check OPENAI_API_KEY). Nothing was changed.',
      tool_calls: [],
    });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).not.toContain(API_KEY);
    expect(tools.calls).toHaveLength(0);
  });

  describe('when the provider times out', () => {
    const tooSlow = { delayMs: 2000, then: textCompletion('too late') };

    it('answers with the offline engine when that fallback is configured', async () => {
      const engine = await engineFor([tooSlow], { timeoutMs: 200, fallback: 'offline' });

      const reply = await ask(engine, 'add call mum');

      expect(reply).toEqual({ response: 'the offline engine answered', tool_calls: [] });
      expect(offline.requests.map((request) => request.message)).toEqual(['add call mum']);
      expect(warnings).toEqual([expect.stringContaining('offline engine answers instead')]);
    });

    it('says so when there is no fallback', async () => {
      const engine = await engineFor([tooSlow], { timeoutMs: 200, fallback: 'none' });

      const reply = await ask(engine, 'add call mum');

      expect(reply).toEqual({
        response: 'The language model is not available right now (timeout after 0.2 s). Nothing was changed.',
        tool_calls: [],
      });
      expect(server?.requests).toHaveLength(1); // the deadline covers the round trip, retries included
      expect(offline.requests).toHaveLength(0);
    });
  });
});
