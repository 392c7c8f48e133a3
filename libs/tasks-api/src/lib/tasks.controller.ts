import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiParam, ApiTags } from '@nestjs/swagger';
import { type Actor, CurrentActor } from '@todo/auth';
import { taskSnapshotSchema } from '@todo/events';
import { ApiEndpoint, ZodPipe } from '@todo/http';
import {
  createTaskSchema,
  type CreateTaskInput,
  parseTaskRef,
  taskPageSchema,
  type TaskQuery,
  taskQuerySchema,
  TaskService,
  toTaskSnapshot,
  updateTaskSchema,
  type UpdateTaskInput,
  versionCheckSchema,
} from '@todo/tasks';
import { z } from 'zod';

type VersionCheck = z.infer<typeof versionCheckSchema>;
const optionalVersion = z.preprocess((body) => body ?? {}, versionCheckSchema);

const task = (description: string) => ({ description, schema: taskSnapshotSchema });
export const NO_SUCH_TASK = 'You have no task with this number or id';
const STALE_VERSION = 'The task has another version than the one sent (someone changed it first)';

/** `ref` in every path is a task number (e.g. 12) or a task id (uuid). */
export const ApiTaskRef = () =>
  ApiParam({
    name: 'ref',
    description: 'A task number (e.g. 12) or a task id (uuid)',
    schema: { type: 'string' },
  });

@ApiTags('tasks')
@Controller('tasks')
export class TasksController {
  constructor(private readonly tasks: TaskService) {}

  @Get()
  @ApiEndpoint({
    operationId: 'listTasks',
    summary: 'List, search, filter and sort your tasks',
    query: taskQuerySchema,
    responses: { 200: { description: 'A page of tasks', schema: taskPageSchema } },
  })
  async list(@CurrentActor() actor: Actor, @Query(new ZodPipe(taskQuerySchema)) query: TaskQuery) {
    const page = await this.tasks.list(actor, query);
    return { items: page.items.map(toTaskSnapshot), next_cursor: page.nextCursor };
  }

  @Post()
  @ApiEndpoint({
    operationId: 'createTask',
    summary: 'Create a task',
    body: createTaskSchema,
    responses: { 201: task('The new task') },
  })
  async create(@CurrentActor() actor: Actor, @Body(new ZodPipe(createTaskSchema)) input: CreateTaskInput) {
    return toTaskSnapshot(await this.tasks.create(actor, input));
  }

  @Get(':ref')
  @ApiTaskRef()
  @ApiEndpoint({
    operationId: 'getTask',
    summary: 'Get one of your tasks',
    responses: { 200: task('The task') },
    errors: { 400: 'The ref is neither a task number nor a uuid', 404: NO_SUCH_TASK },
  })
  async get(@CurrentActor() actor: Actor, @Param('ref') ref: string) {
    return toTaskSnapshot(await this.tasks.get(actor, parseTaskRef(ref)));
  }

  @Patch(':ref')
  @ApiTaskRef()
  @ApiEndpoint({
    operationId: 'updateTask',
    summary: 'Change a task (send only the fields that change)',
    body: updateTaskSchema,
    responses: { 200: task('The changed task') },
    errors: { 404: NO_SUCH_TASK, 409: STALE_VERSION },
  })
  async update(
    @CurrentActor() actor: Actor,
    @Param('ref') ref: string,
    @Body(new ZodPipe(updateTaskSchema)) patch: UpdateTaskInput,
  ) {
    return toTaskSnapshot(await this.tasks.update(actor, parseTaskRef(ref), patch));
  }

  @Post(':ref/complete')
  @HttpCode(200)
  @ApiTaskRef()
  @ApiEndpoint({
    operationId: 'completeTask',
    summary: 'Complete a task (a recurring task gets its next occurrence)',
    body: versionCheckSchema,
    responses: { 200: task('The completed task') },
    errors: { 404: NO_SUCH_TASK, 409: STALE_VERSION },
  })
  async complete(
    @CurrentActor() actor: Actor,
    @Param('ref') ref: string,
    @Body(new ZodPipe(optionalVersion)) body: VersionCheck,
  ) {
    return toTaskSnapshot(await this.tasks.complete(actor, parseTaskRef(ref), body.version));
  }

  @Post(':ref/reopen')
  @HttpCode(200)
  @ApiTaskRef()
  @ApiEndpoint({
    operationId: 'reopenTask',
    summary: 'Reopen a completed task',
    body: versionCheckSchema,
    responses: { 200: task('The reopened task') },
    errors: { 404: NO_SUCH_TASK, 409: STALE_VERSION },
  })
  async reopen(
    @CurrentActor() actor: Actor,
    @Param('ref') ref: string,
    @Body(new ZodPipe(optionalVersion)) body: VersionCheck,
  ) {
    return toTaskSnapshot(await this.tasks.reopen(actor, parseTaskRef(ref), body.version));
  }

  @Delete(':ref')
  @HttpCode(204)
  @ApiTaskRef()
  @ApiEndpoint({
    operationId: 'deleteTask',
    summary: 'Delete a task',
    query: versionCheckSchema,
    responses: { 204: { description: 'Deleted', schema: null } },
    errors: { 404: NO_SUCH_TASK, 409: STALE_VERSION },
  })
  async delete(
    @CurrentActor() actor: Actor,
    @Param('ref') ref: string,
    @Query(new ZodPipe(versionCheckSchema)) query: VersionCheck,
  ) {
    await this.tasks.delete(actor, parseTaskRef(ref), query.version);
  }
}
