import { isExplicitReference, referenceFrom } from '../grammar/references';
import { ask, callTool, type Interpretation } from '../interpretation';
import type { Message } from '../message';
import { QUESTIONS } from '../questions';

/** A call on one task (complete, delete), or the question which task when the words name none. */
export function callOnTask(
  name: 'complete_task' | 'delete_task',
  phrase: string,
  message: Message,
  action: string,
): Interpretation {
  const task = referenceFrom(phrase, message.quotes);
  return task ? callTool(name, { task }) : ask(QUESTIONS.whichTask(action));
}

/** The task phrase of a pattern's group 1, only when it names a task explicitly ("cancel task 3"). */
export function explicitPhrase(pattern: RegExp, text: string): string | undefined {
  const phrase = pattern.exec(text)?.[1];
  return phrase !== undefined && isExplicitReference(phrase) ? phrase : undefined;
}
