import { Injectable } from '@nestjs/common';
import {
  type ExecutedToolCall,
  parseToolCall,
  type ToolArguments,
  type ToolCall,
  type ToolOutcome,
} from '@todo/assistant-contract';
import type { Actor } from '@todo/auth';
import { AppError, parseOrThrow, refusedInputFromDatabase } from '@todo/errors';
import { instantOfWallTime, reminderInputSchema, wallTimeOf } from '@todo/reminders';
import { createTaskSchema, type Task, taskQuerySchema, TaskService, updateTaskSchema } from '@todo/tasks';
import type { ToolRunner } from '../engines/chat-engine';
import { recurrencePhrase, taskLine, taskName, whenPhrase } from './task-phrases';
import { AmbiguousReference, resolveTaskReference, UnknownReference } from './task-reference';
import { toTaskView } from './task-view';
import { dueFromWallTime } from './wall-time';

/** Tasks listed in one chat reply; the data keeps them all (up to a page). */
const LISTED_IN_REPLY = 20;
const LIST_PAGE = 50;

type Handler<name extends keyof ToolArguments> = (
  actor: Actor,
  args: ToolArguments[name],
  now: string,
) => Promise<ToolOutcome>;

/**
 * Runs tool calls through the same TaskService as REST and GraphQL, always as the authenticated
 * actor: the user is bound here, never taken from a model or a request body. Every call is checked
 * against its schema first; problems a person can fix come back as outcomes, not exceptions.
 */
@Injectable()
export class TaskToolExecutor {
  constructor(private readonly tasks: TaskService) {}

  forActor(actor: Actor): ToolRunner {
    return { run: (call) => this.run(actor, call) };
  }

  private async run(actor: Actor, call: ToolCall): Promise<ExecutedToolCall> {
    const now = wallTimeOf(new Date(), actor.timeZone);
    try {
      const parsed = parseToolCall(call);
      const handler = this.handlers[parsed.name] as Handler<typeof parsed.name>;
      return { ...call, result: await handler(actor, parsed.arguments, now) };
    } catch (error) {
      return { ...call, result: outcomeOf(error) };
    }
  }

  private readonly handlers: { [name in keyof ToolArguments]: Handler<name> } = {
    add_task: async (actor, args, now) => {
      const { reminders, due, ...fields } = args;
      const input = parseOrThrow(createTaskSchema, {
        ...fields,
        ...(due && { due: dueFromWallTime(due, actor.timeZone) }),
        ...(reminders && {
          reminders: reminders.map((reminder) =>
            'before' in reminder ? reminder : { at: dueFromWallTime(reminder.at, actor.timeZone) },
          ),
        }),
      });
      return done('Added', await this.tasks.create(actor, input), now);
    },

    list_tasks: async (actor, args, now) => {
      const query = parseOrThrow(taskQuerySchema, {
        status: args.status,
        ...(args.priority && { priority: [args.priority] }),
        ...(args.tags && { tags: args.tags }),
        tag_match: 'all',
        ...(args.search && { q: args.search }),
        ...(args.due_from && { due_from: args.due_from }),
        ...(args.due_to && { due_to: args.due_to }),
        ...(args.overdue !== undefined && { overdue: args.overdue }),
        ...(args.sort && { sort: args.sort }),
        ...(args.order && { order: args.order }),
        limit: LIST_PAGE,
      });
      const page = await this.tasks.list(actor, query);
      const views = page.items.map(toTaskView);
      const kind = args.status === 'all' ? '' : `${args.status} `;
      if (!views.length) return { status: 'done', message: `No ${kind}tasks match.`, data: { tasks: [] } };
      const more = page.nextCursor !== null || views.length > LISTED_IN_REPLY;
      const lines = views.slice(0, LISTED_IN_REPLY).map((view) => taskLine(view, now));
      const count = `${views.length}${page.nextCursor ? '+' : ''}`;
      return {
        status: 'done',
        message: [
          `${count} ${kind}task${views.length === 1 ? '' : 's'}:`,
          ...lines,
          ...(more ? ['…and more; narrow it down with a search or a filter.'] : []),
        ].join('\n'),
        data: { tasks: views, more: page.nextCursor !== null },
      };
    },

    complete_task: async (actor, args, now) => {
      const task = await resolveTaskReference(this.tasks, actor, args.task, 'pending');
      const completed = await this.tasks.complete(actor, { id: task.id }, task.version);
      const next = completed.recurrence
        ? ` It repeats ${recurrencePhrase(completed.recurrence)}; the next one is on its way.`
        : '';
      return { ...done('Completed', completed, now), message: `Completed ${taskName(completed)}.${next}` };
    },

    delete_task: async (actor, args) => {
      const task = await resolveTaskReference(this.tasks, actor, args.task, 'all');
      const deleted = await this.tasks.delete(actor, { id: task.id }, task.version);
      return {
        status: 'done',
        message: `Deleted ${taskName(deleted)}.`,
        data: { task: toTaskView(deleted) },
      };
    },

    update_task: async (actor, args, now) => {
      const { task: reference, due, ...fields } = args;
      const task = await resolveTaskReference(this.tasks, actor, reference, 'all');
      const patch = parseOrThrow(updateTaskSchema, {
        ...fields,
        ...(due !== undefined && { due: due === null ? null : dueFromWallTime(due, actor.timeZone) }),
        version: task.version,
      });
      return done('Updated', await this.tasks.update(actor, { id: task.id }, patch), now);
    },

    set_reminder: async (actor, args, now) => {
      const task = await resolveTaskReference(this.tasks, actor, args.task, 'pending');
      const input = parseOrThrow(
        reminderInputSchema,
        args.before
          ? { before: args.before }
          : { at: instantOfWallTime(args.at as string, actor.timeZone).toISOString() },
      );
      const { task: updated, reminder } = await this.tasks.addReminder(actor, { id: task.id }, input);
      const firesAt = reminder.fireAt ? whenPhrase(wallTimeOf(reminder.fireAt, updated.timeZone), now) : null;
      return {
        status: 'done',
        message: firesAt
          ? `I'll remind you about ${taskName(updated)} ${firesAt}.`
          : `Added a reminder to ${taskName(updated)}; it fires once the task has a due time.`,
        data: { task: toTaskView(updated) },
      };
    },
  };
}

function done(verb: string, task: Task, now: string): ToolOutcome {
  const view = toTaskView(task);
  return { status: 'done', message: `${verb} ${taskLine(view, now)}`, data: { task: view } };
}

function outcomeOf(error: unknown): ToolOutcome {
  if (error instanceof AmbiguousReference)
    return {
      status: 'question',
      message: error.message,
      data: { candidates: error.candidates.map((task) => ({ number: task.number, title: task.title })) },
    };
  if (error instanceof UnknownReference) return { status: 'failed', message: error.message };
  // A value the database refused is the caller's mistake too (a safety net behind the schemas).
  const expected = error instanceof AppError ? error : refusedInputFromDatabase(error);
  if (expected)
    return { status: 'failed', message: sentence(expected.message), data: { code: expected.code } };
  throw error;
}

const sentence = (text: string) => (/[.?!]$/.test(text) ? text : `${text}.`);
