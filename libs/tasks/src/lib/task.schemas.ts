import { taskSnapshotSchema } from '@todo/events';
import { z } from 'zod';
import { STORABLE_TIME_MESSAGE } from '@todo/validation';
import { isDueText, isStorableDueText } from './due';
import { MAX_REMINDERS_PER_TASK, normalizeRrule, reminderInputSchema } from '@todo/reminders';
import { P_LEVELS, type Priority, PRIORITIES, TASK_LIMITS, TASK_STATUSES } from './task';

/** Input schemas use the wire names (snake_case) shared by REST and the chat tools. */

const title = z
  .string({ message: 'must be text' })
  .trim()
  .min(1, { message: 'must not be empty' })
  .max(TASK_LIMITS.titleLength, { message: `must be at most ${TASK_LIMITS.titleLength} characters` });

const description = z
  .string({ message: 'must be text' })
  .max(TASK_LIMITS.descriptionLength, {
    message: `must be at most ${TASK_LIMITS.descriptionLength} characters`,
  })
  .transform((text) => text.trim() || null)
  .nullable();

const prioritySchema = z
  .string({ message: 'must be text' })
  .transform((value) => value.trim().toLowerCase())
  .transform((value) => P_LEVELS[value] ?? value)
  .pipe(z.enum(PRIORITIES, { message: `must be one of ${PRIORITIES.join(', ')} (or p1–p4)` })) as z.ZodType<
  Priority,
  string
>;

const tag = z
  .string({ message: 'must be text' })
  .transform((value) => value.trim().replace(/^#/, '').toLowerCase())
  .pipe(
    z
      .string()
      .min(1, { message: 'must not be empty' })
      .max(TASK_LIMITS.tagLength, { message: `must be at most ${TASK_LIMITS.tagLength} characters` })
      .regex(/^[\p{L}\p{N}_./-]+$/u, { message: 'may contain letters, digits, _ . / - only' }),
  );

const tags = z
  .array(tag, { message: 'must be a list of tags' })
  .max(TASK_LIMITS.tagCount, { message: `must have at most ${TASK_LIMITS.tagCount} tags` })
  .transform((values) => [...new Set(values)])
  .describe('Lowercase tags without "#"');

const due = z
  .string({ message: 'must be text' })
  .refine(isDueText, {
    message:
      'must be a date "YYYY-MM-DD" (all day) or an RFC 3339 time with offset, e.g. "2026-11-24T17:00:00-05:00"',
    abort: true,
  })
  .refine(isStorableDueText, { message: STORABLE_TIME_MESSAGE })
  .nullable();

const recurrence = z
  .strictObject({
    rrule: z
      .string({ message: 'must be text' })
      .max(500, { message: 'must be at most 500 characters' })
      .describe('RFC 5545 RRULE without DTSTART, e.g. FREQ=WEEKLY;BYDAY=MO'),
    from: z
      .enum(['due', 'completion'], { message: 'must be "due" (every) or "completion" (every!)' })
      .default('due')
      .describe('"due" repeats from the due date (every), "completion" from the completion date (every!)'),
  })
  .describe('How the task repeats')
  .transform((value, ctx) => {
    const check = normalizeRrule(value.rrule);
    if (check.ok) return { rrule: check.rrule, from: value.from };
    ctx.addIssue({ code: 'custom', path: ['rrule'], message: check.reason });
    return z.NEVER;
  })
  .nullable();

const version = z
  .number({ message: 'must be a number' })
  .int()
  .positive()
  .describe('Fails with a conflict if the task has another version');

export const createTaskSchema = z.strictObject({
  title,
  description: description.optional(),
  priority: prioritySchema.optional(),
  tags: tags.optional(),
  due: due.optional(),
  recurrence: recurrence.optional(),
  reminders: z
    .array(reminderInputSchema, { message: 'must be a list of reminders' })
    .max(MAX_REMINDERS_PER_TASK, { message: `must have at most ${MAX_REMINDERS_PER_TASK} reminders` })
    .optional()
    .describe('Reminders created with the task, in the same transaction'),
});

const changeableFields = {
  title: title.optional(),
  description: description.optional(),
  priority: prioritySchema.optional(),
  tags: tags.optional(),
  due: due.optional(),
  recurrence: recurrence.optional(),
};

/** The fields a change may name, without the cross-field rule (the chat tool builds on it). */
export const taskChangeSchema = z.strictObject(changeableFields);

export const updateTaskSchema = taskChangeSchema
  .extend({ version: version.optional() })
  .refine((patch) => Object.entries(patch).some(([key, value]) => key !== 'version' && value !== undefined), {
    message: `send at least one field to change: ${Object.keys(changeableFields).join(', ')}`,
  });

/** Optional optimistic-concurrency check for complete/reopen/delete. */
export const versionCheckSchema = z.strictObject({
  version: z.coerce.number({ message: 'must be a number' }).pipe(version).optional(),
});

export type CreateTaskInput = z.infer<typeof createTaskSchema>;
export type UpdateTaskInput = z.infer<typeof updateTaskSchema>;

// ---- list / search ----

/** Accepts `a,b` from query strings and arrays from GraphQL or tools. */
const listOf = <T extends z.ZodType>(item: T) =>
  z.preprocess(
    (value) => (typeof value === 'string' ? value.split(',').filter((part) => part.trim()) : value),
    z.array(item).min(1),
  );

const flag = z.preprocess(
  (value) => (value === 'true' ? true : value === 'false' ? false : value),
  z.boolean({ message: 'must be true or false' }),
);

const rangeBound = z
  .string()
  .refine(isDueText, { message: 'must be a date "YYYY-MM-DD" or an RFC 3339 time with offset', abort: true })
  .refine(isStorableDueText, { message: STORABLE_TIME_MESSAGE });

const TASK_SORTS = ['due', 'priority', 'title', 'created', 'updated', 'relevance'] as const;
export type TaskSort = (typeof TASK_SORTS)[number];

export const taskQuerySchema = z
  .strictObject({
    q: z
      .string()
      .trim()
      .min(1, { message: 'must not be empty' })
      .max(200, { message: 'must be at most 200 characters' })
      .optional()
      .describe('Keyword search over title and description: words in any order, each matched as a prefix'),
    status: z
      .enum([...TASK_STATUSES, 'all'], { message: 'must be pending, completed or all' })
      .default('all'),
    priority: listOf(prioritySchema).optional().describe('One or more priorities, comma-separated'),
    tags: listOf(tag).optional().describe('Tags, comma-separated; see tag_match'),
    tag_match: z.enum(['all', 'any'], { message: 'must be all or any' }).default('all'),
    due_from: rangeBound.optional().describe('Inclusive; a date means its whole day in your time zone'),
    due_to: rangeBound.optional().describe('Inclusive; a date means its whole day in your time zone'),
    overdue: flag.optional(),
    has_due: flag.optional(),
    sort: z
      .enum(TASK_SORTS, { message: `must be one of ${TASK_SORTS.join(', ')}` })
      .optional()
      .describe('Default: relevance when searching, otherwise due'),
    order: z
      .enum(['asc', 'desc'], { message: 'must be asc or desc' })
      .optional()
      .describe('Default: asc for due and title, desc otherwise'),
    limit: z.coerce
      .number({ message: 'must be a number' })
      .int({ message: 'must be a whole number' })
      .min(1, { message: 'must be at least 1' })
      .max(TASK_LIMITS.pageSize, { message: `must be at most ${TASK_LIMITS.pageSize}` })
      .default(50),
    cursor: z.string().max(1000).optional().describe('next_cursor from the previous page'),
  })
  .refine((query) => query.sort !== 'relevance' || query.q, {
    message: 'sort=relevance needs q',
    path: ['sort'],
  });

export type TaskQueryInput = z.input<typeof taskQuerySchema>;
export type TaskQuery = z.infer<typeof taskQuerySchema>;

/** A page of tasks, as REST and GraphQL return it. */
export const taskPageSchema = z
  .object({
    items: z.array(taskSnapshotSchema),
    next_cursor: z.string().nullable().describe('Pass as cursor for the next page'),
  })
  .meta({ id: 'TaskPage' });
