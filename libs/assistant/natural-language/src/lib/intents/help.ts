import { ask, type Intent } from '../interpretation';
import { QUESTIONS } from '../questions';

/** Greetings, thanks and "help": answered with what the assistant can do; a bare "yes" or "undo" is not understood. */
const SMALL_TALK =
  /^(?:hi|hello|hey|hiya|yo|howdy|good\s+(?:morning|afternoon|evening)|help|help me|\?+|what can you do|what do you do|how does this work|how do i use this|who are you|thanks|thank you|ok|okay|cool|test)?[\s!.?]*$/i;

/** Replies and commands that make sense only in a conversation (this engine reads one message). */
const NO_TASK = /^(?:undo|redo|cancel|stop|never\s*mind|yes|yep|yeah|no|nope|sure|am|pm)[\s!.?]*$/i;

export const readHelp: Intent = (message) => {
  if (SMALL_TALK.test(message.text)) return ask(QUESTIONS.help);
  return NO_TASK.test(message.text) ? ask(QUESTIONS.notUnderstood) : undefined;
};
