import { COUNT, countOf } from '../text/numbers';

/** An amount of time as said: "an hour and a half", "15 min", "2 days", "1.5 hours", "2h". */
export interface Duration {
  readonly years: number;
  readonly months: number;
  readonly weeks: number;
  readonly days: number;
  readonly hours: number;
  readonly minutes: number;
}

type Unit = keyof Duration;

const UNIT_WORDS: Record<Unit, string> = {
  years: 'years?|yrs?',
  months: 'months?',
  weeks: 'weeks?|wks?',
  days: 'days?',
  hours: 'hours?|hrs?|h',
  minutes: 'minutes?|mins?|m',
};
const UNITS = Object.keys(UNIT_WORDS) as Unit[];

const UNIT = `(?:${Object.values(UNIT_WORDS).join('|')})`;
const PART = `(?:half an? hour|${COUNT}\\s*${UNIT}(?:\\s+and\\s+a\\s+half)?)`;

/** A regex source for a duration: parts joined by "and", commas or spaces ("1 hour and 30 minutes"). */
export const DURATION = `${PART}(?:\\s*(?:,|and)?\\s*${PART})*(?![\\p{L}\\p{N}])`;

const PARTS = new RegExp(`(half an? hour)|(${COUNT})\\s*(${UNIT})(\\s+and\\s+a\\s+half)?`, 'giu');
const UNIT_PATTERNS = UNITS.map((unit) => [unit, new RegExp(`^(?:${UNIT_WORDS[unit]})$`, 'i')] as const);

/** Reads a DURATION match. Fractions go down a unit (1.5 hours → 1 h 30 min); none below minutes. */
export function durationOf(text: string): Duration {
  const total: Record<Unit, number> = { years: 0, months: 0, weeks: 0, days: 0, hours: 0, minutes: 0 };
  for (const [, halfHour, count, unitWord, andAHalf] of text.matchAll(PARTS)) {
    if (halfHour) {
      total.minutes += 30;
      continue;
    }
    const unit = UNIT_PATTERNS.find(([, pattern]) => pattern.test(unitWord))?.[0] ?? 'minutes';
    addAmount(total, unit, countOf(count) + (andAHalf ? 0.5 : 0));
  }
  return total;
}

const SMALLER: Partial<Record<Unit, [Unit, number]>> = {
  years: ['months', 12],
  weeks: ['days', 7],
  days: ['hours', 24],
  hours: ['minutes', 60],
};

function addAmount(total: Record<Unit, number>, unit: Unit, amount: number): void {
  const whole = Math.floor(amount);
  total[unit] += whole;
  const fraction = amount - whole;
  const smaller = SMALLER[unit];
  if (fraction > 0 && smaller) addAmount(total, smaller[0], fraction * smaller[1]);
}

/** Whether the duration has a part shorter than a day (it is then a real duration, not calendar days). */
export function isShorterThanDays(duration: Duration): boolean {
  return duration.hours > 0 || duration.minutes > 0;
}

/** Total minutes, counting days as 24 hours (for real durations). */
export function minutesOf(duration: Duration): number {
  return ((duration.weeks * 7 + duration.days) * 24 + duration.hours) * 60 + duration.minutes;
}

/**
 * ISO 8601 as the contract takes it (no years or months: a reminder is at most weeks before), or
 * undefined for such a duration or an empty one.
 */
export function isoDuration(duration: Duration): string | undefined {
  if (duration.years || duration.months) return undefined;
  const date = `${duration.weeks ? `${duration.weeks}W` : ''}${duration.days ? `${duration.days}D` : ''}`;
  const time = `${duration.hours ? `${duration.hours}H` : ''}${duration.minutes ? `${duration.minutes}M` : ''}`;
  if (!date && !time) return undefined;
  return `P${date}${time ? `T${time}` : ''}`;
}
