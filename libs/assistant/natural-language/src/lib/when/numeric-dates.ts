import { Clarification, QUESTIONS } from '../questions';
import { PHRASE_ENDS } from '../text/phrase-end';
import type { Utterance } from '../text/utterance';
import { addMonths, calendarDate, type Clock, firstOfMonth } from './clock';
import { dateOrderIn } from './date-order';
import { hasLead, type WhenParts, withLead } from './when-parts';

/**
 * Dates written with numbers: "3/4" (month or day first by the user's zone, or a question), "24.12.2026"
 * (always day first) and "on the 5th" (the next 5th). A number is a date only when a date word leads it
 * ("on 3/4", "by the 5th") or nothing follows it but punctuation, a time or another field; so "1/2 gallon"
 * and "the 2nd floor" stay words of the title.
 */

const SLASHED = /(?<![\p{N}/.])(\d{1,2})\/(\d{1,2})(?:\/(\d{4}|\d{2}))?(?![\p{N}/])/u;
const DOTTED = /(?<![\p{N}.])(\d{1,2})\.(\d{1,2})\.(\d{4})(?![\p{N}.])/u;
const DAY_OF_MONTH = new RegExp(
  `\\b(?:on|by|due|before|until)\\s+the\\s+(\\d{1,2})(?:st|nd|rd|th)\\b${PHRASE_ENDS}`,
  'i',
);
const PHRASE_END = new RegExp(`^${PHRASE_ENDS}`, 'i');

const MONTH_NAMES =
  'January February March April May June July August September October November December'.split(' ');

export function takeNumericDates(utterance: Utterance, clock: Clock): WhenParts[] {
  const found: WhenParts[] = [];
  const takeEach = (
    pattern: RegExp,
    read: (match: RegExpExecArray) => string | undefined,
    needsEnd: boolean,
  ) => {
    let searchFrom = 0;
    for (;;) {
      const match = pattern.exec(utterance.view.slice(searchFrom));
      if (!match) return;
      const start = searchFrom + match.index;
      const end = start + match[0].length;
      const isDate =
        !needsEnd || hasLead(utterance.view, start) || PHRASE_END.test(utterance.view.slice(end));
      const date = isDate ? read(match) : undefined;
      if (date) {
        utterance.take(withLead(utterance.view, start), end);
        found.push({ date });
      }
      searchFrom = end;
    }
  };
  takeEach(DOTTED, ([, day, month, year]) => calendarDate(Number(year), Number(month), Number(day)), false);
  takeEach(SLASHED, (match) => slashedDate(match, clock), true);
  takeEach(DAY_OF_MONTH, ([, day]) => nextDayOfMonth(Number(day), clock), false);
  return found;
}

function slashedDate([, first, second, year]: RegExpExecArray, clock: Clock): string | undefined {
  const [a, b] = [Number(first), Number(second)];
  const monthFirst = dated(a, b, year, clock);
  const dayFirst = dated(b, a, year, clock);
  if (!monthFirst || !dayFirst || monthFirst === dayFirst) return monthFirst ?? dayFirst;
  const order = dateOrderIn(clock.timeZone);
  if (order === 'month-first') return monthFirst;
  if (order === 'day-first') return dayFirst;
  throw new Clarification(QUESTIONS.dayOrMonthFirst(spelled(a, b), spelled(b, a)));
}

/** A month and day, in the given year or else the next time they come (today counts). */
function dated(month: number, day: number, year: string | undefined, clock: Clock): string | undefined {
  if (year) return calendarDate(year.length === 2 ? 2000 + Number(year) : Number(year), month, day);
  const thisYear = Number(clock.today.slice(0, 4));
  // Eight years always include a February 29.
  for (let years = 0; years <= 8; years++) {
    const candidate = calendarDate(thisYear + years, month, day);
    if (candidate && candidate >= clock.today) return candidate;
  }
  return undefined;
}

function spelled(month: number, day: number): string {
  return `${MONTH_NAMES[month - 1]} ${day}`;
}

/** The next date (today counts) whose day of the month is `day`, skipping months too short for it. */
function nextDayOfMonth(day: number, clock: Clock): string | undefined {
  if (day < 1 || day > 31) return undefined;
  for (let months = 0; months < 12; months++) {
    const month = addMonths(firstOfMonth(clock.today), months);
    const date = calendarDate(Number(month.slice(0, 4)), Number(month.slice(5, 7)), day);
    if (date && date >= clock.today) return date;
  }
  return undefined;
}
