import { Module } from '@nestjs/common';
import { TasksModule } from '@todo/tasks';
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
