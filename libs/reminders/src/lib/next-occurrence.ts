import { hasStorableYear } from '@todo/validation';
import { RRule } from 'rrule';
import { walkRule } from './rule-walk';
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
 * - The search is bounded (see rule-walk.ts): a rule whose next date is not found within
 *   CANDIDATE_BUDGET candidates has ended: null. Write-time validation (normalizeRrule) refuses rules
 *   whose parts never coincide; what remains are rules that miss only from this task's due, e.g.
 *   FREQ=DAILY;INTERVAL=7;BYDAY=MO from a Tuesday, or FREQ=YEARLY;BYMONTH=2 from a due on the 30th
 *   (the day of month comes from the due).
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

/** The due of the next occurrence, or null when the series has ended (COUNT, UNTIL or no date found). */
export function nextOccurrence(occurrence: CompletedOccurrence): OccurrenceDue | null {
  return searchNextOccurrence(occurrence).next;
}

interface OccurrenceSearch {
  readonly next: OccurrenceDue | null;
  /** Candidate dates examined (see rule-walk.ts). */
  readonly examined: number;
  /** Whether the search gave up at the candidate budget (next is then null). */
  readonly exhausted: boolean;
}

/** `nextOccurrence` with the work it took. */
export function searchNextOccurrence(occurrence: CompletedOccurrence): OccurrenceSearch {
  const { due, timeZone } = occurrence;
  const limits = seriesLimits(occurrence.rrule, timeZone);
  if (limits.count !== undefined && occurrence.position >= limits.count)
    return { next: null, examined: 0, exhausted: false };
  const start = seriesStart(occurrence);
  const completed = wallClockOf(occurrence.completedAt, timeZone);
  const options = RRule.parseString(limits.rule);
  // Starting the walk shortly before the completion keeps late completions cheap.
  const { date, examined, exhausted } = walkRule(
    { ...options, dtstart: start, until: limits.until ?? null },
    isNextFor(occurrence, start),
    new Date(completed.getTime() - SURELY_MISSED_MS),
  );
  // A date past the last storable year ends the series (the tasks table refuses it).
  if (!date || !hasStorableYear(dateOf(date))) return { next: null, examined, exhausted };
  const next: OccurrenceDue = due.allDay
    ? { allDay: true, date: dateOf(date) }
    : { allDay: false, at: instantAt(date, timeZone) };
  return { next, examined, exhausted };
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

function truncate(date: Date, unitMs: number): Date {
  return new Date(Math.floor(date.getTime() / unitMs) * unitMs);
}
