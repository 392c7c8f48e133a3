import { STORABLE_YEARS } from '@todo/validation';
import { DateTime } from 'luxon';
import { type Options, RRule } from 'rrule';
import { walkRule } from './rule-walk';

const DAY = '(MO|TU|WE|TH|FR|SA|SU)';
const list = (item: string) => new RegExp(`^${item}(,${item})*$`);
const PART_RULES: Record<string, RegExp> = {
  FREQ: /^(YEARLY|MONTHLY|WEEKLY|DAILY|HOURLY|MINUTELY|SECONDLY)$/,
  INTERVAL: /^[1-9]\d{0,3}$/,
  COUNT: /^[1-9]\d{0,3}$/,
  UNTIL: /^\d{8}(T([01]\d|2[0-3])[0-5]\d[0-5]\dZ?)?$/,
  BYDAY: list(`([+-]?([1-9]|[1-4]\\d|5[0-3]))?${DAY}`),
  BYMONTHDAY: list('[+-]?([1-9]|[12]\\d|3[01])'),
  BYMONTH: list('([1-9]|1[0-2])'),
  BYYEARDAY: list('[+-]?([1-9]\\d{0,1}|[12]\\d{2}|3[0-5]\\d|36[0-6])'),
  BYWEEKNO: list('[+-]?([1-9]|[1-4]\\d|5[0-3])'),
  BYSETPOS: list('[+-]?([1-9]\\d{0,1}|[12]\\d{2}|3[0-5]\\d|36[0-6])'),
  BYHOUR: list('([01]?\\d|2[0-3])'),
  BYMINUTE: list('[0-5]?\\d'),
  BYSECOND: list('[0-5]?\\d'),
  WKST: new RegExp(`^${DAY}$`),
};

const UNTIL_FORMATS = ['yyyyMMdd', "yyyyMMdd'T'HHmmss", "yyyyMMdd'T'HHmmss'Z'"];

/**
 * Why the rule would make more than one task an hour, or undefined: every occurrence is a task of its
 * own, more would flood the task list. MINUTELY and SECONDLY do, and so do several BYMINUTE or BYSECOND
 * values with any FREQ (they also multiply the times rrule makes per day, up to 86,400).
 */
function moreThanHourly(key: string, value: string): string | undefined {
  if (key === 'FREQ' && (value === 'MINUTELY' || value === 'SECONDLY'))
    return 'tasks repeat at most hourly (FREQ=HOURLY)';
  if ((key === 'BYMINUTE' || key === 'BYSECOND') && value.includes(','))
    return `tasks repeat at most hourly: ${key} takes one value`;
  return undefined;
}

function untilProblem(value: string): string | undefined {
  const until = UNTIL_FORMATS.map((format) => DateTime.fromFormat(value, format, { zone: 'utc' })).find(
    (date) => date.isValid,
  );
  if (!until) return `UNTIL "${value}" is not a real date or time`;
  // The years of any stored instant (rrule reads year 0001 as 1901, silently).
  if (until.year < STORABLE_YEARS.first || until.year > STORABLE_YEARS.last)
    return `UNTIL must be in the years ${STORABLE_YEARS.first}–${STORABLE_YEARS.last}, not ${until.year}`;
  return undefined;
}

type RecurrenceCheck = { ok: true; rrule: string } | { ok: false; reason: string };

/**
 * rrule's parser accepts nonsense (`FREQ=SOMETIMES`, `COUNT=x`) silently, so each part is checked
 * against RFC 5545 first; rrule then normalizes the text. Refused as well: rules that make more than
 * one task an hour, an UNTIL outside the years 1970–9999, and rules with no date (whose search would
 * only end at the work budget at every completion). Returns the rule or a reason.
 */
export function normalizeRrule(text: string): RecurrenceCheck {
  const body = text
    .trim()
    .replace(/^RRULE:/i, '')
    .toUpperCase();
  if (!body) return { ok: false, reason: 'must not be empty; for example "FREQ=WEEKLY;BYDAY=MO"' };
  const seen = new Set<string>();
  for (const part of body.split(';')) {
    const [key = '', value, ...extra] = part.split('=');
    if (key === 'DTSTART')
      return { ok: false, reason: "must not contain DTSTART: the task's due date is the start" };
    const rule = PART_RULES[key];
    if (!rule) return { ok: false, reason: `unknown RRULE part "${key}"` };
    if (value === undefined || extra.length || !rule.test(value))
      return { ok: false, reason: `invalid value for ${key}: "${value ?? ''}"` };
    if (seen.has(key)) return { ok: false, reason: `${key} appears twice` };
    const problem = moreThanHourly(key, value) ?? (key === 'UNTIL' ? untilProblem(value) : undefined);
    if (problem) return { ok: false, reason: problem };
    seen.add(key);
  }
  if (!seen.has('FREQ')) return { ok: false, reason: 'needs FREQ, for example "FREQ=DAILY"' };
  if (seen.has('COUNT') && seen.has('UNTIL'))
    return { ok: false, reason: 'COUNT and UNTIL cannot be combined' };
  const options = RRule.parseString(body);
  if (!hasDates(options))
    return {
      ok: false,
      reason:
        'matches no date: its parts never coincide (e.g. BYMONTH=2 with BYMONTHDAY=30) or too rarely to follow',
    };
  // rrule writes a date-only UNTIL as midnight UTC (and reads year 0001 as 1901): UNTIL stays as given.
  const until = /(?:^|;)UNTIL=([^;]*)/.exec(body)?.[1];
  const normalized = RRule.optionsToString(options).replace(/^RRULE:/, '');
  return { ok: true, rrule: until ? normalized.replace(/UNTIL=[^;]*/, `UNTIL=${until}`) : normalized };
}

/**
 * Whether the rule's parts can coincide: a date from the start of this year, COUNT, UNTIL and INTERVAL
 * aside, within the work budget of a next-occurrence search. Whether a task's own series has dates
 * also depends on its due (what rrule derives from the start, the INTERVAL's phase): a series that
 * has none from there ends when the task is completed (see next-occurrence.ts).
 */
function hasDates(options: Partial<Options>): boolean {
  const start = new Date(Date.UTC(new Date().getUTCFullYear(), 0, 1));
  const pattern = { ...options, count: null, interval: 1, dtstart: start, until: null };
  return walkRule(pattern, () => true).date !== null;
}
