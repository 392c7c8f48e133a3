import { Module } from '@nestjs/common';
import { CreateTasks1763700001000 } from './migrations/1763700001000-create-tasks';
import { AddTaskSeries1763700004000 } from './migrations/1763700004000-add-task-series';
import { TaskService } from './task.service';

export const TASKS_MIGRATIONS = [CreateTasks1763700001000, AddTaskSeries1763700004000];

/** The task domain: rules, persistence and queries. Transports (REST, GraphQL, chat) live elsewhere. */
@Module({ providers: [TaskService], exports: [TaskService] })
export class TasksModule {}
