import { Frequency, type Options, RRule } from 'rrule';
import { seriesLimits } from './series-limits';
import { dateIn, dateOf, floatingDate, instantAt, wallClockOf } from './wall-clock';

/**
 * When a recurring task is completed, the due of its next occurrence.
 *
 * - Wall-clock time: all math happens in the wall time of the task's zone, so "every day at 09:00" stays
 *   09:00 local across DST changes. rrule only ever sees floating dates (UTC fields = wall fields, no
 *   TZID); results are converted back to instants in the zone (see wall-clock.ts):
 *   - a wall time that does not exist (spring-forward gap, 02:30 when clocks jump 02:00 → 03:00) moves
 *     forward by the gap's length (→ 03:30 daylight time), as RFC 5545 says;
 *   - an ambiguous wall time (fall-back overlap, 01:30 happening twice) is the first one (daylight time).
 *   The next occurrence starts from that due, so a series at 02:30 that hits a gap continues at 03:30.
 * - `from: 'due'` (Todoist "every"): the rule starts at the completed occurrence's due. The next due is
 *   the first rule date strictly after it that is not already missed when the task is completed: a timed
 *   occurrence is missed when its instant is at or before `completedAt`; an all-day one when its date is
 *   before the completion date in the zone. Completing late thus skips missed dates (never creating an
 *   overdue task), completing early gives the date after the due, and completing an all-day task later
 *   on its own day gives the next date.
 * - `from: 'completion'` (Todoist "every!"): the rule starts on the completion date in the zone, at the
 *   due's time of day (timed), at the start of the day (all-day) or, for FREQ=HOURLY, at the completion
 *   time itself (to the minute). The next due is the first rule date after that start that is not missed
 *   at completion (this only matters for rules with several times a day, e.g. BYHOUR=9,18). Every 3
 *   days completed Wednesday 08:00 for a task due at 09:00 → Saturday 09:00. Completing early may give a
 *   due before the old one: the interval counts from the completion.
 * - COUNT counts the tasks of the series: the occurrence at `position` COUNT is the last (null after it).
 *   Occurrences skipped by a late completion do not count.
 * - UNTIL bounds the next due, inclusive: a date (`UNTIL=20261231`) means the end of that day in the
 *   zone, a local date-time is a wall time, a UTC date-time (`…T235959Z`) is an instant (compared as its
 *   wall time in the zone).
 * - Rule parts the rule leaves out come from its start, as RFC 5545 says: FREQ=MONTHLY from Jan 31 is
 *   on the 31st, so it skips to Mar 31 (BYMONTHDAY=-1 is the last day of each month).
 * - A rule with no date within 100 years after its start (or after the completion) has ended: null.
 */
export type OccurrenceDue =
  | { readonly allDay: false; readonly at: Date }
  | { readonly allDay: true; readonly date: string /* YYYY-MM-DD */ };

export interface CompletedOccurrence {
  /** Normalized RRULE body without "RRULE:" and without DTSTART, e.g. "FREQ=WEEKLY;BYDAY=MO". */
  readonly rrule: string;
  /** Todoist "every" (from the due) vs "every!" (from the completion). */
  readonly from: 'due' | 'completion';
  /** IANA zone of the task. */
  readonly timeZone: string;
  /** Due of the occurrence that was completed. */
  readonly due: OccurrenceDue;
  readonly completedAt: Date;
  /** 1-based position of this occurrence in its series (count of tasks so far). */
  readonly position: number;
}

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
/** How far before the completion (in wall time) a date is missed for sure: more than any offset change. */
const SURELY_MISSED_MS = 2 * DAY_MS;

/** The due of the next occurrence, or null when the series has ended (COUNT or UNTIL). */
export function nextOccurrence(occurrence: CompletedOccurrence): OccurrenceDue | null {
  const { due, timeZone } = occurrence;
  const limits = seriesLimits(occurrence.rrule, timeZone);
  if (limits.count !== undefined && occurrence.position >= limits.count) return null;
  const start = seriesStart(occurrence);
  const completed = wallClockOf(occurrence.completedAt, timeZone);
  const options = RRule.parseString(limits.rule);
  const next = firstDate(
    { ...options, dtstart: skipAhead(options, start, completed), until: limits.until ?? null },
    later(start, completed),
    isNextFor(occurrence, start),
  );
  if (!next) return null;
  return due.allDay ? { allDay: true, date: dateOf(next) } : { allDay: false, at: instantAt(next, timeZone) };
}

/** The rule's DTSTART, as a floating wall time. */
function seriesStart({ rrule, from, due, completedAt, timeZone }: CompletedOccurrence): Date {
  // rrule keeps milliseconds out of its dates; seconds are as precise as a due gets.
  const dueWall = due.allDay ? floatingDate(due.date) : truncate(wallClockOf(due.at, timeZone), 1000);
  if (from === 'due') return dueWall;
  const completedWall = wallClockOf(completedAt, timeZone);
  const completedDay = truncate(completedWall, DAY_MS);
  if (due.allDay) return completedDay;
  if (/(^|;)FREQ=HOURLY(;|$)/.test(rrule)) return truncate(completedWall, MINUTE_MS);
  return new Date(completedDay.getTime() + (dueWall.getTime() - truncate(dueWall, DAY_MS).getTime()));
}

/** Whether a rule date (floating) can be the next due: after the start and not missed at completion. */
function isNextFor(occurrence: CompletedOccurrence, start: Date): (wall: Date) => boolean {
  const { due, from, completedAt, timeZone } = occurrence;
  if (due.allDay) {
    const startDate = dateOf(start);
    const completionDate = dateIn(completedAt, timeZone);
    return (wall) => dateOf(wall) > startDate && dateOf(wall) >= completionDate;
  }
  // Skips the (slow) conversion to an instant for dates long before the completion.
  const surelyMissed = wallClockOf(completedAt, timeZone).getTime() - SURELY_MISSED_MS;
  return (wall) => {
    if (wall <= start || wall.getTime() < surelyMissed) return false;
    // Instants, not wall times: around a fall-back overlap the two disagree.
    const at = instantAt(wall, timeZone);
    return at > completedAt && (from === 'completion' || at > due.at);
  };
}

const PERIOD_MS: Partial<Record<Frequency, number>> = {
  [Frequency.HOURLY]: 3_600_000,
  [Frequency.DAILY]: DAY_MS,
  [Frequency.WEEKLY]: 7 * DAY_MS,
};

/**
 * A later DTSTART with the same dates from shortly before the completion on, so that completing an
 * hourly task months late does not walk every missed hour. Moving by whole INTERVAL periods keeps the
 * rhythm and what rrule derives from DTSTART (weekday, time of day); months and years vary in length,
 * and they are few anyway.
 */
function skipAhead(options: Partial<Options>, start: Date, completed: Date): Date {
  const period = options.freq === undefined ? undefined : PERIOD_MS[options.freq];
  if (!period) return start;
  const step = period * (options.interval ?? 1);
  const steps = Math.floor((completed.getTime() - SURELY_MISSED_MS - start.getTime()) / step);
  return steps > 0 ? new Date(start.getTime() + steps * step) : start;
}

// The Gregorian calendar (leap years, weekdays, week numbers) repeats every 400 years.
const GREGORIAN_CYCLE_MS = 146_097 * DAY_MS;
const RRULE_LAST_YEAR = 9999;
const SEARCH_YEARS = 100;

/**
 * The first rule date accepted by `isNext`, or null. rrule stops a rule that matches no date only at
 * year 9999, scanning day by day (about 12 s for FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30). Shifting the whole
 * frame by whole 400-year cycles changes no rule's dates but moves that stop to 100–500 years after
 * `searchFrom`, which bounds the work.
 */
function firstDate(
  options: Partial<Options> & { dtstart: Date; until: Date | null },
  searchFrom: Date,
  isNext: (wall: Date) => boolean,
): Date | null {
  const cycles = Math.floor((RRULE_LAST_YEAR - SEARCH_YEARS - searchFrom.getUTCFullYear()) / 400);
  const shift = cycles * GREGORIAN_CYCLE_MS;
  const moved = (date: Date | null) => date && new Date(date.getTime() + shift);
  // No TZID: rrule then treats dates as floating.
  const rule = new RRule(
    { ...options, dtstart: moved(options.dtstart), until: moved(options.until), tzid: null },
    true,
  );
  let next: Date | null = null;
  rule.all((date) => {
    const wall = new Date(date.getTime() - shift);
    if (isNext(wall)) next = wall;
    return next === null;
  });
  return next;
}

function truncate(date: Date, unitMs: number): Date {
  return new Date(Math.floor(date.getTime() / unitMs) * unitMs);
}

function later(a: Date, b: Date): Date {
  return a > b ? a : b;
}
