import { eventActorSchema, TASK_CHANGES, taskSnapshotSchema } from '@todo/events';
import { z } from 'zod';

/** One entry of a task's history over REST. */
export const auditEntrySchema = z
  .object({
    id: z.uuid().describe('The id of the event this entry records'),
    task_id: z.uuid(),
    task_number: z.number().int().positive(),
    action: z.enum([...TASK_CHANGES, 'reminded']).describe('What happened; reminded: a reminder fired'),
    actor: eventActorSchema,
    occurred_at: z.iso.datetime({ offset: true }),
    changes: z
      .record(z.string(), z.object({ from: z.unknown(), to: z.unknown() }))
      .describe('The fields that changed, with their values before and after'),
    before: taskSnapshotSchema.nullable().describe('The task before the change (null when created)'),
    after: taskSnapshotSchema.nullable().describe('The task after the change (null when deleted)'),
  })
  .meta({ id: 'HistoryEntry' });
export const auditPageSchema = z
  .object({
    items: z.array(auditEntrySchema),
    next_cursor: z.string().nullable().describe('Pass as cursor for the next page'),
  })
  .meta({ id: 'HistoryPage' });

export type HistoryEntryView = z.infer<typeof auditEntrySchema>;
export type HistoryPageView = z.infer<typeof auditPageSchema>;
