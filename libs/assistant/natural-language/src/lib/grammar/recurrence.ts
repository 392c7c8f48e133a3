import type { ToolArguments } from '@todo/assistant-contract';
import { normalizeRrule } from '@todo/reminders';
import { RRule } from 'rrule';
import { COUNT, countOf, ORDINAL_DAY_WORD, ordinalOf } from '../text/numbers';
import { PHRASE_ENDS } from '../text/phrase-end';
import type { Utterance } from '../text/utterance';
import { calendarDate, type Clock } from '../when/clock';
import { DAY_PART_TIMES } from '../when/day-parts';
import type { WhenParts } from '../when/when-parts';

/**
 * Repeats, Todoist style: "every" repeats from the due date, "every!" from the completion date.
 * Understood: every day/weekday/weekend/hour, daily/weekly/monthly/yearly (ending a phrase), every N
 * days/weeks/months/years (optionally "on monday"), every other/second day/week/monday, every monday
 * and wednesday, on mondays, every 3rd thursday / last friday (of the month), the 1st of every month,
 * every last day of the month, every March 3, every morning/afternoon/evening/night (daily at that
 * time: 09:00, 15:00, 18:00, 20:00), the first of every month, first monday of every month, every 2nd
 * and 4th tuesday, twice a week on monday and thursday, quarterly, every fortnight, twice a year. Times ("at 10am") are not part of the rule: they are the due's.
 */
export type Recurrence = NonNullable<ToolArguments['update_task']['recurrence']>;

interface RecurrencePhrase {
  readonly recurrence: Recurrence;
  /** The time a day-part repeat implies ("every morning" → 09:00). */
  readonly time?: string;
}

const WEEKDAY_CODES: Record<string, string> = {
  mon: 'MO',
  tue: 'TU',
  wed: 'WE',
  thu: 'TH',
  fri: 'FR',
  sat: 'SA',
  sun: 'SU',
};
const WEEKDAY =
  '(?:mon(?:day)?|tue(?:s(?:day)?)?|wed(?:nesday)?|thu(?:r(?:s(?:day)?)?)?|fri(?:day)?|sat(?:urday)?|sun(?:day)?)';
const WEEKDAYS = `${WEEKDAY}s?(?:\\s*(?:,|and|&|\\/)\\s*${WEEKDAY}s?)*`;
const PLURAL_WEEKDAYS = '(?:mon|tues|wednes|thurs|fri|satur|sun)days';
const ON_PLURAL_WEEKDAYS = `${PLURAL_WEEKDAYS}(?:\\s*(?:,|and|&)\\s*${WEEKDAY}s?)*`;
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const MONTH =
  '(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)';
const DAY_NUMBER = `(\\d{1,2}(?:st|nd|rd|th)?|${ORDINAL_DAY_WORD})`;
/** Which weekdays of the month: "3rd", "last", "2nd and 4th" ("second" alone means every other). */
const NTH_WORD = '(?:1st|2nd|3rd|4th|5th|first|third|fourth|fifth|last)';
const NTH = `(${NTH_WORD}(?:\\s*(?:,|and|&)\\s*(?:${NTH_WORD}|second))*)`;
const UNIT_WORD = '(?:hour|day|week|month|year)s?';
const UNIT = '(hour|day|week|month|year)s?';

const EVERY = '\\b(?:every|each)!?';
const OF_EACH_MONTH = '(?:\\s+of\\s+(?:the|each|every)\\s+month)';
const FREQUENCIES: Record<string, string> = {
  hour: 'HOURLY',
  hourly: 'HOURLY',
  day: 'DAILY',
  daily: 'DAILY',
  week: 'WEEKLY',
  weekly: 'WEEKLY',
  month: 'MONTHLY',
  monthly: 'MONTHLY',
  year: 'YEARLY',
  yearly: 'YEARLY',
  annually: 'YEARLY',
};

/** A rule read from a match: its parts in RFC 5545 order (undefined ones left out), and an implied time. */
interface Rule {
  readonly parts: Record<string, string | number | undefined>;
  readonly time?: string;
}

const WEEKDAY_WORD = new RegExp(WEEKDAY, 'gi');
const byDay = (text: string) => {
  const codes = [...text.matchAll(WEEKDAY_WORD)].map(([day]) => WEEKDAY_CODES[day.slice(0, 3).toLowerCase()]);
  return [...new Set(codes)].join(',');
};
const interval = (count: number) => (count > 1 ? count : undefined);
const weekly = (days: string, every = 1): Rule => ({
  parts: { FREQ: 'WEEKLY', INTERVAL: interval(every), BYDAY: byDay(days) },
});
const nthWeekday = ([, nths, day]: RegExpExecArray): Rule => {
  const code = byDay(day);
  const days = nths.split(/\s*(?:,|and|&)\s*/i).map((nth) => `${ordinalOf(nth)}${code}`);
  return { parts: { FREQ: 'MONTHLY', BYDAY: [...new Set(days)].join(',') } };
};
const monthDay = (day: number): Rule | undefined =>
  day === -1 || (day >= 1 && day <= 31) ? { parts: { FREQ: 'MONTHLY', BYMONTHDAY: day } } : undefined;
const yearDay = (month: string, day: string): Rule | undefined => {
  const monthNumber = MONTHS.indexOf(month.slice(0, 3).toLowerCase()) + 1;
  const dayNumber = ordinalOf(day);
  // 2024 is a leap year: every date that comes round at all exists in it.
  if (!calendarDate(2024, monthNumber, dayNumber)) return undefined;
  return { parts: { FREQ: 'YEARLY', BYMONTH: monthNumber, BYMONTHDAY: dayNumber } };
};
/** Repeats named by one word: "quarterly", "every fortnight", "twice a year". */
const PERIODS: Record<string, Rule['parts']> = {
  quarter: { FREQ: 'MONTHLY', INTERVAL: 3 },
  quarterly: { FREQ: 'MONTHLY', INTERVAL: 3 },
  fortnight: { FREQ: 'WEEKLY', INTERVAL: 2 },
  fortnightly: { FREQ: 'WEEKLY', INTERVAL: 2 },
  biweekly: { FREQ: 'WEEKLY', INTERVAL: 2 },
  'half year': { FREQ: 'MONTHLY', INTERVAL: 6 },
  semiannually: { FREQ: 'MONTHLY', INTERVAL: 6 },
  biannually: { FREQ: 'MONTHLY', INTERVAL: 6 },
  'twice a year': { FREQ: 'MONTHLY', INTERVAL: 6 },
};
const periodOf = (word: string) =>
  PERIODS[
    word
      .toLowerCase()
      .replace(/[\s-]+/g, ' ')
      .replace(/^(bi|semi) /, '$1')
  ];

/** Patterns, most specific first. */
const GRAMMAR: readonly (readonly [RegExp, (match: RegExpExecArray) => Rule | undefined])[] = [
  [new RegExp(`${EVERY}\\s+${NTH}\\s+(${WEEKDAY})${OF_EACH_MONTH}?\\b`, 'i'), nthWeekday],
  [
    new RegExp(`\\b(?:on\\s+)?(?:the\\s+)?${NTH}\\s+(${WEEKDAY})\\s+of\\s+(?:every|each)\\s+month\\b`, 'i'),
    nthWeekday,
  ],
  [
    new RegExp(
      `${EVERY}\\s+(?:last\\s+day|end)\\s+of\\s+(?:the\\s+|each\\s+|every\\s+)?month\\b|\\b(?:on\\s+)?the\\s+last\\s+day\\s+of\\s+(?:every|each)\\s+month\\b|(?:${EVERY}\\s+month|\\bmonthly)\\s+on\\s+the\\s+last\\s+day\\b`,
      'i',
    ),
    () => monthDay(-1),
  ],
  [
    new RegExp(
      `(?:${EVERY}\\s+year|\\b(?:yearly|annually))\\s+on\\s+(${MONTH})\\s+${DAY_NUMBER}\\b|${EVERY}\\s+(${MONTH})\\s+${DAY_NUMBER}\\b|${EVERY}\\s+${DAY_NUMBER}\\s+(?:of\\s+)?(${MONTH})\\b`,
      'i',
    ),
    (match) => yearDay(match[1] ?? match[3] ?? match[6], match[2] ?? match[4] ?? match[5]),
  ],
  [
    new RegExp(
      `\\b(?:on\\s+)?the\\s+${DAY_NUMBER}\\s+of\\s+(?:every|each)\\s+month\\b|${EVERY}\\s+(\\d{1,2})(?:st|nd|rd|th)${OF_EACH_MONTH}?\\b(?!\\s+(?:${UNIT_WORD}|${WEEKDAY})\\b)|(?:${EVERY}\\s+month|\\bmonthly)\\s+on\\s+the\\s+${DAY_NUMBER}\\b`,
      'i',
    ),
    (match) => monthDay(ordinalOf(match[1] ?? match[2] ?? match[3])),
  ],
  [
    new RegExp(
      `\\b(?:twice|(?:two|three|four|five|[2-5])\\s+times)\\s+(?:a|per|each)\\s+week\\s+on\\s+(${WEEKDAYS})\\b`,
      'i',
    ),
    ([, days]) => weekly(days),
  ],
  [
    new RegExp(
      `${EVERY}\\s+fortnight\\s+on\\s+(${WEEKDAYS})\\b|${EVERY}\\s+(quarter|fortnight|half[\\s-]year)\\b|\\b(quarterly|fortnightly|bi-?weekly|semi-?annually|bi-?annually|twice\\s+a\\s+year)${PHRASE_ENDS}`,
      'i',
    ),
    ([, fortnightDays, unit, adverb]) => {
      if (fortnightDays) return weekly(fortnightDays, 2);
      const parts = periodOf(unit ?? adverb);
      return parts && { parts };
    },
  ],
  [new RegExp(`${EVERY}\\s+(?:other|second)\\s+(${WEEKDAYS})\\b`, 'i'), ([, days]) => weekly(days, 2)],
  [
    new RegExp(
      `${EVERY}\\s+(?:(other|second|2nd)|(${COUNT}))\\s+${UNIT}(?:\\s+on\\s+(${WEEKDAYS}))?\\b`,
      'i',
    ),
    ([, other, count, unit, days]) => {
      const every = other ? 2 : countOf(count);
      if (!Number.isInteger(every) || every < 1) return undefined;
      if (days && unit.toLowerCase() === 'week') return weekly(days, every);
      return { parts: { FREQ: FREQUENCIES[unit.toLowerCase()], INTERVAL: interval(every) } };
    },
  ],
  [
    new RegExp(`${EVERY}\\s+(?:week|work|business|working)\\s*days?\\b|\\b(?:on\\s+)?weekdays\\b`, 'i'),
    () => weekly('mon tue wed thu fri'),
  ],
  [new RegExp(`${EVERY}\\s+weekends?\\b|\\b(?:on\\s+)?weekends\\b`, 'i'), () => weekly('sat sun')],
  [
    new RegExp(
      `${EVERY}\\s+(${WEEKDAYS})\\b|\\bon\\s+(${ON_PLURAL_WEEKDAYS})\\b|\\bweekly\\s+on\\s+(${WEEKDAYS})\\b`,
      'i',
    ),
    (match) => weekly(match[1] ?? match[2] ?? match[3]),
  ],
  [
    new RegExp(`${EVERY}\\s+(morning|afternoon|evening|night)\\b`, 'i'),
    ([, part]) => ({ parts: { FREQ: 'DAILY' }, time: DAY_PART_TIMES[part.toLowerCase()] }),
  ],
  [
    new RegExp(
      `${EVERY}\\s+(?:single\\s+)?(hour|day|week|month|year)\\b|\\b(hourly|daily|weekly|monthly|yearly|annually)${PHRASE_ENDS}`,
      'i',
    ),
    ([, unit, adverb]) => ({ parts: { FREQ: FREQUENCIES[(unit ?? adverb).toLowerCase()] } }),
  ],
];

/** Takes the first repeat phrase out of the utterance. */
export function takeRecurrence(utterance: Utterance): RecurrencePhrase | undefined {
  for (const [pattern, read] of GRAMMAR) {
    const match = pattern.exec(utterance.view);
    const rule = match && read(match);
    if (!match || !rule) continue;
    const text = Object.entries(rule.parts)
      .filter(([, value]) => value !== undefined)
      .map(([key, value]) => `${key}=${value}`)
      .join(';');
    if (!normalizeRrule(text).ok) continue;
    utterance.take(match.index, match.index + match[0].length);
    const from = match[0].includes('!') ? 'completion' : 'due';
    return { recurrence: { rrule: text, from }, time: rule.time };
  }
  return undefined;
}

/**
 * A recurring task's due: the first occurrence at or after now (or after the date the user gave as its
 * start), at the given time of day or all day. The rule's INTERVAL is left out here: "every other Monday"
 * starts on the next Monday, and the series counts from that due.
 */
export function firstOccurrence(rrule: string, start: WhenParts, clock: Clock): string {
  const options = RRule.parseString(rrule);
  const time = start.time ?? (options.freq === RRule.HOURLY ? clock.time : undefined);
  const date = start.date !== undefined && start.date > clock.today ? start.date : clock.today;
  const dtstart = new Date(`${date}T${time ?? '00:00'}:00Z`);
  // All day, today counts all day; at a time, the occurrence must not have passed.
  const searchFrom = time !== undefined && clock.now > dtstart ? clock.now : dtstart;
  const first =
    new RRule({ ...options, interval: 1, dtstart, tzid: null }).after(searchFrom, true) ?? dtstart;
  const [day, timeOfDay] = first.toISOString().slice(0, 16).split('T');
  return time === undefined ? day : `${day}T${timeOfDay}`;
}
