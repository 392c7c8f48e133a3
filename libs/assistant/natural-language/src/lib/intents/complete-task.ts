import type { Intent } from '../interpretation';
import { callOnTask, explicitPhrase } from './task-reference';

/**
 * "Mark task 3 as complete", "I finished buying groceries", "done with call mom", "check off milk",
 * "task 3 is done", "complete #3". A bare "complete …"/"finish …" is a completion only for an explicit
 * task ("finish task 3"); "Finish the slides" is a new task like any other imperative.
 */
const DONE = '(?:done|complete[d]?|finished|checked\\s+off|ticked\\s+off)';
const PATTERNS = [
  new RegExp(`^\\s*mark\\s+(.+?)\\s+(?:as\\s+)?${DONE}\\s*[.!]*$`, 'i'),
  /^\s*(?:check|tick|cross)\s+off\s+(.+)$/i,
  /^\s*(?:check|tick|cross)\s+(.+?)\s+off\s*[.!]*$/i,
  /^\s*(?:i(?:'ve|\s+have)?\s+(?:just\s+|already\s+)?|just\s+)?(?:finished|completed)(?:\s*[:–-])?\s+(?:with\s+)?(.+)$/i,
  /^\s*i\s+(?:just\s+|already\s+)?did\s+(.+)$/i,
  // "I bought the milk", "I paid the rent": the thing done names the task ("Buy milk", "Pay rent").
  /^\s*i(?:'ve|\s+have)?\s+(?:just\s+|already\s+|finally\s+)?(?:bought|paid|called|rang|sent|booked|emailed|texted|fixed|cleaned|returned|submitted|renewed|picked\s+up|posted|mailed)\s+(.+)$/i,
  /^\s*(?:(?:i'm|i\s+am|i'm\s+all|we're)\s+)?done\s*(?:with|:|-)\s*(.+)$/i,
  new RegExp(`^\\s*(.+?)\\s+(?:is|are)\\s+(?:now\\s+)?${DONE}\\s*[.!]*$`, 'i'),
  new RegExp(`^\\s*(it|that|this(?:\\s+one)?)'s\\s+(?:now\\s+)?${DONE}\\s*[.!]*$`, 'i'),
];
const EXPLICIT_ONLY = /^\s*(?:complete|finish|close|resolve)\s+(.+)$/i;

export const readCompleteTask: Intent = (message) => {
  const phrase =
    PATTERNS.map((pattern) => pattern.exec(message.text)?.[1]).find((found) => found !== undefined) ??
    explicitPhrase(EXPLICIT_ONLY, message);
  return phrase === undefined ? undefined : callOnTask('complete_task', phrase, message, 'mark as done');
};
