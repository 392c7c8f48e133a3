import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { type Actor, CurrentActor } from '@todo/auth';
import { ApiZodQuery, ZodPipe } from '@todo/http';
import { parseTaskRef } from '@todo/tasks';
import { type AuditPage, AuditLogReader, type AuditRecord } from './audit-log-reader';
import { type AuditPageQuery, auditPageQuerySchema } from './audit-page-query';

function entryView(record: AuditRecord) {
  return {
    id: record.eventId,
    task_id: record.taskId,
    task_number: record.taskNumber,
    action: record.action,
    actor: record.actor,
    occurred_at: record.occurredAt,
    changes: record.changes,
    before: record.before,
    after: record.after,
  };
}

const pageView = (page: AuditPage) => ({ items: page.items.map(entryView), next_cursor: page.nextCursor });

@ApiTags('history')
@ApiBearerAuth()
@Controller()
export class AuditController {
  constructor(private readonly audit: AuditLogReader) {}

  /** The task's history, oldest first (`ref` is a task number or id; also for deleted tasks). */
  @Get('tasks/:ref/history')
  @ApiZodQuery(auditPageQuerySchema)
  async history(
    @CurrentActor() actor: Actor,
    @Param('ref') ref: string,
    @Query(new ZodPipe(auditPageQuerySchema)) page: AuditPageQuery,
  ) {
    return pageView(await this.audit.taskHistory(actor, parseTaskRef(ref), page));
  }

  /** Everything that happened to your tasks, newest first. */
  @Get('activity')
  @ApiZodQuery(auditPageQuerySchema)
  async activity(
    @CurrentActor() actor: Actor,
    @Query(new ZodPipe(auditPageQuerySchema)) page: AuditPageQuery,
  ) {
    return pageView(await this.audit.activity(actor, page));
  }
}
