import { hasStorableYear } from '@todo/validation';
import { Clarification, QUESTIONS } from '../questions';
import type { Utterance } from '../text/utterance';
import { takeChronoDates } from './chrono-dates';
import type { Clock } from './clock';
import { takeNumericDates } from './numeric-dates';
import { takeRelativeDates } from './relative-dates';
import type { WhenParts } from './when-parts';

/**
 * Takes every date and time phrase out of an utterance and merges them into one: "tomorrow … at 5pm" is
 * one moment; two different dates (or times) are asked about. Our own grammars go first so that chrono
 * never sees what they read.
 */
export function takeWhen(utterance: Utterance, clock: Clock): WhenParts | undefined {
  const found = [
    ...takeRelativeDates(utterance, clock),
    ...takeNumericDates(utterance, clock),
    ...takeChronoDates(utterance, clock),
  ];
  if (!found.length) return undefined;
  if (found.some(({ date }) => date !== undefined && !hasStorableYear(date)))
    throw new Clarification(QUESTIONS.tooFar);
  return { date: onlyOne(found.map((parts) => parts.date)), time: onlyOne(found.map((parts) => parts.time)) };
}

function onlyOne(values: (string | undefined)[]): string | undefined {
  const distinct = new Set(values.filter((value) => value !== undefined));
  if (distinct.size > 1) throw new Clarification(QUESTIONS.twoDates);
  return distinct.values().next().value;
}
