import { floatingDate, wallClockOf } from './wall-clock';

/**
 * COUNT and UNTIL are taken out of a rule before rrule sees it: COUNT counts tasks in our series (not
 * dates from a DTSTART that moves with every occurrence), and UNTIL needs the task's zone to mean anything.
 */
interface SeriesLimits {
  /** The rule without COUNT and UNTIL. */
  readonly rule: string;
  readonly count?: number;
  /** The last allowed wall time (inclusive), as a floating Date. */
  readonly until?: Date;
}

const UNTIL_TEXT = /^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})(Z)?)?$/;

export function seriesLimits(rrule: string, timeZone: string): SeriesLimits {
  let count: number | undefined;
  let until: Date | undefined;
  const parts: string[] = [];
  for (const part of rrule.replace(/^RRULE:/i, '').split(';')) {
    const [key, value = ''] = part.split('=');
    if (key === 'COUNT') count = Number(value);
    else if (key === 'UNTIL') until = untilWallClock(value, timeZone);
    else parts.push(part);
  }
  return { rule: parts.join(';'), count, until };
}

/**
 * A date means the end of that day in the zone; a local date-time is a wall time; a UTC date-time is an
 * instant, converted to the zone's wall time.
 */
function untilWallClock(text: string, timeZone: string): Date {
  const match = UNTIL_TEXT.exec(text);
  if (!match) throw new RangeError(`invalid UNTIL "${text}"`);
  const [, year, month, day, hour, minute, second, utc] = match;
  const date = `${year}-${month}-${day}`;
  if (hour === undefined) return new Date(floatingDate(date).getTime() + 86_400_000 - 1);
  const wallOrInstant = new Date(`${date}T${hour}:${minute}:${second}Z`);
  return utc ? wallClockOf(wallOrInstant, timeZone) : wallOrInstant;
}
