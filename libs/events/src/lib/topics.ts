/** Topic names are part of the contract between services: change them only with a migration plan. */
export const TOPICS = {
  /** Domain facts about tasks, consumed by the scheduler and the audit log. */
  taskEvents: 'task-events',
  /** The new state of a task after any change, for live clients. */
  taskUpdates: 'task-updates',
  /** Reminders that came due. */
  reminders: 'reminders',
} as const;

export type Topic = (typeof TOPICS)[keyof typeof TOPICS];

/** Where a transport puts an event that failed validation or exhausted its retries. */
export function deadLetterTopic(topic: string): string {
  return `${topic}.dlq`;
}
