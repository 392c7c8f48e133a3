import type { TaskReference } from '@todo/assistant-contract';
import { type ConversationFocus, focusedTask, referenceTo, shownAt } from '../focus';
import { countOf, ordinalOf, WHOLE_NUMBER } from '../text/numbers';
import { hasQuote, unmaskQuotes } from '../text/quotes';

/**
 * Which task the user means: {"number": N} for "task 3", "#3", "number 3", "task three"; otherwise
 * {"title": …} with the user's words, minus articles and the word "task" ("the meeting task" → meeting,
 * "the task called 'Pay rent'" → Pay rent). Pronouns ("it", "that one") name no task: undefined, and
 * the caller asks which one.
 */
const NUMBERED = new RegExp(
  `^(?:(?:the\\s+)?(?:task|to-?do|item)\\s*(?:number\\s*|no\\.?\\s*)?#?\\s*|#\\s*|(?:number|no\\.?)\\s*)(${WHOLE_NUMBER})$`,
  'i',
);
const PRONOUN =
  /^(?:it|that|this|them|those|these|that one|this one|the last one|the one|one|the task|task)$/i;
const DECORATIONS = [
  /^(?:the|my|a|an|this|that)\s+/i,
  /^(?:task|to-?do|item)\s*(?::|(?:called|named|titled)\s+)?/i,
  /^(?:called|named|titled)\s+/i,
  /\s+(?:task|to-?do|item)$/i,
];
const EDGES = /^[\s,;:.!?–—-]+|[\s,;:.!?–—-]+$/g;

/** "the second one", "the last task", "the 3rd": a position in the list the conversation just showed. */
const POSITION =
  /^(?:the\s+)?(first|second|third|fourth|fifth|1st|2nd|3rd|4th|5th|last)(?:\s+(?:one|task|item|to-?do))?$/i;

/**
 * The reference in a phrase (quote marks still masked), or undefined when it names no task. With a
 * conversation focus, "it" (or nothing at all) is the one task just discussed and "the second one" a
 * position in the list just shown.
 */
export function referenceFrom(
  phrase: string,
  message: { readonly quotes: readonly string[]; readonly focus?: ConversationFocus },
): TaskReference | undefined {
  const { quotes, focus } = message;
  const words = phrase.replace(EDGES, '').replace(/\s+/g, ' ');
  const numbered = NUMBERED.exec(words);
  if (numbered) {
    const number = countOf(numbered[1]);
    return Number.isInteger(number) && number > 0 ? { number } : undefined;
  }
  // "the second one" names a place in a list just shown; without that list it names nothing.
  const position = POSITION.exec(words);
  if (position) {
    const shown = shownAt(focus?.tasks, ordinalOf(position[1]));
    return shown && referenceTo(shown);
  }
  if (!words || PRONOUN.test(words)) {
    const single = focusedTask(focus);
    return single && referenceTo(single);
  }
  let title = words;
  for (let previous = ''; previous !== title;) {
    previous = title;
    for (const decoration of DECORATIONS) title = title.replace(decoration, '');
  }
  title = unmaskQuotes(title.trim(), quotes).trim();
  return title ? { title } : undefined;
}

const LIST_SEPARATOR = /\s*,\s*(?:(?:and|&)\s+)?|\s+(?:and|&)\s+/i;
const LIST_NOUN = /^(?:the\s+)?(?:tasks|to-?dos|items|numbers)\s+/i;

/**
 * The numbers of a list of two or more numbered tasks ("3 and 5", "tasks 2, 4 and 6", "#1 & #2"), or
 * undefined. Bare numbers count here: in a list they can only be task numbers.
 */
export function numberedReferences(phrase: string): number[] | undefined {
  const parts = phrase.replace(EDGES, '').replace(LIST_NOUN, '').split(LIST_SEPARATOR);
  if (parts.length < 2) return undefined;
  const numbers = parts.map((part) => {
    const number = countOf(/^\d+$/.test(part) ? part : (NUMBERED.exec(part)?.[1] ?? ''));
    return Number.isInteger(number) && number > 0 ? number : undefined;
  });
  return numbers.every((number) => number !== undefined) ? [...new Set(numbers)] : undefined;
}

/**
 * Whether a phrase names a task for sure: explicitly, or as "it" / "the second one" when the conversation
 * has that task in focus. Verbs that are everyday tasks too ("make dinner") need such a reference.
 */
export function namesTask(phrase: string, message: { readonly focus?: ConversationFocus }): boolean {
  if (isExplicitReference(phrase)) return true;
  const words = phrase.replace(EDGES, '').replace(/\s+/g, ' ');
  return (
    Boolean(message.focus) &&
    (PRONOUN.test(words) || POSITION.test(words)) &&
    referenceFrom(words, { quotes: [], focus: message.focus }) !== undefined
  );
}

/** Whether a phrase names a task explicitly: by number, by quoting its title or with the word "task". */
export function isExplicitReference(phrase: string): boolean {
  return (
    NUMBERED.test(phrase.replace(EDGES, '')) ||
    hasQuote(phrase) ||
    /\b(?:task|to-?do)\b/i.test(phrase) ||
    numberedReferences(phrase) !== undefined
  );
}
