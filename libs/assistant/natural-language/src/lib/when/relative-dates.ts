import { Clarification, QUESTIONS } from '../questions';
import type { Utterance } from '../text/utterance';
import { addDays, addMonths, type Clock, firstOfMonth, isoWeekday, lastOfMonth, mondayOf } from './clock';
import { DURATION, type Duration, durationOf, isShorterThanDays, minutesOf } from './durations';
import { withLead, type WhenParts } from './when-parts';

/**
 * Dates relative to now, read here rather than by chrono: real durations must go through the zone
 * (01:30 + 2 h on a spring-forward night is 04:30), and chrono's guesses for "end of the week" or a bare
 * "16h" are wrong for a todo list.
 */

type Reading = (match: RegExpExecArray, clock: Clock) => WhenParts;

/** "in 2 hours" is a moment; "in 3 days" is a date; "in 99999999 years" is asked about. */
function later(duration: Duration, clock: Clock): WhenParts {
  try {
    return after(duration, clock);
  } catch (error) {
    // Date arithmetic past what a Date holds: no calendar date at all.
    if (error instanceof RangeError) throw new Clarification(QUESTIONS.tooFar);
    throw error;
  }
}

function after(duration: Duration, clock: Clock): WhenParts {
  if (isShorterThanDays(duration)) {
    const [date, time] = clock.after(minutesOf(duration)).split('T');
    return { date, time };
  }
  const days = addDays(clock.today, duration.weeks * 7 + duration.days);
  return { date: addMonths(days, duration.years * 12 + duration.months) };
}

const END_OF: Record<string, (clock: Clock) => string> = {
  day: (clock) => clock.today,
  week: (clock) => addDays(mondayOf(clock.today), 6),
  month: (clock) => lastOfMonth(clock.today),
  year: (clock) => `${clock.today.slice(0, 4)}-12-31`,
};
const END_ABBREVIATIONS: Record<string, string> = { eod: 'day', eow: 'week', eom: 'month' };

const READINGS: readonly (readonly [RegExp, Reading])[] = [
  [
    new RegExp(`\\b(?:in|within)\\s+(${DURATION})`, 'iu'),
    (match, clock) => later(durationOf(match[1]), clock),
  ],
  [
    new RegExp(`\\b(${DURATION})\\s+from\\s+(?:now|today)\\b`, 'iu'),
    (match, clock) => later(durationOf(match[1]), clock),
  ],
  [/\b(?:the\s+)?day\s+after\s+tomorrow\b/i, (_, clock) => ({ date: addDays(clock.today, 2) })],
  [/\bnext\s+week\b/i, (_, clock) => ({ date: addDays(mondayOf(clock.today), 7) })],
  [/\bnext\s+month\b/i, (_, clock) => ({ date: firstOfMonth(addMonths(clock.today, 1)) })],
  [/\bnext\s+year\b/i, (_, clock) => ({ date: `${Number(clock.today.slice(0, 4)) + 1}-01-01` })],
  [
    /\b(?:the\s+)?end\s+of\s+(?:the\s+|this\s+)?(day|week|month|year)\b|\b(eod|eow|eom)\b/i,
    (match, clock) => ({
      date: END_OF[(match[1] ?? END_ABBREVIATIONS[match[2].toLowerCase()]).toLowerCase()](clock),
    }),
  ],
  [/\bnext\s+weekend\b/i, (_, clock) => ({ date: addDays(mondayOf(clock.today), 12) })],
  [
    /\b(?:this\s+)?weekend\b/i,
    (_, clock) => ({ date: isoWeekday(clock.today) === 7 ? clock.today : addDays(mondayOf(clock.today), 5) }),
  ],
  [/\blater\s+today\b/i, (_, clock) => ({ date: clock.today })],
];

export function takeRelativeDates(utterance: Utterance, clock: Clock): WhenParts[] {
  const found: WhenParts[] = [];
  for (const [pattern, read] of READINGS) {
    for (let match = pattern.exec(utterance.view); match; match = pattern.exec(utterance.view)) {
      utterance.take(withLead(utterance.view, match.index), match.index + match[0].length);
      found.push(read(match, clock));
    }
  }
  return found;
}
