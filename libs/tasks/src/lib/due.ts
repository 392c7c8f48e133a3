import { isInstantWithOffset } from '@todo/reminders';
import { DateTime } from 'luxon';
import type { Due } from './task';

export const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/** A valid `YYYY-MM-DD` calendar date or RFC 3339 instant with offset (checked by luxon, not just the shape). */
export function isDueText(text: string): boolean {
  if (DATE_ONLY.test(text)) return DateTime.fromISO(text, { zone: 'UTC' }).isValid;
  return isInstantWithOffset(text);
}

/** How a due value is stored: the moment it sorts by, and the moment the task becomes overdue. */
export interface StoredDue {
  dueAt: Date;
  allDay: boolean;
  overdueAt: Date;
}

/** An all-day task is due from the start of its day and overdue once that day has ended, in its zone. */
export function storeDue(text: string, timeZone: string): StoredDue {
  if (DATE_ONLY.test(text)) {
    const day = DateTime.fromISO(text, { zone: timeZone }).startOf('day');
    return { dueAt: day.toJSDate(), allDay: true, overdueAt: day.plus({ days: 1 }).toJSDate() };
  }
  const at = DateTime.fromISO(text, { setZone: true }).toJSDate();
  return { dueAt: at, allDay: false, overdueAt: at };
}

export function dueFromStored(dueAt: Date | null, allDay: boolean, timeZone: string): Due | null {
  if (!dueAt) return null;
  if (!allDay) return { allDay: false, at: dueAt };
  return { allDay: true, date: DateTime.fromJSDate(dueAt, { zone: timeZone }).toISODate() ?? '' };
}

/** Wire form: `YYYY-MM-DD`, or the instant with the task zone's offset (`2026-11-24T17:00:00-05:00`). */
export function formatDue(due: Due | null, timeZone: string): string | null {
  if (!due) return null;
  if (due.allDay) return due.date;
  return DateTime.fromJSDate(due.at, { zone: timeZone }).toISO({ suppressMilliseconds: true });
}

/** Bounds for due-range filters: a date means its whole day in the caller's zone (inclusive). */
export function rangeStart(text: string, timeZone: string): Date {
  return DATE_ONLY.test(text)
    ? DateTime.fromISO(text, { zone: timeZone }).startOf('day').toJSDate()
    : DateTime.fromISO(text, { setZone: true }).toJSDate();
}

export function rangeEndExclusive(text: string, timeZone: string): Date {
  return DATE_ONLY.test(text)
    ? DateTime.fromISO(text, { zone: timeZone }).startOf('day').plus({ days: 1 }).toJSDate()
    : new Date(DateTime.fromISO(text, { setZone: true }).toMillis() + 1);
}
