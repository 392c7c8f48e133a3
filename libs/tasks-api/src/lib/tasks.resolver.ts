import { Args, ID, Int, Mutation, Query, Resolver } from '@nestjs/graphql';
import { type Actor, CurrentActor } from '@todo/auth';
import { parseOrThrow } from '@todo/errors';
import { reminderSnapshotSchema, taskSnapshotSchema } from '@todo/events';
import { fromGraphqlInput, graphqlTypeOf, toGraphqlObject } from '@todo/http';
import { reminderInputSchema } from '@todo/reminders';
import {
  createTaskSchema,
  parseReminderId,
  parseTaskRef,
  type Task,
  type TaskPage,
  taskPageSchema,
  taskQuerySchema,
  TaskService,
  toReminderSnapshot,
  toTaskSnapshot,
  updateTaskSchema,
  versionCheckSchema,
} from '@todo/tasks';

// Every type below is derived from the zod schema REST validates with (inputs) or the event contract
// REST returns (outputs): a task field is defined once, in those schemas.
const TaskType = graphqlTypeOf(taskSnapshotSchema, 'object');
const ReminderType = graphqlTypeOf(reminderSnapshotSchema, 'object');
const TaskPageType = graphqlTypeOf(taskPageSchema, 'object');
const inputNames = { recurrence: 'RecurrenceInput', reminders: 'ReminderInput' };
const ReminderInput = graphqlTypeOf(reminderInputSchema, 'input', { name: 'ReminderInput' });
const CreateTaskInput = graphqlTypeOf(createTaskSchema, 'input', {
  name: 'CreateTaskInput',
  nested: inputNames,
});
const UpdateTaskInput = graphqlTypeOf(updateTaskSchema, 'input', {
  name: 'UpdateTaskInput',
  nested: inputNames,
});
const TaskFilter = graphqlTypeOf(taskQuerySchema, 'input', { name: 'TaskFilter' });

const taskType = (task: Task) => toGraphqlObject(taskSnapshotSchema, toTaskSnapshot(task));
const pageType = (page: TaskPage) =>
  toGraphqlObject(taskPageSchema, { items: page.items.map(toTaskSnapshot), next_cursor: page.nextCursor });

@Resolver(() => TaskType)
export class TasksResolver {
  constructor(private readonly tasks: TaskService) {}

  @Query(() => TaskType, { description: 'One of your tasks, by number (e.g. "12") or id' })
  async task(@CurrentActor() actor: Actor, @Args('ref') ref: string) {
    return taskType(await this.tasks.get(actor, parseTaskRef(ref)));
  }

  @Query(() => TaskPageType, { name: 'tasks', description: 'Your tasks: search, filter, sort and page' })
  async listTasks(
    @CurrentActor() actor: Actor,
    @Args('filter', { type: () => TaskFilter, nullable: true }) filter?: object,
  ) {
    const query = parseOrThrow(taskQuerySchema, fromGraphqlInput(filter ?? {}), 'camel');
    return pageType(await this.tasks.list(actor, query));
  }

  @Mutation(() => TaskType)
  async createTask(
    @CurrentActor() actor: Actor,
    @Args('input', { type: () => CreateTaskInput }) input: object,
  ) {
    return taskType(
      await this.tasks.create(actor, parseOrThrow(createTaskSchema, fromGraphqlInput(input), 'camel')),
    );
  }

  @Mutation(() => TaskType)
  async updateTask(
    @CurrentActor() actor: Actor,
    @Args('ref') ref: string,
    @Args('input', { type: () => UpdateTaskInput }) input: object,
  ) {
    return taskType(
      await this.tasks.update(
        actor,
        parseTaskRef(ref),
        parseOrThrow(updateTaskSchema, fromGraphqlInput(input), 'camel'),
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
    @Args('input', { type: () => ReminderInput }) input: Record<string, unknown>,
  ) {
    // GraphQL passes explicit nulls; the schema treats a field as given only when it has a value.
    const given = Object.fromEntries(Object.entries(input).filter(([, value]) => value !== null));
    const parsed = parseOrThrow(reminderInputSchema, fromGraphqlInput(given), 'camel');
    const { reminder } = await this.tasks.addReminder(actor, parseTaskRef(ref), parsed);
    return toGraphqlObject(reminderSnapshotSchema, toReminderSnapshot(reminder));
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
