import type { LIST_SORTS } from '@todo/assistant-contract';
import { callTool, type Intent } from '../interpretation';
import type { Message } from '../message';
import { takePriority } from '../grammar/priority';
import { takeHashtags, takeNamedTags } from '../grammar/tags';
import { COUNT, countOf } from '../text/numbers';
import { unmaskQuotes } from '../text/quotes';
import { TAKEN, Utterance } from '../text/utterance';
import { addDays, addMonths, type Clock, firstOfMonth, lastOfMonth, mondayOf } from '../when/clock';
import { takeWhen } from '../when/when';
import { wallTimeFrom } from '../when/when-parts';

/**
 * Listing and searching: "show me all my tasks", "what's pending?", "what's due this week?", "overdue",
 * "high priority tasks", "tasks tagged work", "my work tasks", "find tasks about the dentist", "sorted by
 * due date". Status is "pending" unless the user asks for completed or all tasks; "this week" is Monday
 * to Sunday; sort order is ascending for due/title, descending for priority/created unless said.
 */
const SHOW = /^\s*(?:show|list|display)\b(?:\s+me)?/i;
/** Questions about the list ("what's due…", "any…") must also mention tasks, dates or a filter. */
const ASK_QUESTION =
  /^\s*(?:what(?:'s|s)?|which|how\s+many|any|anything|do\s+i\s+have|have\s+i|is\s+there|are\s+there)\b/i;
/** Other verbs ("get", "see") are everyday tasks too ("See the doctor tomorrow"): they must name the list. */
const ASK_VERB =
  /^\s*(?:get|give\s+me|tell\s+me|let\s+me\s+see|see|view|pull\s+up|bring\s+up)\b(?=(?:\s+(?:me|my|all|the|of))*\s+(?:tasks|to-?dos|to-?do\s+list|list|agenda)\b)/i;
const SEARCH =
  /^\s*(?:search|look)\b(?:\s+(?:for|up)\b)?|^\s*find\b(?=\s+(?:all\s+|my\s+|the\s+)?(?:tasks|todos|to-dos|everything|anything)\b)/i;
const BARE = /^\s*(?:my\s+)?(?:tasks|to-?dos|to-?do\s+list|agenda)\s*[?.!]*$/i;
/** Words that make a question ("what…", "any…") a question about the task list. */
const ABOUT_TASKS =
  /\b(?:tasks?|to-?dos?|pending|completed?|done|finish(?:ed)?|due|overdue|late|left|open|remaining|upcoming|agenda|priority|urgent|important|tagged|today|tomorrow|tonight|week|month|scheduled|to\s+do|on\s+my\s+(?:list|plate))\b|#/i;

const SORT_KEYS: Record<string, (typeof LIST_SORTS)[number]> = {
  due: 'due',
  deadline: 'due',
  date: 'due',
  priority: 'priority',
  importance: 'priority',
  title: 'title',
  name: 'title',
  alphabetically: 'title',
  created: 'created',
  creation: 'created',
  age: 'created',
};
const SORT_BY =
  /\b(?:sort(?:ed)?|order(?:ed)?|arranged?|list(?:ed)?)\s+(?:them\s+)?(?:by\s+)?(?:the\s+)?(due|deadline|date|priority|importance|title|name|created|creation|age)\b(?:\s+(?:date|created))?|\bby\s+(priority|due\s+date|deadline|title|name)\s*[?.!]*$|\b(alphabetically)\b/i;
const FIRST: Record<string, { sort: 'due' | 'priority' | 'created'; order: 'asc' | 'desc' }> = {
  newest: { sort: 'created', order: 'desc' },
  latest: { sort: 'created', order: 'desc' },
  'most recent': { sort: 'created', order: 'desc' },
  oldest: { sort: 'created', order: 'asc' },
  earliest: { sort: 'due', order: 'asc' },
  soonest: { sort: 'due', order: 'asc' },
  'most urgent': { sort: 'priority', order: 'desc' },
  'most important': { sort: 'priority', order: 'desc' },
  'highest priority': { sort: 'priority', order: 'desc' },
  'lowest priority': { sort: 'priority', order: 'asc' },
};
const SORT_FIRST = new RegExp(`\\b(${Object.keys(FIRST).join('|').replace(/ /g, '\\s+')})\\s+first\\b`, 'i');
const ORDER = /\b(?:in\s+)?(asc(?:ending)?|desc(?:ending)?|reverse[d]?)(?:\s+order)?\b/i;

const ALL_STATUSES =
  /\b(?:(?:including|incl\.?|plus|and)\s+(?:the\s+)?(?:completed|done|finished)(?:\s+ones)?|both)\b/i;
const COMPLETED =
  /\b(?:completed|done|finished|closed|ticked\s+off|checked\s+off)\b|\b(?:did|have)\s+i\s+(?:do|done|finish(?:ed)?|complete[d]?)\b/i;
const ALL = /\b(?:all|every|everything)\b/i;
const PENDING =
  /\b(?:pending|open|incomplete|unfinished|remaining|left|to\s+do|outstanding|active|not\s+done)\b/i;
const OVERDUE = /\b(?:overdue|late|past\s+due|missed)\b/i;

const RANGES: readonly (readonly [RegExp, (match: RegExpExecArray, clock: Clock) => [string, string]])[] = [
  [
    /\b(?:due\s+)?(this|next)\s+(week|month)\b/i,
    ([, which, period], clock) => {
      const shift = which.toLowerCase() === 'next' ? 1 : 0;
      if (period.toLowerCase() === 'week') {
        const monday = addDays(mondayOf(clock.today), 7 * shift);
        return [monday, addDays(monday, 6)];
      }
      const month = addMonths(firstOfMonth(clock.today), shift);
      return [month, lastOfMonth(month)];
    },
  ],
  [
    /\b(?:due\s+)?(?:(this|next)\s+)?weekend\b/i,
    ([, which], clock) => {
      const saturday = addDays(mondayOf(clock.today), which?.toLowerCase() === 'next' ? 12 : 5);
      return [saturday, addDays(saturday, 1)];
    },
  ],
  [
    new RegExp(
      `\\b(?:due\\s+)?(?:in\\s+|over\\s+|within\\s+)?the\\s+(?:next|coming)\\s+(${COUNT})\\s+days\\b`,
      'i',
    ),
    ([, count], clock) => [clock.today, addDays(clock.today, countOf(count))],
  ],
];
/** "by Friday" / "before Friday" bound the due dates from above, "after Friday" from below. */
const BOUND = /\b(by|until|till|before|after|since|from)\s+/i;

const SEARCH_KEYWORD =
  /\b(?:about|containing|mentioning|matching|regarding|related\s+to|that\s+mentions?|with\s+the\s+words?|called|named|titled)\s+/i;
const TAG_BEFORE_TASKS = /\b(?:my|the|all)\s+(\p{L}[\p{L}\p{N}_-]*)\s+(?:tasks|to-?dos|items)\b/iu;
const NOT_A_TAG =
  /^(?:other|current|recent|new|old|latest|upcoming|next|last|first|few|many|own|whole|entire)$/i;
const SEARCH_FILLER =
  /^(?:(?:all|my|the|a|an)\s+)*(?:(?:tasks|todos|to-dos|items)\s+)?(?:(?:for|about|with|on)\s+)?(?:(?:the|a|an)\s+)?/i;

export const readListTasks: Intent = (message) => {
  const { text } = message;
  const searching = SEARCH.test(text);
  const isList =
    searching ||
    SHOW.test(text) ||
    BARE.test(text) ||
    ASK_VERB.test(text) ||
    (ASK_QUESTION.test(text) && ABOUT_TASKS.test(text));
  if (!isList) return undefined;
  const utterance = new Utterance(text);
  [SEARCH, SHOW, ASK_QUESTION, ASK_VERB].some((command) => utterance.takeMatch(command));

  const { sort, order } = takeSort(utterance);
  const status = takeStatus(utterance);
  const overdue = utterance.takeMatch(OVERDUE) ? true : undefined;
  const tags = takeHashtags(utterance);
  const priority = takePriority(utterance, 'anywhere');
  const [due_from, due_to] = takeDueRange(utterance, message.clock);
  tags.push(...takeNamedTags(utterance), ...takeTagBeforeTasks(utterance));
  const search = takeSearch(utterance, searching, message);

  return callTool('list_tasks', {
    status,
    priority,
    tags: tags.length ? [...new Set(tags)] : undefined,
    search,
    due_from,
    due_to,
    overdue,
    sort,
    order,
  });
};

function takeSort(utterance: Utterance): { sort?: string; order?: string } {
  const first = utterance.takeMatch(SORT_FIRST);
  if (first) return FIRST[first[1].toLowerCase().replace(/\s+/g, ' ')];
  const by = utterance.takeMatch(SORT_BY);
  if (!by) return {};
  const sort = SORT_KEYS[(by[1] ?? by[2] ?? by[3]).toLowerCase().split(/\s+/)[0]];
  const said = utterance.takeMatch(ORDER)?.[1].toLowerCase();
  const usual = sort === 'due' || sort === 'title' ? 'asc' : 'desc';
  if (!said) return { sort, order: usual };
  if (said.startsWith('rev')) return { sort, order: usual === 'asc' ? 'desc' : 'asc' };
  return { sort, order: said.startsWith('asc') ? 'asc' : 'desc' };
}

function takeStatus(utterance: Utterance): 'pending' | 'completed' | 'all' {
  if (utterance.takeMatch(ALL_STATUSES)) return 'all';
  const completed = utterance.takeMatch(COMPLETED);
  const all = utterance.takeMatch(ALL);
  utterance.takeMatch(PENDING);
  if (completed) return 'completed';
  return all ? 'all' : 'pending';
}

function takeDueRange(utterance: Utterance, clock: Clock): [string?, string?] {
  for (const [pattern, range] of RANGES) {
    const match = utterance.takeMatch(pattern);
    if (match) return range(match, clock);
  }
  const bound = BOUND.exec(utterance.view);
  const when = takeWhen(utterance, clock);
  const date = when && wallTimeFrom(when, clock)?.slice(0, 10);
  if (!date) return [];
  const boundWord = bound && utterance.view[bound.index] === TAKEN ? bound[1].toLowerCase() : undefined;
  if (boundWord === 'before') return [undefined, addDays(date, -1)];
  if (boundWord === 'after') return [addDays(date, 1), undefined];
  if (boundWord === 'since' || boundWord === 'from') return [date, undefined];
  if (boundWord) return [undefined, date];
  return [date, date];
}

/** "my work tasks": a word before "tasks" that is no other filter is a tag (as "List my work tasks"). */
function takeTagBeforeTasks(utterance: Utterance): string[] {
  const match = TAG_BEFORE_TASKS.exec(utterance.view);
  if (!match || NOT_A_TAG.test(match[1])) return [];
  utterance.take(match.index, match.index + match[0].length);
  return [match[1].toLowerCase()];
}

/** The words after "about" (or everything left after "search for"), up to the next taken phrase. */
function takeSearch(utterance: Utterance, searching: boolean, message: Message): string | undefined {
  const keyword = utterance.takeMatch(SEARCH_KEYWORD);
  if (!keyword && !searching) return undefined;
  const from = keyword ? keyword.index + keyword[0].length : 0;
  const words =
    utterance.view
      .slice(from)
      .split(TAKEN)
      .find((fragment) => fragment.trim()) ?? '';
  const search = unmaskQuotes(
    words
      .replace(/[?.!,;:\s]+$/, '')
      .trim()
      .replace(SEARCH_FILLER, ''),
    message.quotes,
  ).trim();
  return search || undefined;
}
