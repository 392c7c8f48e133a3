import { Args, Field, ID, InputType, Int, Mutation, ObjectType, Query, Resolver } from '@nestjs/graphql';
import { type Actor, CurrentActor } from '@todo/auth';
import { parseOrThrow } from '@todo/errors';
import { type Reminder, reminderInputSchema } from '@todo/reminders';
import {
  createTaskSchema,
  formatDue,
  parseReminderId,
  parseTaskRef,
  type Task,
  taskQuerySchema,
  TaskService,
  updateTaskSchema,
  versionCheckSchema,
} from '@todo/tasks';

@ObjectType('Recurrence')
class RecurrenceType {
  @Field({ description: 'RFC 5545 RRULE without DTSTART' }) rrule!: string;
  @Field({ description: '"due" (every) or "completion" (every!)' }) from!: string;
}

@ObjectType('Reminder')
class ReminderType {
  @Field(() => ID) id!: string;
  @Field(() => String, { nullable: true, description: 'ISO 8601 duration before the due time, e.g. PT1H' })
  before!: string | null;
  @Field(() => Date, { nullable: true, description: 'An absolute time (when not relative)' })
  at!: Date | null;
  @Field(() => Date, { nullable: true, description: 'When it fires; null without a due time' })
  fireAt!: Date | null;
  @Field({ description: 'scheduled, fired, cancelled or missed' }) state!: string;
  @Field(() => Date, { nullable: true }) firedAt!: Date | null;
  @Field() createdAt!: Date;
}

@ObjectType('Task')
class TaskType {
  @Field(() => ID) id!: string;
  @Field(() => Int, { description: 'Your own task number (1, 2, 3…)' }) number!: number;
  @Field() title!: string;
  @Field(() => String, { nullable: true }) description!: string | null;
  @Field({ description: 'pending or completed' }) status!: string;
  @Field({ description: 'none, low, medium, high or urgent' }) priority!: string;
  @Field(() => [String]) tags!: readonly string[];
  @Field(() => String, {
    nullable: true,
    description: '"YYYY-MM-DD" (all day) or an RFC 3339 time with offset',
  })
  due!: string | null;
  @Field() overdue!: boolean;
  @Field() timeZone!: string;
  @Field(() => RecurrenceType, { nullable: true }) recurrence!: RecurrenceType | null;
  @Field(() => [ReminderType]) reminders!: ReminderType[];
  @Field(() => Int) version!: number;
  @Field() createdAt!: Date;
  @Field() updatedAt!: Date;
  @Field(() => Date, { nullable: true }) completedAt!: Date | null;
}

@ObjectType('TaskPage')
class TaskPageType {
  @Field(() => [TaskType]) items!: TaskType[];
  @Field(() => String, { nullable: true, description: 'Pass as filter.cursor for the next page' })
  nextCursor!: string | null;
}

@InputType()
class RecurrenceInput {
  @Field() rrule!: string;
  @Field(() => String, { nullable: true }) from?: string;
}

@InputType()
class CreateTaskInput {
  @Field() title!: string;
  @Field(() => String, { nullable: true }) description?: string | null;
  @Field(() => String, { nullable: true }) priority?: string;
  @Field(() => [String], { nullable: true }) tags?: string[];
  @Field(() => String, { nullable: true }) due?: string | null;
  @Field(() => RecurrenceInput, { nullable: true }) recurrence?: RecurrenceInput | null;
}

@InputType()
class UpdateTaskInput {
  @Field(() => String, { nullable: true }) title?: string;
  @Field(() => String, { nullable: true }) description?: string | null;
  @Field(() => String, { nullable: true }) priority?: string;
  @Field(() => [String], { nullable: true }) tags?: string[];
  @Field(() => String, { nullable: true }) due?: string | null;
  @Field(() => RecurrenceInput, { nullable: true }) recurrence?: RecurrenceInput | null;
  @Field(() => Int, { nullable: true, description: 'Fails with CONFLICT if the task has another version' })
  version?: number;
}

@InputType()
class ReminderInput {
  @Field(() => String, { nullable: true, description: 'ISO 8601 duration before the due time, e.g. PT1H' })
  before?: string;
  @Field(() => String, { nullable: true, description: 'RFC 3339 time with offset' }) at?: string;
  @Field(() => Boolean, { nullable: true, description: 'Accept a time in the past (fires at once)' })
  allowPast?: boolean;
}

@InputType()
class TaskFilter {
  @Field(() => String, { nullable: true }) q?: string;
  @Field(() => String, { nullable: true }) status?: string;
  @Field(() => [String], { nullable: true }) priority?: string[];
  @Field(() => [String], { nullable: true }) tags?: string[];
  @Field(() => String, { nullable: true }) tagMatch?: string;
  @Field(() => String, { nullable: true }) dueFrom?: string;
  @Field(() => String, { nullable: true }) dueTo?: string;
  @Field(() => Boolean, { nullable: true }) overdue?: boolean;
  @Field(() => Boolean, { nullable: true }) hasDue?: boolean;
  @Field(() => String, { nullable: true }) sort?: string;
  @Field(() => String, { nullable: true }) order?: string;
  @Field(() => Int, { nullable: true }) limit?: number;
  @Field(() => String, { nullable: true }) cursor?: string;
}

function reminderType(reminder: Reminder): ReminderType {
  const { trigger, ...rest } = reminder;
  return {
    ...rest,
    before: 'before' in trigger ? trigger.before : null,
    at: 'at' in trigger ? trigger.at : null,
  };
}

function taskType(task: Task): TaskType {
  return {
    ...task,
    due: formatDue(task.due, task.timeZone),
    recurrence: task.recurrence,
    reminders: task.reminders.map(reminderType),
  };
}

@Resolver(() => TaskType)
export class TasksResolver {
  constructor(private readonly tasks: TaskService) {}

  @Query(() => TaskType, { description: 'One of your tasks, by number (e.g. "12") or id' })
  async task(@CurrentActor() actor: Actor, @Args('ref') ref: string) {
    return taskType(await this.tasks.get(actor, parseTaskRef(ref)));
  }

  @Query(() => TaskPageType, { name: 'tasks', description: 'Your tasks: search, filter, sort and page' })
  async listTasks(@CurrentActor() actor: Actor, @Args('filter', { nullable: true }) filter?: TaskFilter) {
    const { tagMatch, dueFrom, dueTo, hasDue, ...rest } = filter ?? {};
    const query = parseOrThrow(
      taskQuerySchema,
      { ...rest, tag_match: tagMatch, due_from: dueFrom, due_to: dueTo, has_due: hasDue },
      'camel',
    );
    const page = await this.tasks.list(actor, query);
    return { items: page.items.map(taskType), nextCursor: page.nextCursor };
  }

  @Mutation(() => TaskType)
  async createTask(@CurrentActor() actor: Actor, @Args('input') input: CreateTaskInput) {
    return taskType(await this.tasks.create(actor, parseOrThrow(createTaskSchema, { ...input }, 'camel')));
  }

  @Mutation(() => TaskType)
  async updateTask(
    @CurrentActor() actor: Actor,
    @Args('ref') ref: string,
    @Args('input') input: UpdateTaskInput,
  ) {
    return taskType(
      await this.tasks.update(
        actor,
        parseTaskRef(ref),
        parseOrThrow(updateTaskSchema, { ...input }, 'camel'),
      ),
    );
  }

  @Mutation(() => TaskType)
  async completeTask(
    @CurrentActor() actor: Actor,
    @Args('ref') ref: string,
    @Args('version', { type: () => Int, nullable: true }) version?: number,
  ) {
    return taskType(await this.tasks.complete(actor, parseTaskRef(ref), this.version(version)));
  }

  @Mutation(() => TaskType)
  async reopenTask(
    @CurrentActor() actor: Actor,
    @Args('ref') ref: string,
    @Args('version', { type: () => Int, nullable: true }) version?: number,
  ) {
    return taskType(await this.tasks.reopen(actor, parseTaskRef(ref), this.version(version)));
  }

  @Mutation(() => TaskType, { description: 'Deletes the task and returns it as it was' })
  async deleteTask(
    @CurrentActor() actor: Actor,
    @Args('ref') ref: string,
    @Args('version', { type: () => Int, nullable: true }) version?: number,
  ) {
    return taskType(await this.tasks.delete(actor, parseTaskRef(ref), this.version(version)));
  }

  @Mutation(() => ReminderType, { description: 'Adds a reminder: give either before or at' })
  async addReminder(
    @CurrentActor() actor: Actor,
    @Args('ref') ref: string,
    @Args('input') input: ReminderInput,
  ) {
    // GraphQL passes explicit nulls; the schema treats a field as given only when it has a value.
    const parsed = parseOrThrow(
      reminderInputSchema,
      {
        before: input.before ?? undefined,
        at: input.at ?? undefined,
        allow_past: input.allowPast ?? undefined,
      },
      'camel',
    );
    return reminderType((await this.tasks.addReminder(actor, parseTaskRef(ref), parsed)).reminder);
  }

  @Mutation(() => TaskType, { description: 'Removes a reminder and returns the task' })
  async removeReminder(
    @CurrentActor() actor: Actor,
    @Args('ref') ref: string,
    @Args('id', { type: () => ID }) id: string,
  ) {
    return taskType(await this.tasks.removeReminder(actor, parseTaskRef(ref), parseReminderId(id)));
  }

  private version(version: number | null | undefined) {
    return parseOrThrow(versionCheckSchema, { version: version ?? undefined }, 'camel').version;
  }
}
