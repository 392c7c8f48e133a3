import { namesTask, numberedReferences, referenceFrom } from '../grammar/references';
import { ask, callTool, type Interpretation } from '../interpretation';
import type { Message } from '../message';
import { QUESTIONS } from '../questions';

/**
 * A call on one task (complete, delete), one call each for a list of numbered tasks ("complete 3 and
 * 5"), or the question which task when the words name none.
 */
export function callOnTask(
  name: 'complete_task' | 'delete_task',
  phrase: string,
  message: Message,
  action: string,
): Interpretation {
  const numbers = numberedReferences(phrase);
  if (numbers) return { tool_calls: numbers.map((number) => ({ name, arguments: { task: { number } } })) };
  const task = referenceFrom(phrase, message);
  return task ? callTool(name, { task }) : ask(QUESTIONS.whichTask(action));
}

/**
 * The task phrase of a pattern's group 1, only when it names a task for sure ("cancel task 3", or
 * "complete the first" right after a list).
 */
export function explicitPhrase(pattern: RegExp, message: Message): string | undefined {
  const phrase = pattern.exec(message.text)?.[1];
  return phrase !== undefined && namesTask(phrase, message) ? phrase : undefined;
}
