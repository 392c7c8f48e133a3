import { ACCOUNTS_MIGRATIONS, AccountsModule } from '@todo/accounts';
import { EVENTS_MIGRATIONS } from '@todo/events';
import { GraphqlServerModule } from '@todo/graphql';
import { REMINDERS_MIGRATIONS } from '@todo/reminders';
import { TASKS_MIGRATIONS } from '@todo/tasks';
import { TASK_LIST_SIZES, TasksApiModule } from '@todo/tasks-api';
import type { TestSlice } from '@todo/testing';

/**
 * Accounts (register, sign in, the bearer-token guard) and the task API over REST and GraphQL, with
 * the tables they write: what a suite of another context composes to act as a signed-in user. The
 * suites of accounts and tasks compose themselves (importing this would make their libraries depend
 * on themselves).
 */
export const SIGNED_IN_TASK_API: TestSlice = {
  imports: [GraphqlServerModule.forRoot(TASK_LIST_SIZES), AccountsModule, TasksApiModule],
  migrations: [...ACCOUNTS_MIGRATIONS, ...TASKS_MIGRATIONS, ...REMINDERS_MIGRATIONS, ...EVENTS_MIGRATIONS],
};
