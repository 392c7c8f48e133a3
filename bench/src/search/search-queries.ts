import type { TaskSnapshot } from '@todo/events';
import { buildListQuery, encodeCursor, taskQuerySchema } from '@todo/tasks';
import { ApiClient } from '@todo/testing';
import { Client } from 'pg';
import { mapInBatches } from '../harness/batches';
import { timeZoneOf } from './explain';

const TASKS_PATH = '/api/v1/tasks';

/** A registered user (e.g. from `registerUsers` in the harness) and its bearer token. */
export interface SearchUser {
  id: string;
  token: string;
}

type QueryParams = Record<string, string>;

/** One concrete request: whose token, which query string. */
export interface PlannedRequest {
  user: SearchUser;
  params: QueryParams;
  path: string;
}

export interface QueryKind {
  id: 'keyword' | 'tag-due' | 'overdue' | 'deep-page';
  scenario: string;
  /** Every user's requests, interleaved (user 1, 2, …, U, then each user's next variant, …). */
  requests: PlannedRequest[];
}

interface TaskPageBody {
  items: TaskSnapshot[];
  next_cursor: string | null;
}

/** Words of titles that say nothing on their own; never used as search terms. */
const FILLER_WORDS = new Set(['the', 'for', 'with', 'at', 'up', 'on', 'about', 'and', 'to', 'project']);
const KEYWORDS_PER_USER = 6;
const TAG_RANGES_PER_USER = 3;
const PAGE_SIZE = 100;
const PARALLEL_USERS = 10;
/** Users whose deep cursor is found by paging over REST; the others' are made from the database. */
const PAGED_USERS = 3;

const pathOf = (params: QueryParams) => `${TASKS_PATH}?${new URLSearchParams(params)}`;

/**
 * Builds each query kind's requests from what every user can see through the API: keywords from
 * their own titles, tags and due ranges around their own tasks, the cursor to ~90% down their list,
 * so every request finds rows (a query that finds nothing measures nothing).
 *
 * The deep cursor comes from following `next_cursor` page by page. That is done for the first few
 * users only and the others' cursors are made the way `TaskService.list` makes
 * them (its own SQL and encoding, one query per user) — checked equal on the paged users — since
 * paging 90 pages for each of 100 users would take most of a minute.
 */
export async function planQueries(
  baseUrl: string,
  users: readonly SearchUser[],
  perUser: number,
  databaseUrl: string,
): Promise<QueryKind[]> {
  const api = new ApiClient(baseUrl);
  const get = async (user: SearchUser, params: QueryParams): Promise<TaskPageBody> => {
    const response = await api.request<TaskPageBody>('GET', pathOf(params), { token: user.token });
    if (response.status !== 200)
      throw new Error(`GET ${pathOf(params)}: ${response.status} ${JSON.stringify(response.body)}`);
    return response.body;
  };
  // Position of the deep page in the default sort: ~9,000 of 10,000 (90%), whole pages of 100.
  const deepPages = Math.max(1, Math.floor((perUser * 0.9) / PAGE_SIZE));
  const deepPosition = deepPages * PAGE_SIZE + 1;
  const pagedUsers = Math.min(PAGED_USERS, users.length);
  // Made while the API is asked for everything else.
  const derived = cursorsAfter(databaseUrl, users, deepPosition - 1);
  derived.catch(() => undefined); // reported where it is awaited

  /** Follows `next_cursor` for `deepPages` pages of the user's default list. */
  const pageTo = async (user: SearchUser, index: number): Promise<string> => {
    const params: QueryParams = { limit: String(PAGE_SIZE) };
    for (let page = 0; page < deepPages; page++) {
      const cursor = (await get(user, params)).next_cursor;
      if (!cursor) throw new Error(`user ${index + 1} has fewer than ${deepPosition} tasks to page through`);
      params['cursor'] = cursor;
    }
    return params['cursor'];
  };

  const perUserPlans = await mapInBatches(users, PARALLEL_USERS, async (user, index) => {
    const sample = (await get(user, { sort: 'created', limit: String(PAGE_SIZE) })).items;
    const paged = index < pagedUsers ? await pageTo(user, index) : undefined;
    const made = (await derived)[index];
    if (paged !== undefined && made !== undefined && paged !== made)
      throw new Error(
        `search bench: the cursor made from the database differs from paging's: ${made} ≠ ${paged}`,
      );
    const cursor = paged ?? made;
    // Rows are certain by construction except for overdue, which is tried once. Every response of
    // the load runs is checked again (200 with rows), so a broken plan still fails loudly.
    const overdue = { overdue: 'true', sort: 'priority' };
    const plans: Record<QueryKind['id'], QueryParams[]> = {
      keyword: keywordsOf(sample).map((q) => ({ q })), // words of the user's own titles
      'tag-due': tagRangesOf(sample), // around the user's own tagged tasks with a due date
      overdue: (await get(user, overdue)).items.length ? [overdue] : [],
      'deep-page': [{ cursor }], // 90% down a list that goes on
    };
    const kinds = Object.keys(plans) as Array<QueryKind['id']>;
    const empty = kinds.filter((kind) => !plans[kind].length);
    if (empty.length)
      throw new Error(
        `search bench: user ${index + 1} has no ${empty.join(', ')} query with rows; is the seed broken?`,
      );
    return Object.fromEntries(
      kinds.map((kind) => [kind, plans[kind].map((params) => ({ user, params, path: pathOf(params) }))]),
    ) as Record<QueryKind['id'], PlannedRequest[]>;
  });

  const interleave = (kind: QueryKind['id']) => {
    const lists = perUserPlans.map((plans) => plans[kind]);
    const longest = Math.max(...lists.map((list) => list.length));
    return Array.from({ length: longest }, (_, variant) =>
      lists.flatMap((list) => (variant < list.length ? [list[variant]] : [])),
    ).flat();
  };
  const position = deepPosition.toLocaleString('en-US');
  return [
    { id: 'keyword', scenario: 'keyword search (q=word, by relevance)', requests: interleave('keyword') },
    {
      id: 'tag-due',
      scenario: 'tag + due range (tags, due_from, due_to, sort=due)',
      requests: interleave('tag-due'),
    },
    { id: 'overdue', scenario: 'overdue (overdue=true, sort=priority)', requests: interleave('overdue') },
    {
      id: 'deep-page',
      scenario: `deep page (cursor at #${position} of ${perUser.toLocaleString('en-US')}, sort=due)`,
      requests: interleave('deep-page'),
    },
  ];
}

/** Distinct words of the sample's titles, spread over the sample (common and rare alike). */
function keywordsOf(sample: readonly TaskSnapshot[]): string[] {
  const words = [
    ...new Set(sample.flatMap((task) => task.title.toLowerCase().match(/\p{L}+/gu) ?? [])),
  ].filter((word) => word.length >= 3 && !FILLER_WORDS.has(word));
  const step = Math.max(1, Math.floor(words.length / KEYWORDS_PER_USER));
  return words.filter((_, i) => i % step === 0).slice(0, KEYWORDS_PER_USER);
}

/** A tag of a task with a due date, over the four weeks around that date (in the user's zone). */
function tagRangesOf(sample: readonly TaskSnapshot[]): QueryParams[] {
  const shiftDays = (date: string, days: number) =>
    new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
  return sample
    .filter((task) => task.tags.length && task.due)
    .slice(0, TAG_RANGES_PER_USER)
    .map((task) => {
      const day = (task.due as string).slice(0, 10);
      return { tags: task.tags[0], due_from: shiftDays(day, -14), due_to: shiftDays(day, 14), sort: 'due' };
    });
}

/**
 * For each user, the `next_cursor` that `TaskService.list` returns after the first `rows` rows of the
 * default list: the same statement (`buildListQuery`, limit `rows`) and the same `encodeCursor`.
 */
async function cursorsAfter(
  databaseUrl: string,
  users: readonly SearchUser[],
  rows: number,
): Promise<string[]> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const cursors: string[] = [];
    for (const user of users) {
      const timeZone = await timeZoneOf(client, user.id);
      const sql = buildListQuery(user.id, timeZone, { ...taskQuerySchema.parse({}), limit: rows });
      const page = await client.query<{ id: string; sort_key: string }>(sql.text, sql.values);
      const last = page.rows[rows - 1];
      if (page.rows.length <= rows || !last)
        throw new Error(`user ${user.id} has no more than ${rows} tasks`);
      cursors.push(encodeCursor({ sort: sql.sort, order: sql.order, key: last.sort_key, id: last.id }));
    }
    return cursors;
  } finally {
    await client.end();
  }
}
