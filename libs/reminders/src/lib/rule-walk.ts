import { Frequency, type Options, RRule, Weekday } from 'rrule';

/**
 * A bounded walk over a rule's dates, for rrule (pinned at 2.8.1).
 *
 * rrule walks a rule period by period (a year, month, week, day or hour per step, as FREQ says) and
 * hands over only the dates that pass every BY… part. A rule whose parts never coincide on the way
 * (BYMONTH=2;BYMONTHDAY=30, or FREQ=DAILY;INTERVAL=7;BYDAY=MO from a Tuesday) is walked to the year
 * 9999 without a word: up to a minute of blocked event loop. rrule has no way to stop such a walk, so
 * the work is counted where rrule reads the rule: it reads INTERVAL once before the walk and at most
 * twice per period, and each read is charged one period's work. The walk stops, exhausted, when the
 * charges exceed the budget.
 *
 * The charges are in candidates, about 15 ns each: rrule lays out a year of day slots for every
 * period whatever its length, checks the period's days against the BY… day parts, makes the times of
 * each hour (hourly rules), and hands over dates (HANDED_OVER each). The first read is also charged
 * every time of every day of a period: dates before DTSTART in the first period are made and dropped
 * without being handed over. A long BY… list of times can thus not hide work from the budget.
 *
 * BYHOUR, BYMINUTE and BYSECOND are sorted (rrule hands a day's times over as written). Two rewrites
 * keep ordinary rules far from the budget, both giving the same dates:
 * - dates before `skipTo` may be skipped: the walk starts later, whole periods of the series later
 *   (completing a monthly task years late does not walk every missed month);
 * - hourly, daily and weekly rules with INTERVAL=1 (and no BYSETPOS) are walked as the yearly rule
 *   with the same dates, a year per step: "every day in February" from March costs two periods, not 335.
 */
export const CANDIDATE_BUDGET = 100_000;

/** What a date handed over costs, in candidates: rrule also keeps every one in a growing list. */
const HANDED_OVER = 40;

/** The day slots rrule lays out for every period: a whole year, even for an hour. */
const YEAR_SLOTS = 366;

const DAYS_PER_PERIOD: Record<Frequency, number> = {
  [Frequency.YEARLY]: 366,
  [Frequency.MONTHLY]: 31,
  [Frequency.WEEKLY]: 7,
  [Frequency.DAILY]: 1,
  [Frequency.HOURLY]: 1,
  [Frequency.MINUTELY]: 1, // never walked
  [Frequency.SECONDLY]: 1,
};

interface RuleWalk {
  /** The first date `accept` took, or null. */
  readonly date: Date | null;
  /** Candidates charged: the work done, at most the budget. */
  readonly examined: number;
  /** Stopped by the budget rather than by the rule's end or a date. */
  readonly exhausted: boolean;
}

type WalkOptions = Partial<Options> & { dtstart: Date; until: Date | null };

const exhaustion = Symbol('candidate budget exhausted');

/**
 * Walks the rule's dates (floating: no TZID) in order until `accept` takes one, within the budget.
 * Dates before `skipTo` may or may not be handed over.
 */
export function walkRule(
  options: WalkOptions,
  accept: (date: Date) => boolean,
  skipTo: Date = options.dtstart,
  budget = CANDIDATE_BUDGET,
): RuleWalk {
  const rule = yearlyEquivalent(
    skippedAhead(timesInOrder(new RRule({ ...options, tzid: null }, true)), skipTo),
  );
  const parsed = rule.options;
  // Minutes and seconds would need their own reachability checks (see hourReachable); tasks never need them.
  if (parsed.freq > Frequency.HOURLY) throw new RangeError('a rule walk steps at least an hour');
  if (!hourReachable(parsed)) return { date: null, examined: 0, exhausted: false };
  const hourly = parsed.freq === Frequency.HOURLY;
  // An hourly rule's period is one hour: its times are the minutes and seconds of that hour.
  const times = [hourly ? null : parsed.byhour, parsed.byminute, parsed.bysecond];
  const timesPerDay = times.reduce((product, list) => product * (list?.length || 1), 1);
  const days = DAYS_PER_PERIOD[parsed.freq];
  const periodCost = YEAR_SLOTS + days + (hourly ? timesPerDay : 0);
  let examined = 0;
  let reads = 0;
  const charge = (cost: number) => {
    if (examined + cost > budget) throw exhaustion;
    examined += cost;
  };
  const { interval } = parsed;
  Object.defineProperty(parsed, 'interval', {
    get: () => {
      charge(reads++ === 0 ? periodCost + days * timesPerDay : periodCost);
      return interval;
    },
  });
  let found: Date | null = null;
  try {
    rule.all((date) => {
      charge(HANDED_OVER);
      if (accept(date)) found = date;
      return found === null;
    });
  } catch (error) {
    if (error !== exhaustion) throw error;
    return { date: null, examined, exhausted: true };
  }
  return { date: found, examined, exhausted: false };
}

/**
 * The rule with its parsed options (every default rrule derives from DTSTART spelled out: weekday,
 * day of month, month, time of day) and some changed: the dates stay the same whatever DTSTART becomes.
 */
function rebuilt(rule: RRule, changes: Partial<Options>): RRule {
  const { bymonthday, bynmonthday, byweekday, bynweekday, ...parts } = rule.options;
  const weekdays = [
    ...(byweekday ?? []),
    ...(bynweekday ?? []).map(([day, nth]) => new Weekday(day as number, nth)),
  ];
  return new RRule(
    {
      ...parts,
      bymonthday: [...bymonthday, ...bynmonthday],
      byweekday: weekdays.length ? weekdays : null,
      ...changes,
    },
    true,
  );
}

/**
 * The rule with its BYHOUR, BYMINUTE and BYSECOND sorted: rrule makes a day's times in the order they
 * are written, so BYHOUR=18,9 would hand over 18:00 before 09:00 of the same day.
 */
function timesInOrder(rule: RRule): RRule {
  const { byhour, byminute, bysecond } = rule.options;
  const sorted = (list: number[] | null) => list && [...list].sort((a, b) => a - b);
  const inOrder = [byhour, byminute, bysecond].every(
    (list) => !list || list.every((n, i) => i === 0 || list[i - 1] <= n),
  );
  return inOrder
    ? rule
    : rebuilt(rule, { byhour: sorted(byhour), byminute: sorted(byminute), bysecond: sorted(bysecond) });
}

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const PERIOD_MS: Partial<Record<Frequency, number>> = {
  [Frequency.HOURLY]: HOUR_MS,
  [Frequency.DAILY]: DAY_MS,
  [Frequency.WEEKLY]: 7 * DAY_MS,
};

/**
 * The rule started later, closer to `skipTo`, with the same dates from there on. Hours, days and
 * weeks move DTSTART by whole INTERVAL periods (keeping its weekday and time). Months and years vary
 * in length: DTSTART moves into the period of the series that holds `skipTo` (rrule still lays out
 * the whole period, so BYSETPOS counts as before), or to the start of the next one when `skipTo`
 * falls between them; the parts DTSTART gave are spelled out.
 */
function skippedAhead(rule: RRule, skipTo: Date): RRule {
  const { freq, interval, dtstart } = rule.options;
  if (skipTo <= dtstart) return rule;
  const period = PERIOD_MS[freq];
  if (period !== undefined) {
    const steps = Math.floor((skipTo.getTime() - dtstart.getTime()) / (period * interval));
    return steps > 0
      ? rebuilt(rule, { dtstart: new Date(dtstart.getTime() + steps * period * interval) })
      : rule;
  }
  const months = freq === Frequency.MONTHLY ? 1 : 12;
  const periodOf = (date: Date) =>
    Math.floor((date.getUTCFullYear() * 12 + date.getUTCMonth()) / months) * months;
  const steps = Math.floor((periodOf(skipTo) - periodOf(dtstart)) / (months * interval));
  const periodStart = (step: number) => {
    const month = periodOf(dtstart) + step * interval * months;
    return new Date(Date.UTC(Math.floor(month / 12), month % 12, 1));
  };
  const inSeries = periodOf(skipTo) === periodOf(periodStart(steps));
  // rrule gives every date the milliseconds of DTSTART: whole seconds, as a due is.
  const next = inSeries ? new Date(Math.floor(skipTo.getTime() / 1000) * 1000) : periodStart(steps + 1);
  return rebuilt(rule, { dtstart: next });
}

const ALL_WEEKDAYS = [0, 1, 2, 3, 4, 5, 6];
const ALL_HOURS = Array.from({ length: 24 }, (_, hour) => hour);
const YEARLY_EQUIVALENT = new Set([Frequency.WEEKLY, Frequency.DAILY, Frequency.HOURLY]);

/**
 * The yearly rule with the same dates, for hourly, daily and weekly rules that step one period at a
 * time. Their dates are every time of every day that passes the BY… day parts (rrule drops BYDAY
 * ordinals below monthly), which a yearly rule with the same parts gives too once the defaults that
 * differ are spelled out: all weekdays (a weekly rule's default weekday is already filled in) and,
 * for an hourly rule, all hours. BYSETPOS picks within a period, so it keeps the rule as it is.
 */
function yearlyEquivalent(rule: RRule): RRule {
  const { freq, interval, bysetpos, byweekday, byhour } = rule.options;
  if (!YEARLY_EQUIVALENT.has(freq) || interval !== 1 || bysetpos?.length) return rule;
  return rebuilt(rule, {
    freq: Frequency.YEARLY,
    byweekday: byweekday ?? ALL_WEEKDAYS,
    byhour: byhour ?? ALL_HOURS,
  });
}

/**
 * Whether an hourly rule can reach one of its BYHOUR hours. rrule steps INTERVAL hours at a time until
 * it lands on one, without ever checking the year: FREQ=HOURLY;INTERVAL=2;BYHOUR=9 from 08:00 loops
 * forever. Steps of INTERVAL hours from the start's hour reach exactly the hours congruent to it
 * modulo gcd(INTERVAL, 24).
 */
function hourReachable({ freq, byhour, interval, dtstart }: RRule['options']): boolean {
  if (freq !== Frequency.HOURLY || !byhour?.length) return true;
  const step = gcd(interval, 24);
  return byhour.some((hour) => (((hour - dtstart.getUTCHours()) % step) + step) % step === 0);
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}
