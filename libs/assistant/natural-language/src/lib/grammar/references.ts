import type { TaskReference } from '@todo/assistant-contract';
import { countOf, WHOLE_NUMBER } from '../text/numbers';
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

/** The reference in a phrase (quote marks still masked), or undefined when it names no task. */
export function referenceFrom(phrase: string, quotes: readonly string[]): TaskReference | undefined {
  const words = phrase.replace(EDGES, '').replace(/\s+/g, ' ');
  const numbered = NUMBERED.exec(words);
  if (numbered) {
    const number = countOf(numbered[1]);
    return Number.isInteger(number) && number > 0 ? { number } : undefined;
  }
  if (!words || PRONOUN.test(words)) return undefined;
  let title = words;
  for (let previous = ''; previous !== title;) {
    previous = title;
    for (const decoration of DECORATIONS) title = title.replace(decoration, '');
  }
  title = unmaskQuotes(title.trim(), quotes).trim();
  return title ? { title } : undefined;
}

/** Whether a phrase names a task explicitly: by number, by quoting its title or with the word "task". */
export function isExplicitReference(phrase: string): boolean {
  return NUMBERED.test(phrase.replace(EDGES, '')) || hasQuote(phrase) || /\b(?:task|to-?do)\b/i.test(phrase);
}
