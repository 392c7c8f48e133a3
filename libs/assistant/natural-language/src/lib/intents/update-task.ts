import type { TaskReference } from '@todo/assistant-contract';
import { priorityNamed } from '../grammar/priority';
import { takeRecurrence } from '../grammar/recurrence';
import { isExplicitReference, namesTask, referenceFrom } from '../grammar/references';
import { tagsIn } from '../grammar/tags';
import { ask, callTool, type Intent, type Interpretation } from '../interpretation';
import type { Message } from '../message';
import { QUESTIONS } from '../questions';
import { unmaskQuotes } from '../text/quotes';
import { Utterance } from '../text/utterance';
import { DURATION } from '../when/durations';
import { type FieldChanges, hasChanges, type NamedPart, readFieldChanges } from './field-changes';

/**
 * Changes to one task, sending only the fields that change:
 * - "rename task 2 to pay the bill", "change task 1 to 'Call mom'" (the title as typed);
 * - "move/reschedule/postpone X to Friday at 3pm" (X may be any title: the new value must be a date);
 * - "make task 4 high priority", "set task 3 due tomorrow", "mark #2 as urgent", "task 3 is due Friday";
 * - "change the due date / priority / title / description / tags / repeat of X to Y";
 * - "clear/remove the due date of task 5" (null), "stop repeating task 3", "tag task 3 with #home"
 *   (tags are replaced: the contract has no "add a tag").
 * Verbs that are also everyday tasks ("make dinner", "set up the printer", "change the oil") change a
 * task only when it is named explicitly (number, quoted title or the word "task"). Shifting by an amount
 * ("postpone task 2 by a day") needs the current due, which the engine does not know: it asks.
 */
const FIELD =
  '(title|name|description|notes?|details|due\\s+date|due\\s+time|due|deadline|date|priority|tags?|labels?|recurrence|repeat|repetition|schedule)';
const FIELD_KINDS: Record<string, keyof FieldChanges> = {
  title: 'title',
  name: 'title',
  description: 'description',
  note: 'description',
  notes: 'description',
  details: 'description',
  due: 'due',
  deadline: 'due',
  date: 'due',
  priority: 'priority',
  tag: 'tags',
  tags: 'tags',
  label: 'tags',
  labels: 'tags',
  recurrence: 'recurrence',
  repeat: 'recurrence',
  repetition: 'recurrence',
  schedule: 'recurrence',
};
const fieldKind = (field: string) => FIELD_KINDS[field.toLowerCase().split(/\s+/)[0]];

const RENAME = /^\s*(?:rename|retitle)\s+(.+?)\s+(?:to|as|into)\s+(.+?)\s*$/i;
const FIELD_TO = new RegExp(
  `^\\s*(?:change|update|edit|set|modify|make)\\s+(?:the\\s+)?${FIELD}\\s+(?:of|for|on|in)\\s+(.+?)\\s+(?:to\\b|as\\b|:)\\s*(.+?)\\s*$`,
  'i',
);
const TASK_FIELD_TO = new RegExp(
  `^\\s*(?:change|update|edit|set|modify|make)\\s+(.+?)(?:'s)?\\s+${FIELD}\\s+(?:to\\b|as\\b|:)\\s*(.+?)\\s*$`,
  'i',
);
const CLEAR = new RegExp(
  `^\\s*(?:clear|remove|delete|drop|unset|erase|take\\s+off)\\s+(?:the\\s+)?${FIELD}\\s+(?:of|from|for|on|in)\\s+(.+?)\\s*[.!]*$`,
  'i',
);
const STOP_REPEATING = /^\s*(?:stop\s+repeating|don'?t\s+repeat|no\s+longer\s+repeat)\s+(.+?)\s*[.!]*$/i;
const REMOVE_ONE_TAG = /^\s*(?:remove|delete|drop)\s+(?:the\s+)?(?:tag|label)\s+\S+\s+(?:from|of|on)\s+/i;
const TAG = /^\s*(?:tag|label)\s+(.+?)\s+(?:with|as)\s+(.+?)\s*$/i;
const ADD_TAGS = /^\s*add\s+(?:the\s+)?(?:tags?|labels?)\s+(.+?)\s+to\s+(.+?)\s*$/i;
const UNTAG = /^\s*untag\s+(.+?)\s*$/i;
const PRIORITIZE = /^\s*(de)?priorit[iy][sz]e\s+(.+?)\s*$/i;
const DESCRIBE =
  /^\s*(?:add|set|put)\s+(?:a\s+|the\s+)?(?:description|note|notes)\s+(?:to|for|on)\s+(.+?)\s*(?::|saying)\s*(.+)$/i;
const SHIFT = new RegExp(
  `^\\s*(?:postpone|push(?:\\s+back)?|delay|defer|move|shift|bump)\\s+(.+?)\\s+(?:back\\s+|forward\\s+|out\\s+)?(?:by\\s+)?${DURATION}(?:\\s+(?:later|earlier|back|forward))?\\s*[.!]*$`,
  'iu',
);
const RESCHEDULE_ALONE = /^\s*(?:postpone|reschedule|delay|defer|push\s+back)\s+(.+?)\s*[.!]*$/i;
/**
 * "move X to Y": X may be any title when the verb only moves and Y is a date ("move the dentist
 * appointment to Friday"); "change/set X to Y" needs an explicit X, and renames it when Y is no field.
 */
const MOVE =
  /^\s*(move|reschedule|postpone|push(?:\s+back)?|defer|delay|shift|bump|change|update|set|make)\s+(.+)$/i;
const MOVING_VERBS = /^(?:move|reschedule|postpone|push|defer|delay|shift|bump)/i;
const MOVING_TO = /^\s+(?:to|until|till)\s+$/i;
const RENAMING_VERBS = /^(?:change|update|set|make)$/i;
const MOVE_SPLIT = /\s+(?:to|until|till|for|on)\s+/gi;
const MAKE = /^\s*(?:make|set|mark|flag|change|turn|update)\s+(.+)$/i;
const IS = /^\s*((?:task\s*(?:number\s*)?#?\s*\d+)|#\d+)\s+(?:is|should\s+be)\s+(?:now\s+)?(.+?)\s*$/i;
const NONE = /^\s*(?:none|nothing|never|no\s+\w+|not\s+\w+)\s*$/i;

export const readUpdateTask: Intent = (message) => {
  const { text } = message;
  const rename = RENAME.exec(text);
  if (rename) return update(rename[1], { title: verbatim(rename[2], message) }, message);
  const fieldTo = FIELD_TO.exec(text);
  if (fieldTo) return setField(fieldKind(fieldTo[1]), fieldTo[2], fieldTo[3], message);
  const taskFieldTo = TASK_FIELD_TO.exec(text);
  if (taskFieldTo) return setField(fieldKind(taskFieldTo[2]), taskFieldTo[1], taskFieldTo[3], message);
  const clear = CLEAR.exec(text);
  if (clear) return clearField(fieldKind(clear[1]), clear[2], message);
  const stop = STOP_REPEATING.exec(text);
  if (stop) return update(stop[1], { recurrence: null }, message);
  if (REMOVE_ONE_TAG.test(text)) return ask(QUESTIONS.tagChange);
  const tag = TAG.exec(text);
  if (tag) return setField('tags', tag[1], tag[2], message);
  const addTags = ADD_TAGS.exec(text);
  if (addTags) return setField('tags', addTags[2], addTags[1], message);
  const untag = UNTAG.exec(text);
  if (untag) return update(untag[1], { tags: [] }, message);
  const prioritize = PRIORITIZE.exec(text);
  if (prioritize) return update(prioritize[2], { priority: prioritize[1] ? 'low' : 'high' }, message);
  const describe = DESCRIBE.exec(text);
  if (describe) return update(describe[1], { description: verbatim(describe[2], message) }, message);
  const shift = SHIFT.exec(text);
  if (shift && isExplicitReference(shift[1])) return ask(QUESTIONS.newDue);
  return moved(message) ?? made(message) ?? stated(message) ?? rescheduledWithoutDate(message);
};

/** "move X to <date>", trying each "to" so that titles may contain one ("move go to gym to Friday"). */
function moved(message: Message): Interpretation | undefined {
  const match = MOVE.exec(message.text);
  if (!match) return undefined;
  const [, verb, phrase] = match;
  for (const split of phrase.matchAll(MOVE_SPLIT)) {
    const target = phrase.slice(0, split.index);
    const value = phrase.slice(split.index + split[0].length);
    const explicit = namesTask(target, message);
    if (!explicit && !(MOVING_VERBS.test(verb) && MOVING_TO.test(split[0]))) continue;
    const { changes, rest, named } = readFieldChanges(value, message);
    if (hasChanges(changes) && !rest) return update(target, changes, message, named);
    if (explicit && RENAMING_VERBS.test(verb) && value.trim())
      return update(target, { title: verbatim(value, message) }, message);
  }
  return undefined;
}

/** "make task 4 high priority", "mark #2 as urgent", "set task 3 due tomorrow". */
function made(message: Message): Interpretation | undefined {
  const match = MAKE.exec(message.text);
  if (!match) return undefined;
  const { changes, rest, named } = readFieldChanges(match[1], message);
  return hasChanges(changes) && namesTask(rest, message) ? update(rest, changes, message, named) : undefined;
}

/** "task 3 is due Friday", "#2 is urgent". */
function stated(message: Message): Interpretation | undefined {
  const match = IS.exec(message.text);
  if (!match) return undefined;
  const { changes, rest } = readFieldChanges(match[2], message);
  return hasChanges(changes) && !rest ? update(match[1], changes, message) : undefined;
}

function rescheduledWithoutDate(message: Message): Interpretation | undefined {
  const match = RESCHEDULE_ALONE.exec(message.text);
  return match && isExplicitReference(match[1]) ? ask(QUESTIONS.newDue) : undefined;
}

function setField(kind: keyof FieldChanges, target: string, value: string, message: Message): Interpretation {
  if (kind === 'title' || kind === 'description')
    return update(target, { [kind]: verbatim(value, message) }, message);
  if (NONE.test(value)) return clearField(kind, target, message);
  if (kind === 'tags') {
    const tags = tagsIn(value);
    return tags.length ? update(target, { tags }, message) : ask(QUESTIONS.tagChange);
  }
  if (kind === 'priority') {
    const priority = priorityNamed(value) ?? readFieldChanges(value, message).changes.priority;
    return priority ? update(target, { priority }, message) : ask(QUESTIONS.whatToChange);
  }
  if (kind === 'recurrence') {
    const recurrence = takeRecurrence(new Utterance(value))?.recurrence;
    return recurrence ? update(target, { recurrence }, message) : ask(QUESTIONS.whatToChange);
  }
  const { changes, rest } = readFieldChanges(value, message);
  return changes.due && !rest ? update(target, { due: changes.due }, message) : ask(QUESTIONS.newDue);
}

function clearField(kind: keyof FieldChanges, target: string, message: Message): Interpretation {
  const cleared: Record<keyof FieldChanges, FieldChanges | undefined> = {
    title: undefined,
    description: { description: null },
    due: { due: null },
    priority: { priority: 'none' },
    tags: { tags: [] },
    recurrence: { recurrence: null },
  };
  const changes = cleared[kind];
  return changes ? update(target, changes, message) : ask(QUESTIONS.whatToChange);
}

function update(target: string, changes: FieldChanges, message: Message, named?: NamedPart): Interpretation {
  const task: TaskReference | undefined = referenceFrom(target, message);
  if (!task) return ask(QUESTIONS.whichTask('change'));
  const shown =
    'number' in task ? message.focus?.tasks.find(({ number }) => number === task.number) : undefined;
  return callTool('update_task', { task, ...changes, due: keptHalf(changes.due, shown?.due, named) });
}

/**
 * A task the conversation just showed keeps the half of its due that the change did not name: "make
 * that 6pm" stays on its day, "move it to friday" keeps its time.
 */
function keptHalf(due: string | null | undefined, current: string | null | undefined, named: NamedPart) {
  if (!due || !current) return due;
  if (named === 'time') return `${current.slice(0, 10)}${due.slice(10)}`;
  if (named === 'date' && current.length > 10) return `${due}${current.slice(10)}`;
  return due;
}

/** A new title or description exactly as typed (a value that is only a quote loses its quotes). */
function verbatim(value: string, message: Message): string {
  return unmaskQuotes(value.trim().replace(/[.!]+$/, ''), message.quotes);
}
