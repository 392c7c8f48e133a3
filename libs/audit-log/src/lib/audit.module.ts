import { Module } from '@nestjs/common';
import { EventsModule } from '@todo/events';
import { TasksModule } from '@todo/tasks';
import { AuditController } from './audit.controller';
import { AuditLogReader } from './audit-log-reader';
import { AuditLogConsumer } from './audit-log.consumer';
import { AuditResolver } from './audit.resolver';
import { CreateAuditLog1763700003000 } from './migrations/1763700003000-create-audit-log';
import { AuditReminders1763700006000 } from './migrations/1763700006000-audit-reminders';
import { AuditLogEventTimeOrder1763700008000 } from './migrations/1763700008000-audit-log-event-time-order';

export const AUDIT_MIGRATIONS = [
  CreateAuditLog1763700003000,
  AuditReminders1763700006000,
  AuditLogEventTimeOrder1763700008000,
];

/** Writes the history: consumes `task-events` and `reminder.due` into `audit_log` (the audit service). */
@Module({ imports: [EventsModule], controllers: [AuditLogConsumer] })
export class AuditLogModule {}

/** Reads the history: `/tasks/{ref}/history`, `/activity` and their GraphQL queries (the gateway). */
@Module({
  imports: [TasksModule],
  controllers: [AuditController],
  providers: [AuditLogReader, AuditResolver],
})
export class AuditApiModule {}
