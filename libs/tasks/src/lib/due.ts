import { ValidationError } from '@todo/errors';
import { instantOf, isInstantWithOffset, isStorableInstantText } from '@todo/reminders';
import { hasStorableYear, isStorableInstant, STORABLE_TIME_MESSAGE } from '@todo/validation';
import { DateTime } from 'luxon';
import type { Due } from './task';

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/** A valid `YYYY-MM-DD` calendar date or RFC 3339 instant with offset (checked by luxon, not just the shape). */
export function isDueText(text: string): boolean {
  if (DATE_ONLY.test(text)) return DateTime.fromISO(text, { zone: 'UTC' }).isValid;
  return isInstantWithOffset(text);
}

/** A due text (checked by {@link isDueText}) in the storable years: a date by its year, a time by its moment. */
export const isStorableDueText = (text: string): boolean =>
  DATE_ONLY.test(text) ? hasStorableYear(text) : isStorableInstantText(text);

/** How a due value is stored: the moment it sorts by, and the moment the task becomes overdue. */
export interface StoredDue {
  dueAt: Date;
  allDay: boolean;
  overdueAt: Date;
}

/**
 * An all-day task is due from the start of its day and overdue once that day has ended, in its zone.
 * 1970-01-01 in a zone ahead of UTC starts in 1969: refused like any unstorable time.
 */
export function storeDue(text: string, timeZone: string): StoredDue {
  if (DATE_ONLY.test(text)) {
    const day = DateTime.fromISO(text, { zone: timeZone }).startOf('day');
    if (!isStorableInstant(day.toJSDate()))
      throw new ValidationError([
        {
          path: 'due',
          message: `${STORABLE_TIME_MESSAGE}; ${text} begins outside that range in ${timeZone}`,
        },
      ]);
    return { dueAt: day.toJSDate(), allDay: true, overdueAt: day.plus({ days: 1 }).toJSDate() };
  }
  const at = instantOf(text);
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
    : instantOf(text);
}

export function rangeEndExclusive(text: string, timeZone: string): Date {
  return DATE_ONLY.test(text)
    ? DateTime.fromISO(text, { zone: timeZone }).startOf('day').plus({ days: 1 }).toJSDate()
    : new Date(instantOf(text).getTime() + 1);
}
