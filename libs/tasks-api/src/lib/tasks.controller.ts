import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { type Actor, CurrentActor } from '@todo/auth';
import { ApiZodBody, ApiZodQuery, ZodPipe } from '@todo/http';
import {
  createTaskSchema,
  type CreateTaskInput,
  parseTaskRef,
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

@ApiTags('tasks')
@ApiBearerAuth()
/** `ref` in every path is a task number (e.g. 12) or a task id (uuid). */
@Controller('tasks')
export class TasksController {
  constructor(private readonly tasks: TaskService) {}

  @Get()
  @ApiZodQuery(taskQuerySchema)
  async list(@CurrentActor() actor: Actor, @Query(new ZodPipe(taskQuerySchema)) query: TaskQuery) {
    const page = await this.tasks.list(actor, query);
    return { items: page.items.map(toTaskSnapshot), next_cursor: page.nextCursor };
  }

  @Post()
  @ApiZodBody(createTaskSchema)
  async create(@CurrentActor() actor: Actor, @Body(new ZodPipe(createTaskSchema)) input: CreateTaskInput) {
    return toTaskSnapshot(await this.tasks.create(actor, input));
  }

  @Get(':ref')
  async get(@CurrentActor() actor: Actor, @Param('ref') ref: string) {
    return toTaskSnapshot(await this.tasks.get(actor, parseTaskRef(ref)));
  }

  @Patch(':ref')
  @ApiZodBody(updateTaskSchema)
  async update(
    @CurrentActor() actor: Actor,
    @Param('ref') ref: string,
    @Body(new ZodPipe(updateTaskSchema)) patch: UpdateTaskInput,
  ) {
    return toTaskSnapshot(await this.tasks.update(actor, parseTaskRef(ref), patch));
  }

  @Post(':ref/complete')
  @HttpCode(200)
  @ApiZodBody(versionCheckSchema)
  async complete(
    @CurrentActor() actor: Actor,
    @Param('ref') ref: string,
    @Body(new ZodPipe(optionalVersion)) body: VersionCheck,
  ) {
    return toTaskSnapshot(await this.tasks.complete(actor, parseTaskRef(ref), body.version));
  }

  @Post(':ref/reopen')
  @HttpCode(200)
  @ApiZodBody(versionCheckSchema)
  async reopen(
    @CurrentActor() actor: Actor,
    @Param('ref') ref: string,
    @Body(new ZodPipe(optionalVersion)) body: VersionCheck,
  ) {
    return toTaskSnapshot(await this.tasks.reopen(actor, parseTaskRef(ref), body.version));
  }

  @Delete(':ref')
  @HttpCode(204)
  @ApiZodQuery(versionCheckSchema)
  async delete(
    @CurrentActor() actor: Actor,
    @Param('ref') ref: string,
    @Query(new ZodPipe(versionCheckSchema)) query: VersionCheck,
  ) {
    await this.tasks.delete(actor, parseTaskRef(ref), query.version);
  }
}
