import { createTaskSchema, PRIORITIES, taskQuerySchema, updateTaskSchema } from '@todo/tasks';
import { z } from 'zod';
import { TOOLS } from './tool-schemas';

/**
 * The tools take the task fields from the REST schemas; what they write for models instead (wall
 * times in the user's zone, plain priority words, the list's own filters) cannot be derived, so it is
 * checked against them: each task field the REST API accepts is offered to the assistant under the
 * same name and limits, or listed here.
 */
const NOT_OFFERED: Record<string, Record<string, string>> = {
  list_tasks: {
    tag_match: 'a model names the tags it wants; the executor asks for all of them',
    has_due: 'not a question people ask the assistant',
    limit: 'the executor pages',
    cursor: 'the executor pages',
  },
  update_task: { version: 'the executor sends the version it read' },
};
const RENAMED: Record<string, string> = { search: 'q' };

type JsonSchema = {
  properties: Record<string, { maxLength?: number; maxItems?: number; items?: JsonSchema; enum?: string[] }>;
};
const jsonOf = (schema: z.ZodType) =>
  z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as unknown as JsonSchema;

const pairs = [
  ['add_task', createTaskSchema],
  ['update_task', updateTaskSchema],
  ['list_tasks', taskQuerySchema],
] as const;

describe.each(pairs)('%s against the REST schema', (tool, rest) => {
  const toolFields = Object.keys(TOOLS[tool].arguments.shape).filter((field) => field !== 'task');
  const restFields = Object.keys(rest.shape);

  it('names only fields the REST API accepts', () => {
    expect(toolFields.filter((field) => !restFields.includes(RENAMED[field] ?? field))).toEqual([]);
  });

  it('offers every field the REST API accepts, or says why not', () => {
    const offered = new Set(toolFields.map((field) => RENAMED[field] ?? field));
    expect(restFields.filter((field) => !offered.has(field))).toEqual(Object.keys(NOT_OFFERED[tool] ?? {}));
  });

  it('keeps the same length limits', () => {
    const restJson = jsonOf(rest).properties;
    for (const [field, property] of Object.entries(jsonOf(TOOLS[tool].arguments).properties)) {
      const restProperty = restJson[RENAMED[field] ?? field];
      if (!restProperty) continue;
      for (const limit of ['maxLength', 'maxItems'] as const)
        if (restProperty[limit] !== undefined)
          expect({ field, limit, value: property[limit] }).toEqual({
            field,
            limit,
            value: restProperty[limit],
          });
    }
  });
});

describe('tool enums against the task domain', () => {
  const property = (schema: z.ZodType, field: string) => {
    const json = jsonOf(schema).properties[field] as { anyOf?: JsonSchema[] } & JsonSchema;
    return (json.anyOf?.[0] ?? json) as JsonSchema & { enum?: string[] };
  };

  it('offers priorities of the one scale and the same recurrence kinds', () => {
    for (const tool of [TOOLS.add_task.arguments, TOOLS.update_task.arguments])
      expect(PRIORITIES).toEqual(expect.arrayContaining(property(tool, 'priority').enum ?? ['missing']));
    const restKinds = property(createTaskSchema, 'recurrence').properties['from']?.enum;
    expect(restKinds).toEqual(['due', 'completion']);
    expect(property(TOOLS.add_task.arguments, 'recurrence').properties['from']?.enum).toEqual(restKinds);
  });
});
