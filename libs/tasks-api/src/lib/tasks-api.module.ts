import { Module } from '@nestjs/common';
import { TasksModule } from '@todo/tasks';
import { TasksController } from './tasks.controller';
import { TasksResolver } from './tasks.resolver';

/** The task operations over REST (`/api/v1/tasks`) and GraphQL. */
@Module({ imports: [TasksModule], controllers: [TasksController], providers: [TasksResolver] })
export class TasksApiModule {}
