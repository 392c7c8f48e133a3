import { SIGNED_IN_TASK_API } from '@todo/integration-testing';
import type { ChatReply } from '@todo/assistant-contract';
import { ChatModule, CHAT_MIGRATIONS } from '@todo/chat';
import { ChatApiModule } from './chat-api.module';
import { EventTransportModule } from '@todo/event-transport';
import {
  type ScriptedOpenAiServer,
  startScriptedOpenAiServer,
  startTestApp,
  type TestApp,
  textCompletion,
  toolCallCompletion,
} from '@todo/testing';
import { DateTime } from 'luxon';

/**
 * Conversations that keep their thread: follow-ups resolved from the last answer's real tool results
 * (offline engine), against real PostgreSQL, checked through REST.
 */
describe('chat follow-ups', () => {
  let t: TestApp;
  let token: string;
  const zone = 'Europe/Berlin';
  beforeAll(async () => {
    t = await startTestApp({
      slices: [SIGNED_IN_TASK_API],
      imports: [EventTransportModule, ChatApiModule.with(ChatModule)],
      migrations: CHAT_MIGRATIONS,
    });
  });
  beforeEach(async () => {
    ({ token } = await t.api.register({ time_zone: zone }));
  });
  afterAll(() => t.close());

  const rest = (method: string, path: string, body?: unknown) =>
    t.api.request(method, `/api/v1${path}`, { body, token });
  /** A conversation: each message continues the one before. */
  const conversation = () => {
    let id: string | undefined;
    return async (message: string): Promise<ChatReply> => {
      const reply = await rest('POST', '/chat', { message, ...(id && { conversation_id: id }) });
      expect(reply.status).toBe(200);
      id = reply.body.conversation_id;
      return reply.body;
    };
  };
  const wall = (iso: string) => DateTime.fromISO(iso).setZone(zone).toFormat("yyyy-MM-dd'T'HH:mm");

  it('"remind me an hour before" right after adding sets the reminder on that task', async () => {
    const say = conversation();
    await say('Add pick up the suit on December 4 at 3pm');
    const reply = await say('remind me an hour before');
    expect(reply.tool_calls).toEqual([
      expect.objectContaining({ name: 'set_reminder', arguments: { task: { number: 1 }, before: 'PT1H' } }),
    ]);
    const task = (await rest('GET', '/tasks/1')).body;
    expect(task.reminders).toEqual([expect.objectContaining({ before: 'PT1H', state: 'scheduled' })]);
  });

  it('"actually make that 8pm" keeps the day; "move it to friday" keeps the time', async () => {
    const say = conversation();
    await say('Add dinner with Sam on December 4 at 7pm');
    await say('actually make that 8pm');
    expect(wall((await rest('GET', '/tasks/1')).body.due)).toMatch(/-12-04T20:00$/);
    await say('move it to december 11');
    expect(wall((await rest('GET', '/tasks/1')).body.due)).toMatch(/-12-11T20:00$/);
  });

  it('"delete the second one" after a list deletes the second task shown', async () => {
    const say = conversation();
    await say('add water the plants on December 20');
    await say('add call the landlord on December 21');
    await say('add pay rent on December 22');
    const listed = await say('show my tasks sorted by due');
    expect(listed.response).toMatch(/#1 Water the plants[\s\S]*#2 Call the landlord[\s\S]*#3 Pay rent/);
    const deleted = await say('delete the second one');
    expect(deleted.tool_calls[0]).toMatchObject({ name: 'delete_task', arguments: { task: { number: 2 } } });
    expect((await rest('GET', '/tasks/2')).status).toBe(404);
    expect((await rest('GET', '/tasks/1')).status).toBe(200);
  });

  it('answers a question with "the second one" and completes that task', async () => {
    const say = conversation();
    await say('add buy milk');
    await say('add buy oat milk');
    const asked = await say('I bought the milk');
    expect(asked.tool_calls[0].result.status).toBe('question');
    const answered = await say('the second one');
    expect(answered.tool_calls[0]).toMatchObject({
      name: 'complete_task',
      arguments: { task: { number: 2 } },
    });
    expect((await rest('GET', '/tasks/2')).body.status).toBe('completed');
    expect((await rest('GET', '/tasks/1')).body.status).toBe('pending');
  });

  it('"it" with nothing to refer to is asked about, not guessed', async () => {
    const say = conversation();
    const reply = await say('move it to friday');
    expect(reply.tool_calls).toEqual([]);
    expect(reply.response).toMatch(/Which task/);
  });

  it('adds several tasks from one message and completes several by number', async () => {
    const say = conversation();
    const added = await say('add milk, eggs and bread to groceries');
    expect(added.tool_calls.map((call) => call.result.status)).toEqual(['done', 'done', 'done']);
    const tasks = (await rest('GET', '/tasks?tags=groceries&sort=created&order=asc')).body.items;
    expect(tasks.map((task: { title: string }) => task.title)).toEqual(['Milk', 'Eggs', 'Bread']);
    await say('complete 1 and 3');
    expect((await rest('GET', '/tasks/1')).body.status).toBe('completed');
    expect((await rest('GET', '/tasks/2')).body.status).toBe('pending');
    expect((await rest('GET', '/tasks/3')).body.status).toBe('completed');
  });
});

/** The LLM engine is told which tasks the conversation is about (earlier results reach it without data). */
describe('chat follow-ups with the LLM engine', () => {
  let model: ScriptedOpenAiServer;
  let t: TestApp;
  afterAll(async () => {
    await t.close();
    await model.close();
  });

  it('names the tasks of the last answer in the system prompt', async () => {
    model = await startScriptedOpenAiServer([
      toolCallCompletion([{ name: 'list_tasks', arguments: { status: 'pending' } }]),
      textCompletion('You have one task: #1 Pay rent.'),
      textCompletion('Moved.'),
    ]);
    t = await startTestApp({
      slices: [SIGNED_IN_TASK_API],
      imports: [ChatApiModule.with(ChatModule)],
      migrations: CHAT_MIGRATIONS,
      env: { OPENAI_BASE_URL: model.url, CHAT_ENGINE: 'llm', OPENAI_MODEL: 'scripted' },
    });
    const { token } = await t.api.register({ time_zone: 'Europe/Berlin' });
    await t.api.request('POST', '/api/v1/tasks', { token, body: { title: 'Pay rent', due: '2031-03-01' } });
    const chat = (message: string, conversation_id?: string) =>
      t.api.request('POST', '/api/v1/chat', { token, body: { message, conversation_id } });
    const listed = await chat("what's on my list?");
    expect(listed.status).toBe(200);
    await chat('move it to friday', listed.body.conversation_id);
    const system = JSON.stringify(model.requests[2].body.messages[0]);
    expect(system).toContain('#1 Pay rent (due 2031-03-01)');
    expect(JSON.stringify(model.requests[0].body.messages[0])).not.toContain('Pay rent');
  });
});
