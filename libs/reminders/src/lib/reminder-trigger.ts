import { clampToStorable } from '@todo/validation';
import { DateTime, Duration } from 'luxon';
import type { OccurrenceDue } from './next-occurrence';
import type { ReminderTrigger } from './reminder';
import { startOfDay } from './wall-clock';

type ReminderOffsetCheck = { ok: true; before: string } | { ok: false; reason: string };

/** Longest offset before a due. */
const MAX_REMINDER_OFFSET_DAYS = 365;

const EXAMPLES = 'e.g. "PT15M", "PT1H", "P1D" or "P1W"';
// Weeks and days, then hours, minutes and seconds: whole numbers, "T" only before a time part.
const OFFSET_SHAPE = /^P(?=\d|T\d)(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+S)?)?$/;

/**
 * Checks how long before the due a reminder fires: an ISO 8601 duration in weeks, days, hours,
 * minutes or seconds. Months and years are refused: their length varies, and "1M" is easily meant as a
 * minute (that is PT1M).
 */
export function parseReminderOffset(text: string): ReminderOffsetCheck {
  const before = text.trim().toUpperCase();
  if (!before) return { ok: false, reason: `must not be empty; ${EXAMPLES}` };
  if (before.includes('-'))
    return {
      ok: false,
      reason: 'must not be negative: it is how long before the due; use "at" for a fixed time',
    };
  if (/^P[^T]*[YM]/.test(before))
    return {
      ok: false,
      reason: 'months and years are ambiguous; use days or weeks, e.g. P30D (PT30M is 30 minutes)',
    };
  if (/[.,]/.test(before))
    return { ok: false, reason: 'must use whole numbers, e.g. PT90M rather than PT1.5H' };
  const duration = Duration.fromISO(before);
  if (!OFFSET_SHAPE.test(before) || !duration.isValid)
    return { ok: false, reason: `must be an ISO 8601 duration, ${EXAMPLES}` };
  if (duration.as('days') > MAX_REMINDER_OFFSET_DAYS)
    return {
      ok: false,
      reason: `must be at most ${MAX_REMINDER_OFFSET_DAYS} days (P${MAX_REMINDER_OFFSET_DAYS}D)`,
    };
  return { ok: true, before };
}

/**
 * When a reminder fires: `at` is that instant; `before` counts back from the due in the wall-clock time
 * of the zone (luxon's `minus` on a zoned DateTime): days and weeks keep the local time of day across
 * DST changes (P1D before 09:00 is 09:00 the day before), hours, minutes and seconds are real time
 * (PT1H is always 60 minutes). A local time that a DST change skips moves forward by the gap; one it
 * repeats is read with the due's own offset (so P1D before 01:30 EST the day after fall-back is the
 * second 01:30). An all-day due counts back from the start of its day. Without a due: null. A time
 * before 1970 is moved to the earliest storable moment (it is in the past either way).
 */
export function reminderFireAt(
  trigger: ReminderTrigger,
  due: OccurrenceDue | null,
  timeZone: string,
): Date | null {
  if ('at' in trigger) return trigger.at;
  if (!due) return null;
  const duration = Duration.fromISO(trigger.before);
  if (!duration.isValid) throw new RangeError(`invalid reminder offset "${trigger.before}"`);
  const base = due.allDay ? startOfDay(due.date, timeZone) : due.at;
  // A due near 1970 minus a long offset would be unstorable: the earliest storable moment is as early.
  return clampToStorable(DateTime.fromJSDate(base, { zone: timeZone }).minus(duration).toJSDate());
}
