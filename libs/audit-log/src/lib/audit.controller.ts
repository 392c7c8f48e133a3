import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiParam, ApiTags } from '@nestjs/swagger';
import { type Actor, CurrentActor } from '@todo/auth';
import { eventActorSchema, TASK_CHANGES, taskSnapshotSchema } from '@todo/events';
import { ApiEndpoint, ZodPipe } from '@todo/http';
import { parseTaskRef } from '@todo/tasks';
import { z } from 'zod';
import { type AuditPage, AuditLogReader, type AuditRecord } from './audit-log-reader';
import { type AuditPageQuery, auditPageQuerySchema } from './audit-page-query';

/** One entry of a task's history over REST. */
const auditEntrySchema = z
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
const auditPageSchema = z
  .object({
    items: z.array(auditEntrySchema),
    next_cursor: z.string().nullable().describe('Pass as cursor for the next page'),
  })
  .meta({ id: 'HistoryPage' });

function entryView(record: AuditRecord): z.infer<typeof auditEntrySchema> {
  return {
    id: record.eventId,
    task_id: record.taskId,
    task_number: record.taskNumber,
    action: record.action,
    actor: record.actor,
    occurred_at: record.occurredAt.toISOString(),
    changes: record.changes,
    before: record.before,
    after: record.after,
  };
}

const pageView = (page: AuditPage) => ({ items: page.items.map(entryView), next_cursor: page.nextCursor });

@ApiTags('history')
@Controller()
export class AuditController {
  constructor(private readonly audit: AuditLogReader) {}

  /** The task's history, oldest first (`ref` is a task number or id; also for deleted tasks). */
  @Get('tasks/:ref/history')
  @ApiParam({
    name: 'ref',
    description: 'A task number (e.g. 12) or a task id (uuid)',
    schema: { type: 'string' },
  })
  @ApiEndpoint({
    operationId: 'getTaskHistory',
    summary: "A task's history, oldest first (deleted tasks too)",
    query: auditPageQuerySchema,
    responses: { 200: { description: 'A page of history entries', schema: auditPageSchema } },
  })
  async history(
    @CurrentActor() actor: Actor,
    @Param('ref') ref: string,
    @Query(new ZodPipe(auditPageQuerySchema)) page: AuditPageQuery,
  ) {
    return pageView(await this.audit.taskHistory(actor, parseTaskRef(ref), page));
  }

  /** Everything that happened to your tasks, newest first. */
  @Get('activity')
  @ApiEndpoint({
    operationId: 'listActivity',
    summary: 'Everything that happened to your tasks, newest first',
    query: auditPageQuerySchema,
    responses: { 200: { description: 'A page of history entries', schema: auditPageSchema } },
  })
  async activity(
    @CurrentActor() actor: Actor,
    @Query(new ZodPipe(auditPageQuerySchema)) page: AuditPageQuery,
  ) {
    return pageView(await this.audit.activity(actor, page));
  }
}
