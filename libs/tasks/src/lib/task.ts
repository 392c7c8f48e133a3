export const TASK_STATUSES = ['pending', 'completed'] as const;
import type { Reminder } from '@todo/reminders';

export type TaskStatus = (typeof TASK_STATUSES)[number];

/** One priority scale, stored as 0–4 so it sorts; Todoist-style p1–p4 map onto it (p1 = urgent). */
export const PRIORITIES = ['none', 'low', 'medium', 'high', 'urgent'] as const;
export type Priority = (typeof PRIORITIES)[number];
export const P_LEVELS: Record<string, Priority> = { p1: 'urgent', p2: 'high', p3: 'medium', p4: 'low' };

export type RecurrenceFrom = 'due' | 'completion';

/** `every` repeats from the due date, `every!` from the completion date (RFC 5545 RRULE, no DTSTART). */
export interface Recurrence {
  readonly rrule: string;
  readonly from: RecurrenceFrom;
}

/** A due moment, or a whole day in the task's time zone. */
export type Due =
  { readonly allDay: false; readonly at: Date } | { readonly allDay: true; readonly date: string };

export interface Task {
  readonly id: string;
  readonly ownerId: string;
  /** Per-user sequence number (1, 2, 3…), never reused. */
  readonly number: number;
  readonly title: string;
  readonly description: string | null;
  readonly status: TaskStatus;
  readonly priority: Priority;
  readonly tags: readonly string[];
  readonly due: Due | null;
  readonly timeZone: string;
  readonly recurrence: Recurrence | null;
  readonly overdue: boolean;
  readonly version: number;
  readonly createdAt: Date;
  readonly updatedAt: Date;
  readonly completedAt: Date | null;
  /** Which series of a recurring task this occurrence belongs to (position 1 is the first task). */
  readonly series: { readonly id: string; readonly position: number } | null;
  readonly reminders: readonly Reminder[];
}

export const TASK_LIMITS = {
  titleLength: 500,
  descriptionLength: 10_000,
  tagCount: 20,
  tagLength: 50,
  pageSize: 100,
  searchWords: 10,
} as const;
