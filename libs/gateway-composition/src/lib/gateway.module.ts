import { Module } from '@nestjs/common';
import { ACCOUNTS_MIGRATIONS, AccountsModule } from '@todo/accounts';
import { AUDIT_MIGRATIONS, AuditApiModule } from '@todo/audit-log';
import { CHAT_MIGRATIONS } from '@todo/chat';
import { EVENTS_MIGRATIONS } from '@todo/events';
import { REALTIME_MIGRATIONS } from '@todo/realtime';
import { REMINDERS_MIGRATIONS } from '@todo/reminders';
import { GraphqlServerModule } from '@todo/graphql';
import { TASK_LIST_SIZES, TasksApiModule } from '@todo/tasks-api';
import { TASKS_MIGRATIONS } from '@todo/tasks';
import { WEB_PUSH_MIGRATIONS, WebPushApiModule } from '@todo/web-push';

/** Every schema migration, in order; one database serves all services. */
export const ALL_MIGRATIONS = [
  ...ACCOUNTS_MIGRATIONS,
  ...TASKS_MIGRATIONS,
  ...REMINDERS_MIGRATIONS,
  ...EVENTS_MIGRATIONS,
  ...AUDIT_MIGRATIONS,
  ...CHAT_MIGRATIONS,
  ...WEB_PUSH_MIGRATIONS,
  ...REALTIME_MIGRATIONS,
];

/**
 * The front door: accounts, tasks, their history and Web Push subscriptions over REST (`/api/v1`) and
 * GraphQL (`/graphql`).
 */
@Module({
  imports: [
    GraphqlServerModule.forRoot(TASK_LIST_SIZES),
    AccountsModule,
    TasksApiModule,
    AuditApiModule,
    WebPushApiModule,
  ],
})
export class GatewayModule {}
