import { reminderFromRow, REMINDERS_OF_TASK, type ReminderRow } from '@todo/reminders';
import type { TaskSnapshot } from '@todo/events';
import { readStoredInstant } from '@todo/validation';
import { dueFromStored } from './due';
import { PRIORITIES, type Task, type TaskStatus, type RecurrenceFrom } from './task';

/** Columns as selected by every task query (the `search` vector stays in the database). */
export const TASK_COLUMNS = `t.id, t.owner_id, t.number, t.title, t.description, t.status, t.priority, t.tags,
  t.due_at, t.due_all_day, t.time_zone, t.recurrence_rule, t.recurrence_from, t.version,
  t.created_at, t.updated_at, t.completed_at, (t.status = 'pending' AND t.overdue_at <= now()) AS overdue,
  t.series_id, t.series_position, ${REMINDERS_OF_TASK} AS reminders`;

export interface TaskRow {
  id: string;
  owner_id: string;
  number: number;
  title: string;
  description: string | null;
  status: TaskStatus;
  priority: number;
  tags: string[];
  due_at: Date | null;
  due_all_day: boolean;
  time_zone: string;
  recurrence_rule: string | null;
  recurrence_from: RecurrenceFrom | null;
  version: number;
  created_at: Date;
  updated_at: Date;
  completed_at: Date | null;
  overdue: boolean | null;
  series_id: string | null;
  series_position: number | null;
  reminders: ReminderRow[];
}

/**
 * Which field of the wire snapshot (REST, events, GraphQL) each row field feeds; null: kept on the
 * server. Exactly the keys of TaskRow (the compiler checks that); `task-fields.int-spec.ts` checks it
 * against the table's columns, TASK_COLUMNS and the snapshot, so a field cannot be added to one and
 * forgotten in another.
 */
export const TASK_ROW_FIELDS = {
  id: 'id',
  owner_id: null,
  number: 'number',
  title: 'title',
  description: 'description',
  status: 'status',
  priority: 'priority',
  tags: 'tags',
  due_at: 'due',
  due_all_day: 'due',
  time_zone: 'time_zone',
  recurrence_rule: 'recurrence',
  recurrence_from: 'recurrence',
  version: 'version',
  created_at: 'created_at',
  updated_at: 'updated_at',
  completed_at: 'completed_at',
  overdue: 'overdue',
  series_id: null,
  series_position: null,
  reminders: 'reminders',
} as const satisfies Record<keyof TaskRow, keyof TaskSnapshot | null>;

/** Times are read with {@link readStoredInstant}: one out-of-range value never makes a row unreadable. */
export function taskFromRow(row: TaskRow): Task {
  return {
    id: row.id,
    ownerId: row.owner_id,
    number: row.number,
    title: row.title,
    description: row.description,
    status: row.status,
    priority: PRIORITIES[row.priority] ?? 'none',
    tags: row.tags,
    due: dueFromStored(row.due_at && readStoredInstant(row.due_at), row.due_all_day, row.time_zone),
    timeZone: row.time_zone,
    recurrence:
      row.recurrence_rule && row.recurrence_from
        ? { rrule: row.recurrence_rule, from: row.recurrence_from }
        : null,
    overdue: row.overdue === true,
    version: row.version,
    createdAt: readStoredInstant(row.created_at),
    updatedAt: readStoredInstant(row.updated_at),
    completedAt: row.completed_at && readStoredInstant(row.completed_at),
    series:
      row.series_id && row.series_position ? { id: row.series_id, position: row.series_position } : null,
    reminders: row.reminders.map(reminderFromRow),
  };
}
