import { ValidationError } from '@todo/errors';
import {
  decodeJsonCursor,
  encodeJsonCursor,
  hasStorableYear,
  isStorableText,
  isUuid,
} from '@todo/validation';
import { z } from 'zod';
import { rangeEndExclusive, rangeStart } from './due';
import { PRIORITIES, TASK_LIMITS } from './task';
import { TASK_COLUMNS } from './task-row';
import type { TaskQuery, TaskSort } from './task.schemas';

interface SortKey {
  /** SQL expression the rows are ordered by; an index exists for each (see the migration). */
  expression: (direction: 'asc' | 'desc') => string;
  /** Type to cast the cursor's text back to, so comparisons are exact. */
  type: string;
  /** Whether a cursor's key is text this type accepts (a forged one must not reach the cast). */
  isKey: (text: string) => boolean;
  defaultOrder: 'asc' | 'desc';
}

// PostgreSQL's text form of a timestamptz (DateStyle ISO): "2026-11-24 17:00:00.123456+00" or "+05:30".
const TIMESTAMPTZ_TEXT =
  /^(\d{4})-(\d{2})-(\d{2}) ([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d{1,6})?[+-](0\d|1[0-5])(:[0-5]\d){0,2}$/;

/** A timestamptz text of a real calendar day in the storable years. */
function isTimestampKey(text: string): boolean {
  const match = TIMESTAMPTZ_TEXT.exec(text);
  if (!match || !hasStorableYear(text)) return false;
  const [year, month, day] = match.slice(1, 4).map(Number);
  const probe = new Date(Date.UTC(year, month - 1, day));
  return probe.getUTCMonth() === month - 1 && probe.getUTCDate() === day;
}

const REAL_TEXT = /^-?(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?$/i;
const MAX_REAL = 3.4e38;

const SORT_KEYS: Record<TaskSort, SortKey> = {
  // Tasks without a due date come last in both directions.
  due: {
    expression: (dir) => `coalesce(t.due_at, '${dir === 'asc' ? '' : '-'}infinity'::timestamptz)`,
    type: 'timestamptz',
    isKey: (text) => text === 'infinity' || text === '-infinity' || isTimestampKey(text),
    defaultOrder: 'asc',
  },
  priority: {
    expression: () => 't.priority',
    type: 'smallint',
    isKey: (text) => /^\d$/.test(text) && Number(text) < PRIORITIES.length,
    defaultOrder: 'desc',
  },
  title: { expression: () => 'lower(t.title)', type: 'text', isKey: isStorableText, defaultOrder: 'asc' },
  created: {
    expression: () => 't.created_at',
    type: 'timestamptz',
    isKey: isTimestampKey,
    defaultOrder: 'desc',
  },
  updated: {
    expression: () => 't.updated_at',
    type: 'timestamptz',
    isKey: isTimestampKey,
    defaultOrder: 'desc',
  },
  // ts_rank weighs each word's occurrences (title above description) as ts_rank_cd did, with less CPU
  // per row; every match of the owner is ranked (~0.1–0.2 ms less a keyword search at a million tasks).
  relevance: {
    expression: () => 'ts_rank(t.search, query.q)',
    type: 'real',
    isKey: (text) => REAL_TEXT.test(text) && Math.abs(Number(text)) <= MAX_REAL,
    defaultOrder: 'desc',
  },
};

/** Opaque page cursor: the last row's sort key (as exact text) and id, bound to the sort it came from. */
interface Cursor {
  sort: TaskSort;
  order: 'asc' | 'desc';
  key: string;
  id: string;
}

export function encodeCursor(cursor: Cursor): string {
  return encodeJsonCursor([cursor.sort, cursor.order, cursor.key, cursor.id]);
}

function decodeCursor(text: string, sort: TaskSort, order: 'asc' | 'desc'): Cursor {
  const schema = z.tuple([
    z.literal(sort),
    z.literal(order),
    z.string().refine(SORT_KEYS[sort].isKey),
    z.string().refine(isUuid),
  ]);
  const decoded = decodeJsonCursor(text, schema);
  if (decoded) return { sort, order, key: decoded[2], id: decoded[3].toLowerCase() };
  throw new ValidationError([
    { path: 'cursor', message: 'is not a cursor from a previous page of this same sort and order' },
  ]);
}

/** The words of a search as they are matched: letters and digits, lower case, the first few. */
export function searchWords(text: string): string[] {
  const words =
    text
      .normalize('NFKC')
      .toLowerCase()
      .match(/[\p{L}\p{N}]+/gu) ?? [];
  if (!words.length)
    throw new ValidationError([{ path: 'q', message: 'must contain at least one letter or digit' }]);
  return words.slice(0, TASK_LIMITS.searchWords);
}

/** Full-text query: every word must match as a prefix ("buy gro" finds "Buy groceries"). */
export function toPrefixQuery(words: readonly string[]): string {
  return words.map((word) => `${word}:*`).join(' & ');
}

/** The owner-keyed tags and due week of a task, as its GIN index holds them (migration DueWeekFilterKeys). */
const FILTER_KEYS = 'task_filter_keys(t.owner_id, t.tags, t.due_at)';
/** Due ranges up to eight weeks long are looked up by their weeks' keys too (nine keys at most). */
const WEEK_KEYED_RANGE_MS = 8 * 7 * 86_400_000;

interface ListSql {
  text: string;
  values: unknown[];
  sort: TaskSort;
  order: 'asc' | 'desc';
  /**
   * No keyword, tag, priority or due range: one generic plan fits every owner (worth preparing, which
   * takes parsing and planning off every request: ~0.5 ms of PostgreSQL's CPU for an overdue list at
   * a million tasks). The statement's text then depends only on status, has_due, overdue, cursor,
   * sort and order: at most 432 statements stay prepared on each connection.
   */
  plain: boolean;
}

/** Builds the one SQL statement behind list, filter, search and paging; always scoped to the owner. */
export function buildListQuery(ownerId: string, timeZone: string, query: TaskQuery): ListSql {
  const values: unknown[] = [ownerId];
  const param = (value: unknown) => `$${values.push(value)}`;
  const where = ['t.owner_id = $1'];
  const sort: TaskSort = query.sort ?? (query.q ? 'relevance' : 'due');
  const key = SORT_KEYS[sort];
  const order = query.order ?? key.defaultOrder;
  let from = 'tasks t';

  if (query.q) {
    const words = searchWords(query.q);
    from = `tasks t, to_tsquery('simple', ${param(toPrefixQuery(words))}) AS query(q)`;
    // The owner-keyed index finds candidates (migration OwnerKeyedSearchIndexes); `search` decides
    // the match, as it decides the rank.
    where.push(
      `task_search_keys(t.owner_id, t.search) @@ task_search_keys_query($1, to_tsvector('simple', ${param(words.join(' '))}))`,
      't.search @@ query.q',
    );
  }
  if (query.status !== 'all') where.push(`t.status = ${param(query.status)}`);
  if (query.priority)
    where.push(`t.priority = ANY(${param(query.priority.map((p) => PRIORITIES.indexOf(p)))}::smallint[])`);
  const dueFrom = query.due_from === undefined ? undefined : rangeStart(query.due_from, timeZone);
  const dueTo = query.due_to === undefined ? undefined : rangeEndExclusive(query.due_to, timeZone);
  const dueBounds = { from: dueFrom && param(dueFrom), to: dueTo && param(dueTo) };
  const dueRange = dueBounds.from !== undefined || dueBounds.to !== undefined;
  if (query.tags) {
    // Exactly the tag condition, on the owner-keyed tags the index holds; with a short due range,
    // also its weeks' keys: one index scan then keeps only the tagged tasks due in those weeks
    // (migration DueWeekFilterKeys). A long range holds most tagged tasks anyway.
    const operator = query.tag_match === 'all' ? '@>' : '&&';
    where.push(`${FILTER_KEYS} ${operator} task_tag_keys($1, ${param(query.tags)}::text[])`);
    if (dueFrom && dueTo && dueTo.getTime() - dueFrom.getTime() <= WEEK_KEYED_RANGE_MS)
      where.push(`${FILTER_KEYS} && task_due_week_keys($1, ${dueBounds.from}, ${dueBounds.to})`);
  }
  if (dueRange) {
    // On the due index's key, both ends bounded: a task without a due date sorts at ±infinity there,
    // outside every range. Its own index (by the sort's direction) then reads just the range.
    const dueKey = SORT_KEYS.due.expression(sort === 'due' ? order : 'asc');
    where.push(
      `${dueKey} ${dueBounds.from ? `>= ${dueBounds.from}` : `> '-infinity'`}`,
      `${dueKey} ${dueBounds.to ? `< ${dueBounds.to}` : `< 'infinity'`}`,
    );
  }
  if (query.has_due !== undefined) where.push(query.has_due ? 't.due_at IS NOT NULL' : 't.due_at IS NULL');
  if (query.overdue !== undefined) {
    where.push(
      query.overdue
        ? `t.status = 'pending' AND t.overdue_at <= now()`
        : `(t.status = 'pending' AND t.overdue_at <= now()) IS NOT TRUE`,
    );
  }

  const plain = !query.q && !query.tags && !query.priority && !dueRange;
  const sortExpression = key.expression(order);
  if (query.cursor) {
    const cursor = decodeCursor(query.cursor, sort, order);
    const comparison = order === 'asc' ? '>' : '<';
    where.push(
      `(${sortExpression}, t.id) ${comparison} (${param(cursor.key)}::${key.type}, ${param(cursor.id)}::uuid)`,
    );
  }
  const text = `SELECT ${TASK_COLUMNS}, (${sortExpression})::text AS sort_key
    FROM ${from}
    WHERE ${where.join(' AND ')}
    ORDER BY ${sortExpression} ${order}, t.id ${order}
    LIMIT ${param(query.limit + 1)}`;
  return { text, values, sort, order, plain };
}
