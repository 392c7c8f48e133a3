import * as chrono from 'chrono-node';
import { Clarification, QUESTIONS } from '../questions';
import { PHRASE_ENDS } from '../text/phrase-end';
import type { Utterance } from '../text/utterance';
import { addDays, calendarDate, type Clock, isoWeekday, mondayOf, wallTime } from './clock';
import { DAY_PART_TIMES } from './day-parts';
import { hasLead, type WhenParts, withLead } from './when-parts';

/**
 * Named dates and times through chrono ("tomorrow at 5pm", "on Friday", "December 5", "noon"), with the
 * rules a todo list needs on top:
 * - chrono only sees the wall clock: its reference is the floating "now" at offset 0, and only the
 *   components it read are used, never its Date;
 * - relative phrases and numeric dates are read by our own grammars (relative-dates, numeric-dates), so
 *   chrono's parsers for them are left out;
 * - a month without a day ("Call May"), an abbreviated weekday without a date word ("sun hat"), a
 *   capitalised name ("Watch Friday Night Lights") and the past ("yesterday", "last Friday") are title;
 * - "next Friday" is the Friday of next week (so "next Monday" on a Monday is 7 days later); a bare
 *   weekday is the next one, today included unless its time has passed;
 * - an hour from 1 to 11 with neither am/pm, a day part nor a leading zero is asked about.
 */
export const LEFT_OUT_CHRONO_PARSERS: ReadonlySet<string> = new Set([
  'SlashDateFormatParser',
  'ENSlashMonthFormatParser',
  'ENTimeUnitWithinFormatParser',
  'ENTimeUnitAgoFormatParser',
  'ENTimeUnitLaterFormatParser',
  'ENRelativeDateFormatParser',
  'ENTimeUnitCasualRelativeFormatParser',
  'ENMonthNameParser',
]);

const parser = chrono.casual.clone();
parser.parsers = parser.parsers.filter(
  (candidate) => !LEFT_OUT_CHRONO_PARSERS.has(candidate.constructor.name),
);

const PAST = /\b(?:yesterday|last)\b/i;
const NEXT = /\bnext\b/i;
const NIGHT = /\b(?:to)?night\b/i;
const ABBREVIATED_WEEKDAY = /\b(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)\b/i;
const LEADING_ZERO_HOUR = /(?<![\d-])0\d(?:[:.h]\d{2})?\b/;
const NAME_FOLLOWS = /^\s+\p{Lu}/u;
const THE_BEFORE = /\bthe\s+$/i;
const PHRASE_END = new RegExp(`^${PHRASE_ENDS}`, 'i');
const TIME_MARK = /\bat\b|@|\d[:.h]\d|o'?clock|\b[ap]\.?m\b|\d[ap]\.?m\b/i;
const DAY_PART_WORD = /\b(?:morning|afternoon|evening|night|tonight)\b/i;
const LEADING_NUMBER = /^(\d{1,2})\s+(?=\D)/;
/** "night shift", "morning run": a day part on its own, with no lead word, names a kind of thing. */
const BARE_DAY_PART = /^(?:morning|afternoon|evening|night)$/i;

export function takeChronoDates(utterance: Utterance, clock: Clock): WhenParts[] {
  const view = utterance.view;
  const results = parser.parse(view, { instant: clock.now, timezone: 0 }, { forwardDate: true });
  const found: WhenParts[] = [];
  for (const result of results) {
    if (!isDate(result, view)) continue;
    const unmarkedHour = unmarkedLeadingNumber(result.text);
    const start = result.index + (unmarkedHour?.[0].length ?? 0);
    found.push(partsOf(result, clock, !unmarkedHour));
    utterance.take(withLead(view, start), result.index + result.text.length);
  }
  return found;
}

/**
 * "level 10 tomorrow", "Apollo 13 tonight": chrono reads the number as a time. Without "at", a colon or
 * am/pm it belongs to the title, unless a day part makes it an hour ("dinner 7 tonight").
 */
function unmarkedLeadingNumber(text: string): RegExpExecArray | undefined {
  const number = LEADING_NUMBER.exec(text);
  if (!number || TIME_MARK.test(text)) return undefined;
  const hour = Number(number[1]);
  return DAY_PART_WORD.test(text) && hour >= 1 && hour <= 12 ? undefined : number;
}

function isDate(result: chrono.ParsedResult, view: string): boolean {
  const { start, text, index } = result;
  if (PAST.test(text)) return false;
  if (BARE_DAY_PART.test(text) && !hasLead(view, index)) return false;
  if (start.isCertain('month') && !start.isCertain('day')) return false;
  const end = index + text.length;
  if (/^\p{Lu}/u.test(text) && index > 0 && NAME_FOLLOWS.test(view.slice(end))) return false;
  // "the 4th of July parade", "the March 3 flight": a date inside a noun phrase.
  if (THE_BEFORE.test(view.slice(0, index)) && !PHRASE_END.test(view.slice(end))) return false;
  const weekdayOnly = start.isCertain('weekday') && !start.isCertain('day') && !start.isCertain('hour');
  return !(
    weekdayOnly &&
    ABBREVIATED_WEEKDAY.test(text) &&
    !hasLead(view, index) &&
    !/^(?:on|by)\b/i.test(text)
  );
}

function partsOf(result: chrono.ParsedResult, clock: Clock, hourIsTime: boolean): WhenParts {
  const { start } = result;
  const time = hourIsTime ? timeOf(result) : dayPartTimeOf(result);
  if (start.isCertain('day'))
    return {
      date: calendarDate(start.get('year') ?? 0, start.get('month') ?? 0, start.get('day') ?? 0),
      time,
    };
  if (start.isCertain('weekday'))
    return { date: weekdayDate(start.get('weekday') ?? 0, NEXT.test(result.text), time, clock), time };
  return { time };
}

function timeOf(result: chrono.ParsedResult): string | undefined {
  const { start, text } = result;
  const dayPart = dayPartTimeOf(result);
  if (!start.isCertain('hour')) return dayPart;
  let hour = start.get('hour') ?? 0;
  const minute = start.get('minute') ?? 0;
  if (!start.isCertain('meridiem') && hour >= 1 && hour <= 11) {
    if (dayPart && dayPart >= '12:00') hour += 12;
    else if (!dayPart && !LEADING_ZERO_HOUR.test(text))
      throw new Clarification(QUESTIONS.amOrPm(hour, minute));
  }
  return wallTime(hour, minute);
}

/** chrono's tags say which day part it read (it tags "night" as evening, so the text decides that one). */
function dayPartTimeOf({ start, text }: chrono.ParsedResult): string | undefined {
  if (NIGHT.test(text)) return DAY_PART_TIMES['night'];
  for (const tag of start.tags()) {
    const [kind, word] = tag.split('/');
    if (kind === 'casualReference' && word in DAY_PART_TIMES) return DAY_PART_TIMES[word];
  }
  return undefined;
}

/** chrono numbers weekdays from Sunday = 0. */
function weekdayDate(weekday: number, next: boolean, time: string | undefined, clock: Clock): string {
  const target = weekday || 7;
  if (next) return addDays(mondayOf(clock.today), 7 + target - 1);
  const date = addDays(clock.today, (target - isoWeekday(clock.today) + 7) % 7);
  return date === clock.today && time !== undefined && time < clock.time ? addDays(date, 7) : date;
}
