import { ask, callTool, type Interpretation } from '../interpretation';
import type { Message } from '../message';
import { readItems } from '../grammar/items';
import { firstOccurrence, takeRecurrence } from '../grammar/recurrence';
import { takePriority } from '../grammar/priority';
import { type ReminderPhrase, takeReminders } from '../grammar/reminders';
import { takeHashtags, takeNamedTags } from '../grammar/tags';
import { Clarification, QUESTIONS } from '../questions';
import { startsWithQuote, unmaskQuotes } from '../text/quotes';
import { Utterance } from '../text/utterance';
import { takeWhen } from '../when/when';
import { wallTimeFrom } from '../when/when-parts';

/**
 * Anything that is not another request is a new task ("Fix the light on the 2nd floor"). Command words
 * are not title; neither are the date, repeat, priority, tag and reminder phrases. "Remind me to X
 * <when>" is X due <when> with a reminder at that moment.
 */
const REMIND_COMMAND =
  /^\s*(?:remind\s+me\b|(?:add|create|set)\s+(?:a\s+)?reminder\b(?=\s+(?:to|that)\b))(?:\s+(?:to|that)\b)?/i;
const COMMANDS = [
  /^\s*(?:add|create|make|new|put)\s+(?:a\s+|an\s+)?(?:new\s+)?(?:task|todo|to-do|item|reminder)\b\s*(?:(?:to|for|called|named|titled|that\s+says)\b|:)?/i,
  /^\s*(?:add|create|new)\s*:?\s+/i,
  /^\s*(?:task|todo|to-do)\s*:/i,
  /^\s*(?:i\s+)?(?:need|have|want|got)\s+to\s+(?:remember\s+to\s+)?/i,
  /^\s*(?:i\s+)?(?:must|should|gotta)\s+(?:remember\s+to\s+)?/i,
  /^\s*(?:(?:don'?t|do\s+not)\s+(?:let\s+me\s+)?forget|remember)\s+(?:to|about)\s+/i,
  /^\s*(?:jot|write|note|put)\s+down\s*[:,–-]?\s+(?:to\s+)?/i,
  /^\s*note\s+to\s+self\s*[:,–-]?\s*/i,
  /^\s*pencil\s+in\s+(?:(?:an?|the)\s+)?/i,
];
/**
 * "schedule a haircut for Saturday": with a date, "schedule" is a command word and the task is the
 * haircut; without one ("schedule a haircut") arranging it is the task, and the word stays.
 */
const SCHEDULE_COMMAND = /^\s*schedule\s+(?:(?:an?|the)\s+)?/i;
/** Where a list phrase may end: the message, punctuation, or the date or repeat that follows it. */
const LIST_END = `(?=\\s*(?:$|[,.;!?]|(?:for|by|on|at|due|tomorrow|today|tonight|next|this|every|remind)\\b))`;
/** "to the shopping list", "on our grocery list": lists are tags here. */
const NAMED_LIST = new RegExp(
  `\\s+(?:to|on|onto)\\s+(?:my|the|our)\\s+(?!(?:task|todo|to-do)\\s)(\\p{L}[\\p{L}\\p{N}_-]*)\\s+list${LIST_END}`,
  'iu',
);
const LIST_SUFFIX = new RegExp(
  `\\s*(?:as\\s+an?\\s+(?:new\\s+)?(?:task|todo|to-do)|(?:to|on|onto)\\s+(?:my|the|our)\\s+(?:(?:task|todo|to-do)\\s+)?list|to\\s+(?:my\\s+)?(?:tasks|todos|to-dos))${LIST_END}`,
  'i',
);
/** "put milk on my list", "stick the dentist on the list for friday": the verb goes with the list. */
const LIST_VERB = /^\s*(?:put|stick|pop|throw|add|get)\s+(?:(?:an?|the)\s+)?/i;
/** Not understood: a question that no other intent answered is no task to add. */
const QUESTION = /\?\s*$|^\s*(?:who|why|how|where|when|is|are|could|would|what|which)\b/i;

export function readAddTask(message: Message): Interpretation {
  if (QUESTION.test(message.text)) return ask(QUESTIONS.notUnderstood);
  const utterance = new Utterance(message.text);
  const remindAtDue = Boolean(utterance.takeMatch(REMIND_COMMAND));
  const onList = utterance.takeMatch(LIST_SUFFIX);
  const list = utterance.takeMatch(NAMED_LIST)?.[1].toLowerCase();
  if (onList || list) utterance.takeMatch(LIST_VERB);
  if (!remindAtDue) COMMANDS.some((command) => utterance.takeMatch(command));
  const schedule = SCHEDULE_COMMAND.exec(utterance.view);

  const tags = takeHashtags(utterance);
  if (list && !tags.includes(list)) tags.push(list);
  const reminders = takeReminders(utterance, message.clock);
  const repeat = takeRecurrence(utterance);
  const priority = takePriority(utterance, 'title');
  const when = takeWhen(utterance, message.clock);
  tags.push(...takeNamedTags(utterance).filter((tag) => !tags.includes(tag)));
  if (schedule && (when || repeat)) utterance.take(schedule.index, schedule.index + schedule[0].length);

  const rest = utterance.rest();
  const items = readItems(rest, Boolean(onList) || tags.length > 0);
  if (items?.kind === 'ask')
    return ask(QUESTIONS.oneOrMany(items.items.map((item) => unmaskQuotes(item, message.quotes))));
  if (items?.tag && !tags.includes(items.tag)) tags.push(items.tag);
  const titles = items ? items.items.map((item) => titleOf(item, message)) : [titleOf(rest, message)];
  const [title] = titles;
  if (!title) return ask(QUESTIONS.title);
  const start = { date: when?.date, time: when?.time ?? repeat?.time };
  const due = repeat
    ? firstOccurrence(repeat.recurrence.rrule, start, message.clock)
    : wallTimeFrom(start, message.clock);
  if (remindAtDue && !reminders.length) reminders.push({ before: 'PT0S' });
  if (remindAtDue && !due) return ask(QUESTIONS.whenToRemind(title.charAt(0).toLowerCase() + title.slice(1)));
  const shared = {
    due,
    priority,
    tags: tags.length ? tags : undefined,
    recurrence: repeat?.recurrence,
    reminders: reminders.length ? reminders.map((reminder) => resolved(reminder, due, message)) : undefined,
  };
  return {
    tool_calls: titles.flatMap((each) => callTool('add_task', { title: each, ...shared }).tool_calls),
  };
}

/** The title as typed, first letter capitalised (a quoted title stays exactly as quoted). */
function titleOf(rest: string, message: Message): string {
  const title = unmaskQuotes(rest, message.quotes).trim();
  return startsWithQuote(rest) ? title : title.charAt(0).toUpperCase() + title.slice(1);
}

/** "before" needs a due; "at 4pm" without a date is on the due's day (or the next 4pm). */
function resolved(reminder: ReminderPhrase, due: string | undefined, message: Message) {
  if ('before' in reminder) {
    if (!due) throw new Clarification(QUESTIONS.dueForReminder);
    return reminder;
  }
  const onDueDay =
    reminder.at.date === undefined && due ? { ...reminder.at, date: due.slice(0, 10) } : reminder.at;
  return { at: wallTimeFrom(onDueDay, message.clock) };
}
