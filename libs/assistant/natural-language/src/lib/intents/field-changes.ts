import type { ToolArguments } from '@todo/assistant-contract';
import { takePriority } from '../grammar/priority';
import { firstOccurrence, type Recurrence, takeRecurrence } from '../grammar/recurrence';
import { takeHashtags, takeNamedTags } from '../grammar/tags';
import type { Message } from '../message';
import { Utterance } from '../text/utterance';
import { takeWhen } from '../when/when';
import type { Clock } from '../when/clock';
import { type WhenParts, wallTimeFrom } from '../when/when-parts';

/** Words that only link a task to its new values ("make task 3 *repeat* every monday", "set task 3 *to* …"). */
const LINKS =
  /^(?:(?:to|as|be|is|now|repeats?|repeating|recurs?|recurring)\b\s*)+|(?:\s*\b(?:to|as|be|is|now|repeats?|repeating|recurs?|recurring))+$/gi;

/** Which half of a due a phrase named alone ("6pm": a time, "friday": a date), if it named one half. */
export type NamedPart = 'time' | 'date' | undefined;

/** New values for a task's fields, as update_task takes them (null clears a field). */
export type FieldChanges = Omit<ToolArguments['update_task'], 'task'>;

/**
 * The field values in a phrase ("Friday at 3pm", "high priority", "every monday", "#home") and the words
 * left over (a task reference, or a title). A repeat with a date or time also moves the due to its first
 * occurrence; a repeat alone changes only the rule.
 */
export function readFieldChanges(
  phrase: string,
  message: Message,
): { changes: FieldChanges; rest: string; named: NamedPart } {
  const utterance = new Utterance(phrase);
  const tags = takeHashtags(utterance);
  const repeat = takeRecurrence(utterance);
  const priority = takePriority(utterance, 'anywhere');
  const when = takeWhen(utterance, message.clock);
  tags.push(...takeNamedTags(utterance).filter((tag) => !tags.includes(tag)));
  const start = { date: when?.date, time: when?.time ?? repeat?.time };
  const due = dueChange(repeat?.recurrence, start, message.clock);
  const changes: FieldChanges = {};
  if (due) changes.due = due;
  if (priority) changes.priority = priority;
  if (tags.length) changes.tags = tags;
  if (repeat) changes.recurrence = repeat.recurrence;
  const named =
    repeat || !when
      ? undefined
      : when.date === undefined
        ? 'time'
        : when.time === undefined
          ? 'date'
          : undefined;
  return { changes, rest: utterance.rest().replace(LINKS, ''), named };
}

function dueChange(recurrence: Recurrence | undefined, start: WhenParts, clock: Clock): string | undefined {
  if (!recurrence) return wallTimeFrom(start, clock);
  if (start.date === undefined && start.time === undefined) return undefined;
  return firstOccurrence(recurrence.rrule, start, clock);
}

export function hasChanges(changes: FieldChanges): boolean {
  return Object.keys(changes).length > 0;
}
