import { referenceFrom } from '../grammar/references';
import { takeOffset } from '../grammar/reminders';
import { ask, callTool, type Intent } from '../interpretation';
import { QUESTIONS } from '../questions';
import { TAKEN, Utterance } from '../text/utterance';
import { takeWhen } from '../when/when';
import { wallTimeFrom } from '../when/when-parts';

/**
 * A reminder on an existing task: "remind me about task 2 tomorrow at 4pm" (at), "remind me 15 minutes
 * before the standup" (before its due), "set a reminder for #3 at 5pm", "ping me 10 minutes before the
 * call", "give me a heads-up an hour before the dentist". "Remind me to …" (and "remind me
 * tomorrow to call mom") creates a task instead (add-task.ts).
 */
const COMMAND =
  /^\s*(?:remind|ping|alert|notify|nudge|buzz|warn)\s+me\b|^\s*give\s+me\s+an?\s+(?:heads[\s-]?up|nudge|ping|shout)\b|^\s*(?:set|add|create|schedule|put)\s+(?:a\s+|an\s+)?(?:reminder|alert|notification)\b/i;
const NEW_TASK =
  /^\s*(?:remind\s+me|(?:set|add|create)\s+(?:a\s+)?reminder)\s+(?:to|that)\b(?!\s+(?:task\b|#\s*\d|number\b))/i;
const ABOUT = /^(?:(?:about|of|for|on|re|regarding|to|that|me)\s+)+/i;
const NAMES_A_TASK = /^(?:about|of|for|on|re|regarding)\b/i;
const TO_DO_SOMETHING = new RegExp(`(?:^|[\\s${TAKEN}])to\\s+(?!task\\b|#\\s*\\d|number\\b)`, 'i');

export const readSetReminder: Intent = (message) => {
  if (NEW_TASK.test(message.text)) return undefined;
  const utterance = new Utterance(message.text);
  if (!utterance.takeMatch(COMMAND)) return undefined;
  const before = takeOffset(utterance);
  const when = before ? undefined : takeWhen(utterance, message.clock);
  const rest = utterance.rest();
  // "remind me tomorrow at 9 to call mom": a new task with a reminder.
  if (!before && !NAMES_A_TASK.test(rest) && TO_DO_SOMETHING.test(utterance.view)) return undefined;
  const task = referenceFrom(rest.replace(ABOUT, ''), message);
  if (!task) return ask(QUESTIONS.remindAbout);
  if (!before && !when) return ask(QUESTIONS.whenToRemind(''));
  return callTool('set_reminder', { task, before, at: when && wallTimeFrom(when, message.clock) });
};
