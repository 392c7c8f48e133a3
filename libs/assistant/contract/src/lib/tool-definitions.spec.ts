import { ValidationError } from '@todo/errors';
import { parseToolCall, TOOL_DEFINITIONS } from './tool-definitions';

describe('tool definitions', () => {
  it('describes every tool with an object JSON Schema that lists its required fields', () => {
    expect(TOOL_DEFINITIONS.map((tool) => tool.name)).toEqual([
      'add_task',
      'list_tasks',
      'complete_task',
      'delete_task',
      'update_task',
      'set_reminder',
    ]);
    const addTask = TOOL_DEFINITIONS[0].inputSchema as {
      type: string;
      required: string[];
      properties: object;
    };
    expect(addTask.type).toBe('object');
    expect(addTask.required).toEqual(['title']);
    expect(Object.keys(addTask.properties)).toEqual(
      expect.arrayContaining(['title', 'due', 'priority', 'tags', 'recurrence', 'reminders']),
    );
    expect(JSON.stringify(TOOL_DEFINITIONS)).not.toContain('$schema');
  });

  it('does not require status from callers (it defaults to pending)', () => {
    const listTasks = TOOL_DEFINITIONS[1].inputSchema as { required?: string[] };
    expect(listTasks.required ?? []).not.toContain('status');
    expect(parseToolCall({ name: 'list_tasks', arguments: {} })).toEqual({
      name: 'list_tasks',
      arguments: { status: 'pending' },
    });
  });
});

describe('parseToolCall', () => {
  it('accepts calls in the contract form', () => {
    const call = {
      name: 'add_task',
      arguments: {
        title: 'Buy groceries',
        due: '2026-11-24T17:00',
        reminders: [{ before: 'PT1H' }, { at: '2026-11-24' }],
        recurrence: { rrule: 'FREQ=DAILY', from: 'due' },
      },
    };
    expect(parseToolCall(call)).toEqual(call);
  });

  it.each([
    [{ name: 'drop_tables', arguments: {} }, 'unknown tool "drop_tables"'],
    [{ name: 'add_task', arguments: { title: '' } }, 'title: must not be empty'],
    [
      { name: 'add_task', arguments: { title: 'x', due: '2026-11-24T17:00:00Z' } },
      'due: must be "YYYY-MM-DD"',
    ],
    [{ name: 'add_task', arguments: { title: 'x', due: '2026-02-30' } }, 'due: is not a calendar date'],
    [{ name: 'add_task', arguments: { title: 'x', user_id: 'someone-else' } }, 'unknown field: user_id'],
    [{ name: 'complete_task', arguments: { task: { number: 0 } } }, 'task'],
    [{ name: 'complete_task', arguments: { task: { number: 2 ** 31 } } }, 'is not a task number'],
    [{ name: 'update_task', arguments: { task: { number: 2 } } }, 'name at least one field'],
    [{ name: 'set_reminder', arguments: { task: { number: 2 } } }, 'exactly one of'],
    [{ name: 'set_reminder', arguments: { task: { number: 2 }, before: '1 hour' } }, 'ISO 8601 duration'],
  ])('rejects %j with a message that says what is wrong', (call, message) => {
    expect(() => parseToolCall(call)).toThrow(ValidationError);
    expect(() => parseToolCall(call)).toThrow(message);
  });
});
