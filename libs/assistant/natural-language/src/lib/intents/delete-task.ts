import { ask, type Intent } from '../interpretation';
import { QUESTIONS } from '../questions';
import { numberedReferences } from '../grammar/references';
import { callOnTask, explicitPhrase } from './task-reference';

/**
 * "Delete task 7", "remove the meeting task", "trash #4". "Cancel/drop/scrap …" delete only an explicit
 * task ("cancel task 3"); "Cancel the gym membership" is a new task. Deleting several numbered tasks
 * ("delete tasks 2 and 4") is one call each; "delete all my tasks" is asked about. Removing a field ("remove the due date from task 5") is an update (update-task.ts runs first).
 */
const DELETE = /^\s*(?:delete|remove|erase|trash|bin)\s+(.+)$/i;
const EXPLICIT_ONLY = /^\s*(?:cancel|drop|scrap|discard|get\s+rid\s+of|forget(?:\s+about)?)\s+(.+)$/i;
/** There is no tool to remove a reminder; deleting the task instead would lose data. */
const REMINDER = /\breminders?\b/i;
const MANY = /^(?:all|every|everything|both)\b|^(?:my|the)\s+(?:tasks|todos|to-dos)\b|^(?:tasks|todos)\b/i;

export const readDeleteTask: Intent = (message) => {
  const phrase = DELETE.exec(message.text)?.[1] ?? explicitPhrase(EXPLICIT_ONLY, message);
  if (phrase === undefined) return undefined;
  if (MANY.test(phrase) && !numberedReferences(phrase)) return ask(QUESTIONS.oneAtATime('delete'));
  if (REMINDER.test(phrase)) return ask(QUESTIONS.reminderRemoval);
  return callOnTask('delete_task', phrase, message, 'delete');
};
