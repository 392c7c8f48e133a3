import { Module } from '@nestjs/common';
import type { UnsizedLists } from '@todo/graphql';
import { TASK_LIMITS, TasksModule } from '@todo/tasks';
import { RemindersController } from './reminders.controller';
import { TasksController } from './tasks.controller';
import { TasksResolver } from './tasks.resolver';

/** The task operations (and a task's reminders) over REST (`/api/v1/tasks`) and GraphQL. */
@Module({
  imports: [TasksModule],
  controllers: [TasksController, RemindersController],
  providers: [TasksResolver],
})
export class TasksApiModule {}

/** How the GraphQL cost estimate sizes the task lists a query leaves unsized (tags; pages without `limit`). */
export const TASK_LIST_SIZES: UnsizedLists = {
  listLength: TASK_LIMITS.tagCount,
  pageLength: TASK_LIMITS.pageSize,
};
