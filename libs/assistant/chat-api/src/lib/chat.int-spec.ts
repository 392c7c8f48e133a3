import { SIGNED_IN_TASK_API } from '@todo/integration-testing';
import type { ChatReply } from '@todo/assistant-contract';
import { ChatModule, CHAT_MIGRATIONS } from '@todo/chat';
import { ChatApiModule } from './chat-api.module';
import { EventTransportModule } from '@todo/event-transport';
import {
  providerError,
  type ScriptedOpenAiServer,
  startScriptedOpenAiServer,
  startTestApp,
  type TestApp,
  textCompletion,
  toolCallCompletion,
} from '@todo/testing';
import { DateTime } from 'luxon';

interface TaskView {
  number: number;
}

/** The assistant over REST and GraphQL with the offline engine, against real PostgreSQL. */
describe('chat', () => {
  let t: TestApp;
  let ann: string;
  let bob: string;
  beforeAll(async () => {
    t = await startTestApp({
      slices: [SIGNED_IN_TASK_API],
      imports: [EventTransportModule, ChatApiModule.with(ChatModule)],
      migrations: CHAT_MIGRATIONS,
    });
    ({ token: ann } = await t.api.register({ time_zone: 'America/New_York' }));
    ({ token: bob } = await t.api.register({ time_zone: 'Europe/Berlin' }));
  });
  afterAll(() => t.close());

  const call = (method: string, path: string, body?: unknown, token = ann) =>
    t.api.request(method, `/api/v1${path}`, { body, token });
  const say = async (message: string, token = ann, conversation_id?: string) => {
    const reply = await call(
      'POST',
      '/chat',
      { message, ...(conversation_id && { conversation_id }) },
      token,
    );
    expect(reply.status).toBe(200);
    return reply.body as ChatReply & { tool_calls: Array<{ result: { data: { task: TaskView } } }> };
  };

  it('adds, lists and completes tasks as a new user would, visible through REST', async () => {
    const added = await say('Add a task to buy groceries tomorrow at 5pm, remind me 1 hour before');
    const tomorrow = DateTime.now().setZone('America/New_York').plus({ days: 1 }).toISODate();
    expect(added.tool_calls).toEqual([
      expect.objectContaining({
        name: 'add_task',
        arguments: { title: 'Buy groceries', due: `${tomorrow}T17:00`, reminders: [{ before: 'PT1H' }] },
        result: expect.objectContaining({ status: 'done' }),
      }),
    ]);
    expect(added.response).toBe('Added #1 Buy groceries — due tomorrow 17:00, reminder at 16:00');
    const task = await call('GET', '/tasks/1');
    const dueAt = DateTime.fromISO(`${tomorrow}T17:00`, { zone: 'America/New_York' });
    expect(Date.parse(task.body.due)).toBe(dueAt.toMillis());
    expect(task.body.reminders).toEqual([
      expect.objectContaining({
        before: 'PT1H',
        state: 'scheduled',
        fire_at: dueAt.minus({ hours: 1 }).toUTC().toISO(),
      }),
    ]);

    const listed = await say('show my tasks', ann, added.conversation_id);
    expect(listed.conversation_id).toBe(added.conversation_id);
    expect(listed.tool_calls[0]).toMatchObject({ name: 'list_tasks', arguments: { status: 'pending' } });
    expect(listed.response).toContain('#1 Buy groceries — due tomorrow 17:00');

    const completed = await say('mark task 1 as complete', ann, added.conversation_id);
    expect(completed.response).toBe('Completed #1 Buy groceries.');
    expect((await call('GET', '/tasks/1')).body).toMatchObject({ status: 'completed' });
    expect((await call('GET', '/tasks/1')).body.reminders[0].state).toBe('cancelled');
  });

  it('keeps each conversation with its messages and tool calls; lists, reads and deletes them', async () => {
    const first = await say('Buy milk #shopping');
    await say('what is pending?', ann, first.conversation_id);
    const listed = await call('GET', '/chat/conversations');
    expect(listed.body.items[0]).toMatchObject({ id: first.conversation_id, title: 'Buy milk #shopping' });
    const read = await call('GET', `/chat/conversations/${first.conversation_id}`);
    expect(read.body.messages.map((message: { role: string }) => message.role)).toEqual([
      'user',
      'assistant',
      'user',
      'assistant',
    ]);
    expect(read.body.messages[1].tool_calls[0]).toMatchObject({
      name: 'add_task',
      arguments: { title: 'Buy milk', tags: ['shopping'] },
      result: { status: 'done' },
    });
    expect((await call('DELETE', `/chat/conversations/${first.conversation_id}`)).status).toBe(204);
    expect((await call('GET', `/chat/conversations/${first.conversation_id}`)).status).toBe(404);
  });

  it('finds tasks by title fuzzily, and asks which one when several match', async () => {
    await say('Add a task to call mom');
    const done = await say('I finished calling mom');
    expect(done.tool_calls[0].result).toMatchObject({ status: 'done' });
    expect(done.response).toMatch(/^Completed #\d+ Call mom\.$/);

    const one = await say('Team meeting notes');
    const two = await say('Meeting with the landlord');
    const numbers = [one, two].map((reply) => reply.tool_calls[0].result.data.task.number);
    const asked = await say('Delete the meeting task');
    expect(asked.tool_calls[0].result.status).toBe('question');
    expect(asked.response).toContain(`#${numbers[0]} Team meeting notes`);
    expect(asked.response).toContain(`#${numbers[1]} Meeting with the landlord`);
    expect((await call('GET', `/tasks/${numbers[1]}`)).status).toBe(200);
    // A bare number answers the question and repeats the call for that task.
    const answered = await say(String(numbers[1]), ann, asked.conversation_id);
    expect(answered.response).toBe(`Deleted #${numbers[1]} Meeting with the landlord.`);
    expect((await call('GET', `/tasks/${numbers[1]}`)).status).toBe(404);
    expect((await call('GET', `/tasks/${numbers[0]}`)).status).toBe(200);

    const none = await say('Done with paint the fence');
    expect(none.tool_calls[0].result.status).toBe('failed');
    expect(none.response).toBe('None of your open tasks matches "paint the fence".');
  });

  it("never sees, changes or mentions another user's tasks or conversations", async () => {
    const annTask = await say('Renew passport on March 3 2027');
    const annNumber = annTask.tool_calls[0].result.data.task.number;
    const bobsList = await say('show me all my tasks', bob);
    expect(bobsList.response).toBe('No tasks match.');
    const byNumber = await say(`mark task ${annNumber} as complete`, bob);
    expect(byNumber.response).toBe(`Task #${annNumber} was not found.`);
    const byTitle = await say('Delete the passport task', bob);
    expect(byTitle.response).toBe('None of your tasks matches "passport".');
    expect((await call('GET', `/tasks/${annNumber}`)).body.status).toBe('pending');
    for (const method of ['GET', 'DELETE'])
      expect(
        (await call(method, `/chat/conversations/${annTask.conversation_id}`, undefined, bob)).status,
      ).toBe(404);
    expect(
      (
        await call(
          'POST',
          '/chat',
          { message: 'show my tasks', conversation_id: annTask.conversation_id },
          bob,
        )
      ).status,
    ).toBe(404);
    expect(
      (await call('GET', '/chat/conversations', undefined, bob)).body.items.map((c: { id: string }) => c.id),
    ).not.toContain(annTask.conversation_id);
  });

  it('answers bad input with a clear 4xx', async () => {
    const cases: Array<[string, string, unknown, number, string]> = [
      ['POST', '/chat', { message: '' }, 400, 'message: must not be empty'],
      ['POST', '/chat', { message: 'hi', user_id: 'someone' }, 400, 'unknown field: user_id'],
      [
        'POST',
        '/chat',
        { message: 'hi', conversation_id: 'abc' },
        400,
        'conversation_id: must be a conversation id',
      ],
      ['POST', '/chat', { message: 'x'.repeat(4001) }, 400, 'at most 4000'],
      [
        'POST',
        '/chat',
        { message: 'hi', conversation_id: '00000000-0000-4000-8000-000000000000' },
        404,
        'was not found',
      ],
      ['GET', '/chat/conversations/nope', undefined, 400, 'must be a conversation id'],
      ['POST', '/chat/interpret', { message: 'buy milk', time_zone: 'Mars/Olympus' }, 400, 'IANA time zone'],
      [
        'POST',
        '/chat/interpret',
        { message: 'buy milk', now: '2026-11-31T09:00' },
        400,
        'not a calendar date',
      ],
    ];
    for (const [method, path, body, status, message] of cases) {
      const response = await call(method, path, body);
      expect({ path, status: response.status }).toEqual({ path, status });
      expect(response.body.error.message).toContain(message);
    }
    expect((await t.api.request('POST', '/api/v1/chat', { body: { message: 'hi' } })).status).toBe(401);
  });

  it('interprets without executing anything', async () => {
    const before = (await call('GET', '/tasks?status=all')).body.items.length;
    const interpreted = await call('POST', '/chat/interpret', {
      message: 'Call the dentist on Friday at 2pm p1',
      now: '2026-11-23T09:00',
      time_zone: 'America/New_York',
    });
    expect(interpreted.body).toEqual({
      tool_calls: [
        {
          name: 'add_task',
          arguments: { title: 'Call the dentist', due: '2026-11-27T14:00', priority: 'urgent' },
        },
      ],
    });
    expect((await call('GET', '/tasks?status=all')).body.items.length).toBe(before);
  });

  it('offers the same over GraphQL', async () => {
    const sent = await t.api.graphql(
      `mutation($m: String!) { chat(message: $m) { conversationId response toolCalls { name arguments result { status message } } } }`,
      { m: 'Water the plants every 3 days' },
      bob,
    );
    expect(sent.body.errors).toBeUndefined();
    const reply = sent.body.data.chat;
    expect(reply.toolCalls[0].name).toBe('add_task');
    expect(JSON.parse(reply.toolCalls[0].arguments).recurrence).toEqual({
      rrule: 'FREQ=DAILY;INTERVAL=3',
      from: 'due',
    });
    expect(reply.response).toMatch(/^Added #\d+ Water the plants — due today, repeats every 3 days$/);
    const read = await t.api.graphql(
      `query($id: ID!) { conversation(id: $id) { title messages { role content } } conversations { id } }`,
      { id: reply.conversationId },
      bob,
    );
    expect(read.body.data.conversation.messages).toHaveLength(2);
    expect(read.body.data.conversations.map((c: { id: string }) => c.id)).toContain(reply.conversationId);
    const bad = await t.api.graphql(
      `query { interpret(message: "hi", timeZone: "Nowhere") { question } }`,
      {},
      bob,
    );
    expect(bad.body.errors?.[0].extensions.status).toBe(400);
  });
});

/** The LLM engine chosen by configuration, against a local OpenAI-compatible server with a script. */
describe('chat with the LLM engine', () => {
  let model: ScriptedOpenAiServer;
  let t: TestApp;
  let token: string;
  beforeAll(async () => {
    model = await startScriptedOpenAiServer([
      toolCallCompletion([
        { name: 'add_task', arguments: { title: 'Dentist', due: '2031-03-10T14:00', priority: 'high' } },
        // A model cannot choose the user: unknown fields are refused before anything runs.
        { name: 'complete_task', arguments: { task: { number: 1 }, user_id: 'someone-else' } },
      ]),
      textCompletion('Booked: dentist on 10 March at 14:00.'),
      { status: 500, body: providerError('overloaded') },
      { status: 500, body: providerError('overloaded') },
      // What a model answers is not checked like user input, but it is stored: made storable first.
      toolCallCompletion([{ name: 'add_task', arguments: { title: 'Dentist\u0000', ['due\ud800']: 'x' } }]),
      textCompletion('Sorry\u0000, I could not add it \ud83e'),
    ]);
    t = await startTestApp({
      slices: [SIGNED_IN_TASK_API],
      imports: [ChatApiModule.with(ChatModule)],
      migrations: CHAT_MIGRATIONS,
      env: { OPENAI_BASE_URL: model.url, CHAT_ENGINE: 'llm', OPENAI_MODEL: 'scripted' },
    });
    ({ token } = await t.api.register({ time_zone: 'Europe/Berlin' }));
  });
  afterAll(async () => {
    await t.close();
    await model.close();
  });

  it('runs the tool calls the model asks for as the signed-in user and returns its answer', async () => {
    const reply = await t.api.request('POST', '/api/v1/chat', {
      token,
      body: { message: 'dentist march 10 2pm, important' },
    });
    expect(reply.status).toBe(200);
    expect(reply.body.response).toBe('Booked: dentist on 10 March at 14:00.');
    expect(reply.body.tool_calls.map((call: { result: { status: string } }) => call.result.status)).toEqual([
      'done',
      'failed',
    ]);
    expect(reply.body.tool_calls[1].result.message).toContain('unknown field: user_id');
    const task = await t.api.request('GET', '/api/v1/tasks/1', { token });
    expect(task.body).toMatchObject({
      title: 'Dentist',
      due: '2031-03-10T14:00:00+01:00',
      priority: 'high',
      status: 'pending',
    });
    expect(JSON.stringify(model.requests[0].body.messages[0])).toContain('Europe/Berlin');
    expect(model.requests[0].body.model).toBe('scripted');
  });

  it('falls back to the offline engine when the provider fails before any tool ran', async () => {
    const reply = await t.api.request('POST', '/api/v1/chat', {
      token,
      body: { message: 'Buy milk #shopping' },
    });
    expect(reply.status).toBe(200);
    expect(reply.body.response).toBe('Added #2 Buy milk — #shopping');
  });

  it("stores a model's answer made storable: its bad tool call is refused, NUL and lone surrogates become U+FFFD", async () => {
    const reply = await t.api.request('POST', '/api/v1/chat', { token, body: { message: 'dentist' } });
    expect(reply.status).toBe(200);
    expect(reply.body.tool_calls[0].result).toMatchObject({ status: 'failed' });
    expect(reply.body.tool_calls[0].result.message).toContain('a field name must be well-formed Unicode');
    const stored = await t.api.request('GET', `/api/v1/chat/conversations/${reply.body.conversation_id}`, {
      token,
    });
    expect(stored.status).toBe(200);
    const [, answer] = stored.body.messages;
    expect(answer.content).toBe('Sorry\ufffd, I could not add it \ufffd');
    expect(answer.tool_calls[0].arguments).toEqual({ title: 'Dentist\ufffd', 'due\ufffd': 'x' });
    const tasks = (await t.api.request('GET', '/api/v1/tasks', { token })).body.items;
    expect(tasks.map((task: { title: string }) => task.title)).toEqual(['Dentist', 'Buy milk']);
  });
});
