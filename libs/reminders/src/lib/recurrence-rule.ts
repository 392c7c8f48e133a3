import { RRule } from 'rrule';

/**
 * rrule's parser accepts nonsense (`FREQ=SOMETIMES`, `COUNT=x`) silently, so each part is checked
 * against RFC 5545 first; rrule then normalizes the text. Returns the rule or a reason.
 */
const DAY = '(MO|TU|WE|TH|FR|SA|SU)';
const list = (item: string) => new RegExp(`^${item}(,${item})*$`);
const PART_RULES: Record<string, RegExp> = {
  FREQ: /^(YEARLY|MONTHLY|WEEKLY|DAILY|HOURLY|MINUTELY|SECONDLY)$/,
  INTERVAL: /^[1-9]\d{0,3}$/,
  COUNT: /^[1-9]\d{0,3}$/,
  UNTIL: /^\d{8}(T\d{6}Z?)?$/,
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

export type RecurrenceCheck = { ok: true; rrule: string } | { ok: false; reason: string };

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
    // Every occurrence is a task of its own: more often than hourly would flood the task list.
    if (key === 'FREQ' && (value === 'MINUTELY' || value === 'SECONDLY'))
      return { ok: false, reason: 'tasks repeat at most hourly (FREQ=HOURLY)' };
    seen.add(key);
  }
  if (!seen.has('FREQ')) return { ok: false, reason: 'needs FREQ, for example "FREQ=DAILY"' };
  if (seen.has('COUNT') && seen.has('UNTIL'))
    return { ok: false, reason: 'COUNT and UNTIL cannot be combined' };
  return { ok: true, rrule: RRule.optionsToString(RRule.parseString(body)).replace(/^RRULE:/, '') };
}
