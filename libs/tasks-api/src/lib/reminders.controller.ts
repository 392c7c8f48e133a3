import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { type Actor, CurrentActor } from '@todo/auth';
import { ApiZodBody, ZodPipe } from '@todo/http';
import { type ReminderInput, reminderInputSchema } from '@todo/reminders';
import { parseReminderId, parseTaskRef, TaskService, toReminderSnapshot } from '@todo/tasks';

/** A task's reminders: `{"before": "PT1H"}` (before the due time) or `{"at": "<RFC 3339>"}`. */
@ApiTags('reminders')
@ApiBearerAuth()
@Controller('tasks/:ref/reminders')
export class RemindersController {
  constructor(private readonly tasks: TaskService) {}

  @Get()
  async list(@CurrentActor() actor: Actor, @Param('ref') ref: string) {
    const task = await this.tasks.get(actor, parseTaskRef(ref));
    return { items: task.reminders.map(toReminderSnapshot) };
  }

  @Post()
  @ApiZodBody(reminderInputSchema)
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
  async remove(@CurrentActor() actor: Actor, @Param('ref') ref: string, @Param('reminderId') id: string) {
    await this.tasks.removeReminder(actor, parseTaskRef(ref), parseReminderId(id));
  }
}
