import { RRule } from 'rrule';

/** Presets offered in the editor; `custom` takes any RRULE the server accepts. */
export const RECURRENCE_PRESETS = [
  'none',
  'daily',
  'weekdays',
  'weekly',
  'monthly',
  'yearly',
  'custom',
] as const;
export type RecurrencePreset = (typeof RECURRENCE_PRESETS)[number];

const WEEKDAY_CODES = ['SU', 'MO', 'TU', 'WE', 'TH', 'FR', 'SA'];

/** The wall date of a due (`YYYY-MM-DD` or `YYYY-MM-DDTHH:mm`) as a UTC date standing for that wall time. */
function floating(dueWall: string): Date {
  const [date, time = '00:00'] = dueWall.split('T');
  const [year, month, day] = date.split('-').map(Number);
  const [hour, minute] = time.split(':').map(Number);
  return new Date(Date.UTC(year, month - 1, day, hour, minute));
}

/** The RRULE of a preset, anchored on the due's weekday or day of month where that matters. */
export function ruleOfPreset(preset: RecurrencePreset, dueWall: string | null): string | null {
  const start = dueWall ? floating(dueWall) : null;
  switch (preset) {
    case 'daily':
      return 'FREQ=DAILY';
    case 'weekdays':
      return 'FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR';
    case 'weekly':
      return start ? `FREQ=WEEKLY;BYDAY=${WEEKDAY_CODES[start.getUTCDay()]}` : 'FREQ=WEEKLY';
    case 'monthly':
      return start ? `FREQ=MONTHLY;BYMONTHDAY=${start.getUTCDate()}` : 'FREQ=MONTHLY';
    case 'yearly':
      return 'FREQ=YEARLY';
    default:
      return null;
  }
}

/** Which preset a stored rule is (so the editor shows it selected), `custom` for anything else. */
export function presetOfRule(rrule: string | null, dueWall: string | null): RecurrencePreset {
  if (!rrule) return 'none';
  const found = RECURRENCE_PRESETS.find(
    (preset) => preset !== 'custom' && ruleOfPreset(preset, dueWall) === rrule,
  );
  return found ?? 'custom';
}

function parse(rrule: string, dueWall: string | null): RRule | null {
  try {
    const options = RRule.parseString(rrule.replace(/^RRULE:/i, ''));
    if (!options.freq && options.freq !== 0) return null;
    return new RRule({ ...options, dtstart: dueWall ? floating(dueWall) : new Date(Date.UTC(2026, 0, 1)) });
  } catch {
    return null;
  }
}

/** The rule in words ("every weekday at 09:00"), or null when it cannot be read. */
export function describeRule(
  rrule: string,
  dueWall: string | null,
  from: 'due' | 'completion' = 'due',
): string | null {
  const rule = parse(rrule, dueWall);
  if (!rule) return null;
  let words = rule.toText();
  if (/BYDAY=MO,TU,WE,TH,FR(;|$)/.test(rrule) && /FREQ=WEEKLY/.test(rrule) && !/INTERVAL=[2-9]/.test(rrule))
    words = 'every weekday';
  const time = dueWall?.includes('T') ? ` at ${dueWall.slice(11, 16)}` : '';
  return `${words}${time}${from === 'completion' ? ', counted from completion' : ''}`;
}

/** The next `count` dates of the rule after the due (wall times, formatted for people). */
export function nextDates(rrule: string, dueWall: string | null, count = 3): string[] {
  if (!dueWall) return [];
  const rule = parse(rrule, dueWall);
  if (!rule) return [];
  const start = floating(dueWall);
  const dates = rule.between(
    start,
    new Date(start.getTime() + 20 * 366 * 86_400_000),
    false,
    (_, index) => index < count,
  );
  const timed = dueWall.includes('T');
  return dates.map((date) =>
    date.toLocaleString('en-GB', {
      weekday: 'short',
      day: 'numeric',
      month: 'short',
      year: 'numeric',
      ...(timed ? { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' } : {}),
      timeZone: 'UTC',
    }),
  );
}
