import type { TaskReference } from '@todo/assistant-contract';
import { type FocusTask, referenceTo, shownAt } from '../focus';
import type { Interpretation } from '../interpretation';
import type { Message } from '../message';
import { ordinalOf } from '../text/numbers';

/**
 * The answer to a tool's question ("Which one do you mean: #3 Buy milk or #7 Buy oat milk?"): a number
 * ("7", "#7", "task 7"), a position among the choices ("the first", "the second one") or, when there was
 * one choice, "yes". The asked call is repeated for the chosen task. Anything else is a new request.
 */
const NUMBER = /^(?:#|task\s+#?|number\s+|no\.?\s*)?(\d{1,9})$/i;
const POSITION =
  /^(?:(?:the|that)\s+)?(first|second|third|fourth|fifth|1st|2nd|3rd|4th|5th|last)(?:\s+(?:one|task))?(?:\s+(?:one|please))?$/i;
const YES = /^(?:yes|yeah|yep|yup|sure|correct|right|that(?:'s| is) (?:it|the one)|exactly|ok(?:ay)?)$/i;
const EDGES = /^[\s,;:.!?–—-]+|[\s,;:.!?–—-]+$/g;

export function readAnswer(message: Message): Interpretation | undefined {
  const pending = message.focus?.pending;
  if (!pending) return undefined;
  const words = message.text.replace(EDGES, '').replace(/\s+/g, ' ');
  const task = chosen(words, pending.candidates);
  return task && { tool_calls: [{ ...pending.call, arguments: { ...pending.call.arguments, task } }] };
}

function chosen(words: string, candidates: readonly FocusTask[]): TaskReference | undefined {
  const number = NUMBER.exec(words);
  if (number) return { number: Number(number[1]) };
  const position = POSITION.exec(words);
  const shown = position && shownAt(candidates, ordinalOf(position[1]));
  if (shown) return referenceTo(shown);
  return YES.test(words) && candidates.length === 1 ? referenceTo(candidates[0]) : undefined;
}
