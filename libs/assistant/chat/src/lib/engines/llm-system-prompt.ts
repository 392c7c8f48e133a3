import type { ChatTurn } from './chat-engine';
import { focusOf } from './conversation-focus';

const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/**
 * The model's instructions: where and when the user is, the tasks the conversation is about (earlier
 * tool results reach the model without their data), and the argument conventions of the tools
 * (../shared/NL-CONVENTIONS.md) that the JSON Schemas alone do not say.
 */
export function llmSystemPrompt(context: {
  now: string;
  timeZone: string;
  history: readonly ChatTurn[];
}): string {
  return `You are the assistant of a todo app. You manage the signed-in user's tasks with the tools; they act for this user only.

Now: ${weekdayOf(context.now)} ${context.now} in the user's time zone ${context.timeZone}.
${inFocus(context.history)}
Tool arguments:
- Times are wall times in the user's zone: "YYYY-MM-DD" (all day) or "YYYY-MM-DDTHH:mm", never with an offset or "Z". Work out relative dates ("tomorrow", "next monday") from now; "this week" is Monday to Sunday.
- priority: low, medium, high or urgent (p1 = urgent, p2 = high, p3 = medium, p4 = low; "important" = high).
- tags: lowercase, without "#".
- recurrence: {"rrule": "<RFC 5545 RRULE without DTSTART>", "from": "due"}, or "from": "completion" when it repeats after completion ("every!"). The due date is the first occurrence at or after now.
- reminders: {"before": "<ISO 8601 duration before the due time>"} or {"at": "<wall time>"}. "Remind me to X at T" is a task X due T with {"before": "PT0S"}.
- A task is {"number": N} (the #N the user sees) or {"title": "<the user's words>"}. Never invent a task number: list the tasks first when you do not know it.
- Date-like words inside a title belong to the title ("Read The 5th Wave"); quoted text is the exact title.

When a request is ambiguous, ask one short question instead of guessing; never change tasks on a guess. When a tool answers with status "question", ask the user that question. Reply briefly, in the user's language, with the task numbers (#N) the tools reported.`;
}

/** "it", "that one", "the second one": the tasks the last answer showed, in its order. */
function inFocus(history: readonly ChatTurn[]): string {
  const tasks = focusOf(history)?.tasks ?? [];
  if (!tasks.length) return '';
  const shown = tasks.map(({ number, title, due }) => `#${number} ${title}${due ? ` (due ${due})` : ''}`);
  return `\nThe conversation is about these tasks, in the order last shown ("it", "that", "the second one" mean them): ${shown.join('; ')}.\n`;
}

/** The weekday of a wall time "YYYY-MM-DD…", which models often get wrong on their own. */
function weekdayOf(wallTime: string): string {
  const [year, month, day] = wallTime.slice(0, 10).split('-').map(Number);
  return WEEKDAYS[new Date(Date.UTC(year, month - 1, day)).getUTCDay()] ?? '';
}
