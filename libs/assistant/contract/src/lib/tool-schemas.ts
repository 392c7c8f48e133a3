import { createTaskSchema, taskChangeSchema, taskQuerySchema } from '@todo/tasks';
import { hasStorableYear, STORABLE_TIME_MESSAGE } from '@todo/validation';
import { z } from 'zod';

/**
 * The assistant's tools, defined once (../shared/NL-CONVENTIONS.md): the offline engine produces these
 * calls, the LLM and MCP clients are shown their JSON Schema, and the executor parses every call with
 * the same zod schema before it touches a task. Times are wall times in the user's zone.
 *
 * A task's fields come from the REST schemas (@todo/tasks), so a new field reaches the tools as it is;
 * what the tools say differently is written here: wall times instead of instants, one priority scale,
 * and the list defaults a person means. The executor sets what the model must not (the version, the
 * user, who is the authenticated caller). tool-schemas-drift.spec.ts checks what is written twice.
 */

const WALL_DATE = /^\d{4}-\d{2}-\d{2}$/;
const WALL_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/;

/** A real calendar date/time (rejects 2026-02-30 and 25:00), written without offset or seconds. */
const isRealWallTime = (text: string) => {
  const [date, time = '00:00'] = text.split('T');
  const [year, month, day] = date.split('-').map(Number);
  const [hour, minute] = time.split(':').map(Number);
  const probe = new Date(Date.UTC(year, month - 1, day, hour, minute));
  return probe.getUTCMonth() === month - 1 && probe.getUTCDate() === day && hour < 24 && minute < 60;
};

const wallDateSchema = z
  .string()
  .regex(WALL_DATE, { message: 'must be a date "YYYY-MM-DD"', abort: true })
  .refine(isRealWallTime, { message: 'is not a calendar date', abort: true })
  .refine(hasStorableYear, { message: STORABLE_TIME_MESSAGE });

export const wallDateTimeSchema = z
  .string()
  .regex(WALL_TIME, { message: 'must be a wall time "YYYY-MM-DDTHH:mm"', abort: true })
  .refine(isRealWallTime, { message: 'is not a calendar date and time', abort: true })
  .refine(hasStorableYear, { message: STORABLE_TIME_MESSAGE });

const wallTimeSchema = z
  .string()
  .refine((text) => WALL_DATE.test(text) || WALL_TIME.test(text), {
    message: 'must be "YYYY-MM-DD" (all day) or "YYYY-MM-DDTHH:mm" in your time zone',
    abort: true,
  })
  .refine(isRealWallTime, { message: 'is not a calendar date and time', abort: true })
  .refine(hasStorableYear, { message: STORABLE_TIME_MESSAGE })
  .describe('A wall time in the user\'s zone: "YYYY-MM-DD" (all day) or "YYYY-MM-DDTHH:mm"');

export const TOOL_PRIORITIES = ['low', 'medium', 'high', 'urgent'] as const;
const priority = z.enum(TOOL_PRIORITIES, { message: `must be one of ${TOOL_PRIORITIES.join(', ')}` });

const isoDuration = z
  .string()
  .regex(/^P(?!$)(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+S)?)?$/, {
    message: 'must be an ISO 8601 duration such as PT1H, PT15M or P1D',
  })
  .describe('ISO 8601 duration before the due time, e.g. PT1H');

const reminder = z.union([
  z.strictObject({ before: isoDuration }),
  z.strictObject({ at: wallTimeSchema.describe('When to remind, as a wall time') }),
]);

export const taskReferenceSchema = z
  .union([
    z.strictObject({
      number: z
        .number()
        .int()
        .positive()
        // Task numbers are PostgreSQL integers (parseTaskRef has the same bound for REST paths).
        .max(2_147_483_647, { message: 'is not a task number' })
        .describe('The task number shown as #N'),
    }),
    z.strictObject({ title: z.string().trim().min(1).max(500).describe('Words from the task title') }),
  ])
  .describe('Which task: {"number": N} or {"title": "<words the user used>"}');

const addTaskArgumentsSchema = createTaskSchema.extend({
  due: wallTimeSchema.optional(),
  priority: priority.optional(),
  reminders: z.array(reminder).min(1).max(10).optional(),
});

export const LIST_SORTS = ['due', 'priority', 'title', 'created'] as const;

const listTasksArgumentsSchema = z.strictObject({
  status: z
    .enum(['pending', 'completed', 'all'])
    .default('pending')
    .describe('"pending" unless the user asks for all or completed tasks'),
  priority: priority.optional(),
  tags: createTaskSchema.shape.tags,
  search: taskQuerySchema.shape.q.describe('Keywords matched against title and description'),
  due_from: wallDateSchema.optional().describe('Inclusive first due date'),
  due_to: wallDateSchema.optional().describe('Inclusive last due date'),
  overdue: z.boolean().optional(),
  sort: z.enum(LIST_SORTS).optional(),
  order: taskQuerySchema.shape.order.describe('asc for due/title, desc for priority/created unless said'),
});

const taskOnly = z.strictObject({ task: taskReferenceSchema });

const completeTaskArgumentsSchema = taskOnly;
const deleteTaskArgumentsSchema = taskOnly;

const updateTaskArgumentsSchema = z
  .strictObject({
    task: taskReferenceSchema,
    ...taskChangeSchema.shape,
    due: wallTimeSchema.nullable().optional().describe('New due wall time, or null to clear it'),
    priority: z.enum(['none', ...TOOL_PRIORITIES]).optional(),
  })
  .refine((args) => Object.keys(args).some((key) => key !== 'task'), {
    message: `name at least one field to change: ${Object.keys(taskChangeSchema.shape).join(', ')}`,
  });

const setReminderArgumentsSchema = z
  .strictObject({
    task: taskReferenceSchema,
    before: isoDuration.optional(),
    at: wallTimeSchema.optional(),
  })
  .refine((args) => (args.before === undefined) !== (args.at === undefined), {
    message: 'give exactly one of "before" (a duration) or "at" (a wall time)',
  });

export const TOOLS = {
  add_task: {
    description:
      'Create a task. Put dates, priorities, tags, recurrence and reminders in their own fields, not in the title.',
    arguments: addTaskArgumentsSchema,
  },
  list_tasks: {
    description: "List or search the user's tasks with filters and sorting.",
    arguments: listTasksArgumentsSchema,
  },
  complete_task: { description: 'Mark a task as completed.', arguments: completeTaskArgumentsSchema },
  delete_task: { description: 'Delete a task.', arguments: deleteTaskArgumentsSchema },
  update_task: {
    description: 'Change a task. Send only the fields that change.',
    arguments: updateTaskArgumentsSchema,
  },
  set_reminder: {
    description: 'Add a reminder to a task: "before" its due time, or "at" a wall time.',
    arguments: setReminderArgumentsSchema,
  },
} as const;

export type ToolName = keyof typeof TOOLS;
export const TOOL_NAMES = Object.keys(TOOLS) as ToolName[];

export type TaskReference = z.infer<typeof taskReferenceSchema>;
export type ToolArguments = { [name in ToolName]: z.infer<(typeof TOOLS)[name]['arguments']> };

/** A tool call as the engines produce it and the API returns it. */
export const toolCallSchema = z.object({
  name: z.string().describe(`One of the tools: ${TOOL_NAMES.join(', ')}`),
  arguments: z.record(z.string(), z.unknown()).describe("The tool's arguments (see its JSON Schema)"),
});
export type ToolCall = z.infer<typeof toolCallSchema>;

/** A call whose arguments passed the tool's schema. */
export type ParsedToolCall = { [name in ToolName]: { name: name; arguments: ToolArguments[name] } }[ToolName];
