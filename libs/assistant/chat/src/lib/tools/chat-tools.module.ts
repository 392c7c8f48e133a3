import { Module } from '@nestjs/common';
import { TasksModule } from '@todo/tasks';
import { TaskToolExecutor } from './task-tool-executor';

/** The assistant's tools, executed through the task service for one authenticated user at a time. */
@Module({
  imports: [TasksModule],
  providers: [TaskToolExecutor],
  exports: [TaskToolExecutor],
})
export class ChatToolsModule {}
