import { Module } from '@nestjs/common';
import { EventsModule } from '@todo/events';
import { CreateTasks1763700001000 } from './migrations/1763700001000-create-tasks';
import { AddTaskSeries1763700004000 } from './migrations/1763700004000-add-task-series';
import { TaskService } from './task.service';
import { OwnerScopedSearchIndexes1763700009000 } from './migrations/1763700009000-owner-scoped-search-indexes';
import { StorableDueTimes1763700011500 } from './migrations/1763700011500-storable-due-times';
import { OwnerKeyedSearchIndexes1763700022000 } from './migrations/1763700022000-owner-keyed-search-indexes';
import { DueWeekFilterKeys1763700024000 } from './migrations/1763700024000-due-week-filter-keys';

export const TASKS_MIGRATIONS = [
  CreateTasks1763700001000,
  AddTaskSeries1763700004000,
  OwnerScopedSearchIndexes1763700009000,
  StorableDueTimes1763700011500,
  OwnerKeyedSearchIndexes1763700022000,
  DueWeekFilterKeys1763700024000,
];

/** The task domain: rules, persistence and queries. Transports (REST, GraphQL, chat) live elsewhere. */
@Module({ imports: [EventsModule], providers: [TaskService], exports: [TaskService] })
export class TasksModule {}
