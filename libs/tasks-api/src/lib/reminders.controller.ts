import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiParam, ApiTags } from '@nestjs/swagger';
import { type Actor, CurrentActor } from '@todo/auth';
import { reminderSnapshotSchema } from '@todo/events';
import { ApiEndpoint, ZodPipe } from '@todo/http';
import { type ReminderInput, reminderInputSchema } from '@todo/reminders';
import { parseReminderId, parseTaskRef, TaskService, toReminderSnapshot } from '@todo/tasks';
import { z } from 'zod';
import { ApiTaskRef, NO_SUCH_TASK } from './tasks.controller';

const reminderListSchema = z.object({ items: z.array(reminderSnapshotSchema) });

/** A task's reminders: `{"before": "PT1H"}` (before the due time) or `{"at": "<RFC 3339>"}`. */
@ApiTags('reminders')
@Controller('tasks/:ref/reminders')
export class RemindersController {
  constructor(private readonly tasks: TaskService) {}

  @Get()
  @ApiTaskRef()
  @ApiEndpoint({
    operationId: 'listReminders',
    summary: "List a task's reminders",
    responses: { 200: { description: 'Its reminders, fired ones included', schema: reminderListSchema } },
    errors: { 400: 'The ref is neither a task number nor a uuid', 404: NO_SUCH_TASK },
  })
  async list(@CurrentActor() actor: Actor, @Param('ref') ref: string) {
    const task = await this.tasks.get(actor, parseTaskRef(ref));
    return { items: task.reminders.map(toReminderSnapshot) };
  }

  @Post()
  @ApiTaskRef()
  @ApiEndpoint({
    operationId: 'addReminder',
    summary: 'Add a reminder to a task',
    description: '`{"before": "PT1H"}` before the due time, or `{"at": "<RFC 3339>"}` at a fixed time.',
    body: reminderInputSchema,
    responses: { 201: { description: 'The new reminder', schema: reminderSnapshotSchema } },
    errors: {
      404: NO_SUCH_TASK,
      409: 'The task is completed, already has that reminder, or has the most reminders a task may have',
    },
  })
  async add(
    @CurrentActor() actor: Actor,
    @Param('ref') ref: string,
    @Body(new ZodPipe(reminderInputSchema)) input: ReminderInput,
  ) {
    const { reminder } = await this.tasks.addReminder(actor, parseTaskRef(ref), input);
    return toReminderSnapshot(reminder);
  }

  @Delete(':reminderId')
  @HttpCode(204)
  @ApiTaskRef()
  @ApiParam({ name: 'reminderId', description: 'The reminder id (uuid)', schema: { type: 'string' } })
  @ApiEndpoint({
    operationId: 'removeReminder',
    summary: 'Remove a reminder',
    responses: { 204: { description: 'Removed', schema: null } },
    errors: { 400: 'The ref or the reminder id is malformed', 404: 'No such task or reminder of yours' },
  })
  async remove(@CurrentActor() actor: Actor, @Param('ref') ref: string, @Param('reminderId') id: string) {
    await this.tasks.removeReminder(actor, parseTaskRef(ref), parseReminderId(id));
  }
}
