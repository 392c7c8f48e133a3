import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiParam, ApiTags } from '@nestjs/swagger';
import { type Actor, CurrentActor } from '@todo/auth';
import { ApiEndpoint, ZodPipe } from '@todo/http';
import { parseTaskRef } from '@todo/tasks';
import { z } from 'zod';
import { type AuditPage, AuditLogReader, type AuditRecord } from './audit-log-reader';
import { type AuditPageQuery, auditPageQuerySchema } from './audit-page-query';
import { auditEntrySchema, auditPageSchema } from './audit.schemas';

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
