import type { z } from 'zod';
import { reminderDueSchema, taskEventSchemas } from './task-event-contracts';
import { type Topic, TOPICS } from './topics';

/** Every event type, the topic it travels on, and the schema its data must satisfy. */
export const EVENT_CATALOG = {
  'task.created': { topic: TOPICS.taskEvents, data: taskEventSchemas['task.created'] },
  'task.updated': { topic: TOPICS.taskEvents, data: taskEventSchemas['task.updated'] },
  'task.completed': { topic: TOPICS.taskEvents, data: taskEventSchemas['task.completed'] },
  'task.reopened': { topic: TOPICS.taskEvents, data: taskEventSchemas['task.reopened'] },
  'task.deleted': { topic: TOPICS.taskEvents, data: taskEventSchemas['task.deleted'] },
  'task.changed': { topic: TOPICS.taskUpdates, data: taskEventSchemas['task.changed'] },
  'reminder.due': { topic: TOPICS.reminders, data: reminderDueSchema },
} satisfies Record<string, { topic: Topic; data: z.ZodType }>;

export type EventType = keyof typeof EVENT_CATALOG;
export type EventData<T extends EventType> = z.infer<(typeof EVENT_CATALOG)[T]['data']>;

export function isEventType(type: string): type is EventType {
  return Object.prototype.hasOwnProperty.call(EVENT_CATALOG, type);
}

export function topicOf(type: EventType): Topic {
  return EVENT_CATALOG[type].topic;
}
