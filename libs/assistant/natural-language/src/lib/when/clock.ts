import { dateOf, floatingDate, instantAt, wallClockOf, wallTimeOf } from '@todo/reminders';

/**
 * The user's "now" and calendar arithmetic on wall dates ("YYYY-MM-DD") and wall times ("HH:mm").
 * Calendar math runs on floating Dates (UTC fields = wall fields, see @todo/reminders wall-clock), so
 * "tomorrow" and "next Monday" never see DST; only real durations ("in 2 hours") go through the zone.
 */

const WALL_NOW = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/;
const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;

export class Clock {
  /** Today's date in the zone. */
  readonly today: string;
  /** The wall time of day, "HH:mm". */
  readonly time: string;

  private constructor(
    /** Now as a floating Date. */
    readonly now: Date,
    readonly timeZone: string,
  ) {
    this.today = dateOf(now);
    this.time = now.toISOString().slice(11, 16);
  }

  /** Reads `now` ("YYYY-MM-DDTHH:mm", a wall time in `timeZone`); throws a RangeError on nonsense. */
  static at(now: string, timeZone: string): Clock {
    const match = WALL_NOW.exec(now);
    const floating = match && new Date(`${now}:00Z`);
    if (!match || !floating || Number.isNaN(floating.getTime()) || dateOf(floating) !== now.slice(0, 10))
      throw new RangeError(`now must be a wall time "YYYY-MM-DDTHH:mm", not "${now}"`);
    wallClockOf(floating, timeZone); // throws a RangeError for an unknown zone
    return new Clock(floating, timeZone);
  }

  /** The wall time a real duration after now: DST-aware (01:30 + 2 h is 04:30 on a spring-forward night). */
  after(minutes: number): string {
    const instant = instantAt(this.now, this.timeZone).getTime() + minutes * MINUTE_MS;
    return wallTimeOf(new Date(instant), this.timeZone);
  }
}

export function addDays(date: string, days: number): string {
  return dateOf(new Date(floatingDate(date).getTime() + days * DAY_MS));
}

/** Adds calendar months, keeping the day where the month has it (Jan 31 + 1 month → Feb 28). */
export function addMonths(date: string, months: number): string {
  const day = floatingDate(date);
  const target = new Date(Date.UTC(day.getUTCFullYear(), day.getUTCMonth() + months, 1));
  const lastDay = daysInMonth(target.getUTCFullYear(), target.getUTCMonth() + 1);
  target.setUTCDate(Math.min(day.getUTCDate(), lastDay));
  return dateOf(target);
}

/** ISO weekday: Monday 1 … Sunday 7. */
export function isoWeekday(date: string): number {
  return floatingDate(date).getUTCDay() || 7;
}

/** Monday of the (Monday–Sunday) week of a date. */
export function mondayOf(date: string): string {
  return addDays(date, 1 - isoWeekday(date));
}

export function firstOfMonth(date: string): string {
  return `${date.slice(0, 8)}01`;
}

export function lastOfMonth(date: string): string {
  return addDays(addMonths(firstOfMonth(date), 1), -1);
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** "YYYY-MM-DD" from numbers, or undefined when there is no such day (Feb 30). */
export function calendarDate(year: number, month: number, day: number): string | undefined {
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

export function wallTime(hour: number, minute: number): string {
  return `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`;
}
