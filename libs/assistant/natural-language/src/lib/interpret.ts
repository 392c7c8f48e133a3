import { parseToolCall } from '@todo/assistant-contract';
import { readAddTask } from './intents/add-task';
import { readAnswer } from './intents/answer';
import { readCompleteTask } from './intents/complete-task';
import { readDeleteTask } from './intents/delete-task';
import { readHelp } from './intents/help';
import { readListTasks } from './intents/list-tasks';
import { readSetReminder } from './intents/set-reminder';
import { readUpdateTask } from './intents/update-task';
import { ask, type InterpretContext, type Intent, type Interpretation } from './interpretation';
import { readMessage } from './message';
import { Clarification } from './questions';
import { Clock } from './when/clock';

/**
 * The intents, first match wins. Order matters where phrasings overlap: listing before completing ("what
 * have I completed?"), updating before deleting ("remove the due date from task 5"). Any other statement
 * is a new task (readAddTask, last).
 */
const INTENTS: readonly Intent[] = [
  readAnswer,
  readHelp,
  readListTasks,
  readSetReminder,
  readCompleteTask,
  readUpdateTask,
  readDeleteTask,
];

/**
 * Turns one message into the tool calls it asks for, offline and without side effects, or into a
 * question when it is ambiguous or not understood. `context.now` is the user's wall clock;
 * `context.focus`, what the conversation was just about (follow-ups such as "delete the second one").
 * Throws a RangeError for a malformed `now` or an unknown zone.
 */
export function interpret(message: string, context: InterpretContext): Interpretation {
  const clock = Clock.at(context.now, context.timeZone);
  const read = readMessage(message, clock, context.focus);
  try {
    for (const intent of INTENTS) {
      const interpretation = intent(read);
      if (interpretation) return checked(interpretation);
    }
    return checked(readAddTask(read));
  } catch (error) {
    if (error instanceof Clarification) return ask(error.question);
    throw error;
  }
}

/** Every call must pass the contract's schema; a call that does not is a bug of this engine. */
function checked(interpretation: Interpretation): Interpretation {
  interpretation.tool_calls.forEach((call) => parseToolCall(call));
  return interpretation;
}
