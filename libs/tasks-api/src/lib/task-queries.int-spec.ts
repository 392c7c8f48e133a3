import { ACCOUNTS_MIGRATIONS, AccountsModule } from '@todo/accounts';
import { TASKS_MIGRATIONS } from '@todo/tasks';
import { REMINDERS_MIGRATIONS } from '@todo/reminders';
import { EVENTS_MIGRATIONS } from '@todo/events';
import { TasksApiModule } from './tasks-api.module';
import { type ApiResponse, startTestApp, type TestApp } from '@todo/testing';

/** The tables of the modules this suite composes. */
const MIGRATIONS = [ACCOUNTS_MIGRATIONS, TASKS_MIGRATIONS, REMINDERS_MIGRATIONS, EVENTS_MIGRATIONS].flat();

describe('task search, filters, sorting and paging (real PostgreSQL)', () => {
  let t: TestApp;
  let token: string;
  const titles = async (query: string) => {
    const response = await t.api.request('GET', `/api/v1/tasks?${query}`, { token });
    expect(response.status).toBe(200);
    return response.body.items.map((task: { title: string }) => task.title);
  };

  beforeAll(async () => {
    t = await startTestApp({ imports: [AccountsModule, TasksApiModule], migrations: MIGRATIONS });
    ({ token } = await t.api.register({ time_zone: 'America/New_York' }));
    const create = (body: object) => t.api.request('POST', '/api/v1/tasks', { token, body });
    await create({
      title: 'Buy groceries',
      description: 'milk and eggs',
      priority: 'high',
      tags: ['home', 'errands'],
      due: '2030-01-10T17:00:00-05:00',
    });
    await create({ title: 'Pay electricity bill', priority: 'urgent', tags: ['finance'], due: '2020-01-05' });
    await create({ title: 'Read The 5th Wave', priority: 'low', tags: ['reading', 'home'] });
    const groom = await create({
      title: 'Groom the dog',
      priority: 'medium',
      tags: ['home'],
      due: '2030-01-12',
    });
    await t.api.request('POST', `/api/v1/tasks/${groom.body.id}/complete`, { token });
    await create({
      title: 'Plan sprint review',
      description: 'with the groceries budget',
      tags: ['work'],
      due: '2030-01-11T09:00:00-05:00',
    });
    // Another user's matching task must never show up.
    const other = await t.api.register();
    await t.api.request('POST', '/api/v1/tasks', {
      token: other.token,
      body: { title: 'Buy groceries too', tags: ['home'] },
    });
  });
  afterAll(() => t.close());

  /** Follows `next_cursor` from the first page to the last, calling `betweenPages` after each. */
  async function pageThrough(
    userToken: string,
    query: string,
    betweenPages: (page: number) => Promise<void>,
  ): Promise<Array<{ id: string; title: string }>> {
    const items: Array<{ id: string; title: string }> = [];
    let cursor: string | null = null;
    let page = 0;
    do {
      const path = `/api/v1/tasks?${query}${cursor ? `&cursor=${cursor}` : ''}`;
      const response: ApiResponse = await t.api.request('GET', path, { token: userToken });
      expect(response.status).toBe(200);
      items.push(...response.body.items);
      cursor = response.body.next_cursor;
      await betweenPages(page++);
    } while (cursor && page < 50);
    return items;
  }

  it('filters by status', async () => {
    expect(await titles('status=completed')).toEqual(['Groom the dog']);
    expect(await titles('status=pending&sort=title')).toEqual([
      'Buy groceries',
      'Pay electricity bill',
      'Plan sprint review',
      'Read The 5th Wave',
    ]);
    expect(await titles('sort=title')).toHaveLength(5);
  });

  it('filters by priority, including p1–p4', async () => {
    expect(await titles('priority=high,urgent&sort=title')).toEqual([
      'Buy groceries',
      'Pay electricity bill',
    ]);
    expect(await titles('priority=p1')).toEqual(['Pay electricity bill']);
  });

  it('filters by tags, all or any', async () => {
    expect(await titles('tags=home&sort=title')).toEqual([
      'Buy groceries',
      'Groom the dog',
      'Read The 5th Wave',
    ]);
    expect(await titles('tags=home,errands')).toEqual(['Buy groceries']);
    expect(await titles('tags=%23Finance,work&tag_match=any&sort=title')).toEqual([
      'Pay electricity bill',
      'Plan sprint review',
    ]);
  });

  it("filters by due range (dates are whole days in the user's zone), overdue and presence of a due date", async () => {
    expect(await titles('due_from=2030-01-10&due_to=2030-01-11')).toEqual([
      'Buy groceries',
      'Plan sprint review',
    ]);
    expect(await titles('due_from=2030-01-11T00:00:00-05:00')).toEqual([
      'Plan sprint review',
      'Groom the dog',
    ]);
    expect(await titles('due_to=2030-01-10T16:59:59-05:00')).toEqual(['Pay electricity bill']);
    expect(await titles('overdue=true')).toEqual(['Pay electricity bill']);
    expect(await titles('overdue=false&sort=title')).toEqual([
      'Buy groceries',
      'Groom the dog',
      'Plan sprint review',
      'Read The 5th Wave',
    ]);
    expect(await titles('has_due=false')).toEqual(['Read The 5th Wave']);
    expect(await titles('has_due=true')).toHaveLength(4);
  });

  it('keeps undated tasks out of every due range, in either order, with tags and with other sorts', async () => {
    expect(await titles('due_from=2030-01-10&order=desc')).toEqual([
      'Groom the dog',
      'Plan sprint review',
      'Buy groceries',
    ]);
    expect(await titles('due_to=2030-01-10&order=desc')).toEqual(['Buy groceries', 'Pay electricity bill']);
    expect(await titles('due_to=2030-01-10&sort=title')).toEqual(['Buy groceries', 'Pay electricity bill']);
    expect(await titles('tags=home&due_from=2030-01-10')).toEqual(['Buy groceries', 'Groom the dog']);
    expect(await titles('tags=home,finance&tag_match=any&due_to=2030-01-10&order=desc')).toEqual([
      'Buy groceries',
      'Pay electricity bill',
    ]);
    expect(await titles('tags=home,errands&due_from=2030-01-01&sort=priority')).toEqual(['Buy groceries']);
    expect(await titles('tags=home&due_from=2030-01-10&due_to=2030-01-12')).toEqual([
      'Buy groceries',
      'Groom the dog',
    ]);
  });

  it('finds tasks with tags due at the very ends of a short range, on either side of a week boundary', async () => {
    const { token: planner } = await t.api.register();
    // Weeks of the tag index's keys start on Thursdays, 00:00 UTC (1970-01-01 was a Thursday).
    for (const [title, due] of [
      ['Before', '2030-01-16T23:59:59.999Z'],
      ['At', '2030-01-17T00:00:00Z'],
    ])
      await t.api.request('POST', '/api/v1/tasks', { token: planner, body: { title, due, tags: ['edge'] } });
    const found = async (range: string) => {
      const response = await t.api.request('GET', `/api/v1/tasks?tags=edge&${range}`, { token: planner });
      return response.body.items.map((task: { title: string }) => task.title);
    };
    expect(await found('due_from=2030-01-16T23:59:59.999Z&due_to=2030-01-17T00:00:00Z')).toEqual([
      'Before',
      'At',
    ]);
    expect(await found('due_from=2030-01-17T00:00:00Z&due_to=2030-01-20')).toEqual(['At']);
    expect(await found('due_from=2030-01-10&due_to=2030-01-16T23:59:59.999Z')).toEqual(['Before']);
    expect(await found('due_from=2030-01-10&due_to=2030-01-16T23:59:59.998Z')).toEqual([]);
  });

  it("finds tagged tasks in ranges up to and past the eight weeks looked up by week, after a due moves, and only the owner's", async () => {
    const { token: planner } = await t.api.register();
    const { token: neighbour } = await t.api.register();
    const create = (token: string, title: string, due: string) =>
      t.api.request('POST', '/api/v1/tasks', { token, body: { title, due, tags: ['trip'] } });
    await create(planner, 'First day', '2030-03-01T00:00:00Z');
    const moving = await create(planner, 'Last day', '2030-04-25T23:00:00Z');
    await create(planner, 'Day after', '2030-04-26T12:00:00Z');
    await create(neighbour, 'Not mine', '2030-03-10T09:00:00Z');
    const found = async (range: string) => {
      const response = await t.api.request('GET', `/api/v1/tasks?tags=trip&${range}`, { token: planner });
      return response.body.items.map((task: { title: string }) => task.title);
    };
    // 2030-03-01 … 2030-04-25 is exactly eight weeks (by week keys); one day more is not (by tags alone).
    expect(await found('due_from=2030-03-01&due_to=2030-04-25')).toEqual(['First day', 'Last day']);
    expect(await found('due_from=2030-03-01&due_to=2030-04-26')).toEqual([
      'First day',
      'Last day',
      'Day after',
    ]);
    expect(await found('due_from=2029-01-01&due_to=2031-01-01')).toEqual([
      'First day',
      'Last day',
      'Day after',
    ]);
    const moved = await t.api.request('PATCH', `/api/v1/tasks/${moving.body.id}`, {
      token: planner,
      body: { due: '2030-06-05T08:00:00Z' },
    });
    expect(moved.status).toBe(200);
    expect(await found('due_from=2030-03-01&due_to=2030-04-25')).toEqual(['First day']);
    expect(await found('due_from=2030-06-01&due_to=2030-06-07')).toEqual(['Last day']);
  });

  it('sorts by due (no due date last either way), priority, title, created and updated', async () => {
    expect(await titles('sort=due')).toEqual([
      'Pay electricity bill',
      'Buy groceries',
      'Plan sprint review',
      'Groom the dog',
      'Read The 5th Wave',
    ]);
    expect(await titles('sort=due&order=desc')).toEqual([
      'Groom the dog',
      'Plan sprint review',
      'Buy groceries',
      'Pay electricity bill',
      'Read The 5th Wave',
    ]);
    expect(await titles('sort=priority')).toEqual([
      'Pay electricity bill',
      'Buy groceries',
      'Groom the dog',
      'Read The 5th Wave',
      'Plan sprint review',
    ]);
    expect(await titles('sort=priority&order=asc')).toEqual([
      'Plan sprint review',
      'Read The 5th Wave',
      'Groom the dog',
      'Buy groceries',
      'Pay electricity bill',
    ]);
    expect(await titles('sort=title&order=desc')).toEqual([
      'Read The 5th Wave',
      'Plan sprint review',
      'Pay electricity bill',
      'Groom the dog',
      'Buy groceries',
    ]);
    const created = await t.api.request('GET', '/api/v1/tasks?sort=created', { token });
    const stamps = created.body.items.map((task: { created_at: string }) => task.created_at);
    expect(stamps).toEqual([...stamps].sort().reverse());
    // Completing "Groom the dog" after "Read" was created moves it ahead of the older tasks.
    expect(await titles('sort=updated')).toEqual([
      'Plan sprint review',
      'Groom the dog',
      'Read The 5th Wave',
      'Pay electricity bill',
      'Buy groceries',
    ]);
  });

  it('searches title and description: words in any order, prefixes while typing, title matches ranked first', async () => {
    const prefixed = await titles('q=gro');
    expect(prefixed.slice(0, 2).sort()).toEqual(['Buy groceries', 'Groom the dog']); // equal rank: title matches
    expect(prefixed[2]).toBe('Plan sprint review'); // description match ranks lower
    expect(await titles('q=groceries%20buy')).toEqual(['Buy groceries']);
    expect(await titles('q=MILK')).toEqual(['Buy groceries']);
    expect(await titles('q=wave%205th')).toEqual(['Read The 5th Wave']);
    expect(await titles('q=gro&status=pending&sort=title&order=desc')).toEqual([
      'Plan sprint review',
      'Buy groceries',
    ]);
    expect(await titles('q=nothing-like-this')).toEqual([]);
    const symbols = await t.api.request('GET', '/api/v1/tasks?q=%26%7C!', { token });
    expect(symbols.status).toBe(400);
    expect(symbols.body.error.message).toBe('q: must contain at least one letter or digit');
  });

  it("finds only the searcher's own tasks, even where other users have the same words", async () => {
    const { token: stranger } = await t.api.register();
    const search = (q: string) =>
      t.api.request('GET', `/api/v1/tasks?q=${encodeURIComponent(q)}`, { token: stranger });
    expect((await search('gro')).body.items).toEqual([]);
    expect((await search('buy groceries')).body.items).toEqual([]);
  });

  it('finds the longest word the index keeps by its prefix (owner-keyed index keys stay in bounds)', async () => {
    const { token: writer } = await t.api.register();
    const longWord = 'é'.repeat(1023); // 2,046 bytes: the longest lexeme PostgreSQL keeps
    const created = await t.api.request('POST', '/api/v1/tasks', {
      token: writer,
      body: { title: 'Archive', description: `see ${longWord} end` },
    });
    expect(created.status).toBe(201);
    const found = await t.api.request('GET', `/api/v1/tasks?q=${encodeURIComponent('ééé end')}`, {
      token: writer,
    });
    expect(found.body.items.map((task: { title: string }) => task.title)).toEqual(['Archive']);
  });

  it('pages by relevance: rank order, ties by id, every match exactly once while matches are added', async () => {
    const { token: reader } = await t.api.register();
    const create = (title: string, description?: string) =>
      t.api.request('POST', '/api/v1/tasks', { token: reader, body: { title, description } });
    // Ranks (ts_rank, title weight 1.0, description 0.4): 0.79 > 0.67 > 0.61 (three ties) > 0.24 (two).
    await create('Report report', 'the report');
    await create('Report draft', 'report');
    for (const n of [1, 2, 3]) await create(`Report ${n}`);
    for (const n of [1, 2]) await create(`Slides ${n}`, 'for the report');
    await create('Unrelated');

    const all = await t.api.request('GET', '/api/v1/tasks?q=rep&limit=100', { token: reader });
    const ranked = all.body.items.map((task: { title: string; id: string }) => task.title);
    expect(ranked.slice(0, 2)).toEqual(['Report report', 'Report draft']);
    expect(ranked.slice(2, 5).sort()).toEqual(['Report 1', 'Report 2', 'Report 3']);
    expect(ranked.slice(5).sort()).toEqual(['Slides 1', 'Slides 2']);
    const ids = all.body.items.map((task: { id: string }) => task.id);
    // Equal ranks come in descending id order, the tie-breaker the cursor relies on.
    expect(ids.slice(2, 5)).toEqual([...ids.slice(2, 5)].sort().reverse());
    expect(ids.slice(5)).toEqual([...ids.slice(5)].sort().reverse());

    // A new best match ranks before the cursor: not shown; a new weakest one after it: shown once.
    const pages = await pageThrough(reader, 'q=rep&limit=2', async (page) => {
      await create(`Report report report ${page}`, 'report report');
      if (page === 0) await create('Notes', 'a report');
    });
    const paged = pages.map((task) => task.id);
    expect(new Set(paged).size).toBe(paged.length);
    expect(paged.filter((id) => ids.includes(id))).toEqual(ids);
    expect(paged).toHaveLength(ids.length + 1);
  });

  it('pages with a cursor without duplicates or gaps while tasks are added between pages', async () => {
    const { token: pager } = await t.api.register();
    const create = (title: string, due?: string) =>
      t.api.request('POST', '/api/v1/tasks', { token: pager, body: { title, due } });
    for (let day = 10; day < 30; day++) await create(`Original ${day}`, `2031-03-${day}`);
    for (let n = 0; n < 3; n++) await create(`Undated ${n}`);

    // Concurrent writers: one task lands before the cursor (not shown), one after it (shown once).
    const pages = await pageThrough(pager, 'sort=due&limit=4', async (page) => {
      await create(`Inserted early ${page}`, '2031-03-01');
      await create(`Inserted late ${page}`, `2031-04-${String(page + 1).padStart(2, '0')}`);
    });
    const seen = pages.map((task) => task.title);

    expect(new Set(seen).size).toBe(seen.length);
    const originals = seen.filter((title) => title.startsWith('Original'));
    expect(originals).toEqual(Array.from({ length: 20 }, (_, i) => `Original ${i + 10}`));
    expect(seen.filter((title) => title.startsWith('Undated'))).toHaveLength(3);
    expect(seen.some((title) => title.startsWith('Inserted early'))).toBe(false);
    expect(seen.filter((title) => title.startsWith('Inserted late')).length).toBeGreaterThan(0);
  });

  it('rejects a cursor from another sort order', async () => {
    const first = await t.api.request('GET', '/api/v1/tasks?sort=title&limit=1', { token });
    const mixed = await t.api.request(
      'GET',
      `/api/v1/tasks?sort=due&limit=1&cursor=${first.body.next_cursor}`,
      { token },
    );
    expect(mixed.status).toBe(400);
    expect(mixed.body.error.message).toMatch(/cursor: is not a cursor from a previous page/);
    expect((await t.api.request('GET', '/api/v1/tasks?cursor=garbage', { token })).status).toBe(400);
  });
});
