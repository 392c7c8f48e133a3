import { z } from 'zod';

const timestamp = z.iso.datetime({ offset: true });

/** A reminder of a task: `before` (ISO 8601 duration before the due time) or `at` (an instant). */
export const reminderSnapshotSchema = z
  .object({
    id: z.uuid(),
    before: z.string().nullable().describe('ISO 8601 duration before the due time, e.g. PT1H'),
    at: timestamp.nullable().describe('An absolute time (when not relative)'),
    fire_at: timestamp.nullable().describe('When it fires; null for an offset on a task without a due time'),
    state: z
      .enum(['scheduled', 'fired', 'cancelled', 'missed'])
      .describe('scheduled, fired, cancelled or missed'),
    fired_at: timestamp.nullable(),
    created_at: timestamp,
  })
  // Named: the OpenAPI document and the GraphQL schema show it as one type (`Reminder`).
  .meta({ id: 'Reminder' });
export type ReminderSnapshot = z.infer<typeof reminderSnapshotSchema>;

/**
 * A task as events carry it: the same snake_case shape as the REST API. The wire contract is spelled
 * out here rather than derived from the domain types, so a domain change that would break consumers
 * fails to compile where the snapshot is built.
 */
export const taskSnapshotSchema = z
  .object({
    id: z.uuid(),
    number: z.number().int().positive().describe('Your own task number (1, 2, 3…)'),
    title: z.string(),
    description: z.string().nullable(),
    status: z.enum(['pending', 'completed']).describe('pending or completed'),
    priority: z
      .enum(['none', 'low', 'medium', 'high', 'urgent'])
      .describe('none, low, medium, high or urgent'),
    tags: z.array(z.string()),
    due: z.string().nullable().describe('"YYYY-MM-DD" (all day) or an RFC 3339 time with offset'),
    overdue: z.boolean(),
    time_zone: z.string().describe('The IANA time zone the due time was given in'),
    recurrence: z
      .object({
        rrule: z.string().describe('RFC 5545 RRULE without DTSTART'),
        from: z.enum(['due', 'completion']).describe('"due" (every) or "completion" (every!)'),
      })
      .meta({ id: 'Recurrence' })
      .nullable(),
    reminders: z.array(reminderSnapshotSchema),
    version: z
      .number()
      .int()
      .positive()
      .describe('Increases with every change; send it back to detect a conflict'),
    created_at: timestamp,
    updated_at: timestamp,
    completed_at: timestamp.nullable(),
  })
  .meta({ id: 'Task' });
export type TaskSnapshot = z.infer<typeof taskSnapshotSchema>;

/** Who caused a change: a signed-in user, or a service acting on its own (e.g. the scheduler). */
export const eventActorSchema = z.object({ type: z.enum(['user', 'service']), id: z.string().min(1) });
export type EventActor = z.infer<typeof eventActorSchema>;

const ownedBy = { user_id: z.uuid(), actor: eventActorSchema };
const transition = z.object({ ...ownedBy, task: taskSnapshotSchema, previous: taskSnapshotSchema });

export const TASK_CHANGES = ['created', 'updated', 'completed', 'reopened', 'deleted'] as const;
export type TaskChange = (typeof TASK_CHANGES)[number];

/** Data schemas of the events on `task-events` (facts) and `task-updates` (state for clients). */
export const taskEventSchemas = {
  'task.created': z.object({ ...ownedBy, task: taskSnapshotSchema }),
  'task.updated': transition.extend({ changed_fields: z.array(z.string()) }),
  'task.completed': transition,
  'task.reopened': transition,
  /** `task` is the last state before deletion. */
  'task.deleted': z.object({ ...ownedBy, task: taskSnapshotSchema }),
  'task.changed': z.object({ user_id: z.uuid(), change: z.enum(TASK_CHANGES), task: taskSnapshotSchema }),
};

/** Data of `reminder.due` on `reminders`: enough for a notifier to show it without a lookup. */
export const reminderDueSchema = z.object({
  user_id: z.uuid(),
  reminder: reminderSnapshotSchema.pick({ id: true, before: true, at: true }).extend({ fire_at: timestamp }),
  task: taskSnapshotSchema.pick({ id: true, number: true, title: true, due: true, time_zone: true }),
  fired_at: timestamp,
});
