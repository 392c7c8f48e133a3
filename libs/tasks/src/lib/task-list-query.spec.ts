import { ValidationError } from '@todo/errors';
import { buildListQuery, encodeCursor, searchWords, toPrefixQuery } from './task-list-query';
import { taskQuerySchema } from './task.schemas';

const OWNER = '7b0c1a58-4a4b-4c6f-9d3e-2f1f5e6a7b8c';
const query = (input: Record<string, unknown>) => taskQuerySchema.parse(input);

describe('task list query', () => {
  it('always scopes to the owner and pages by sort key plus id', () => {
    const sql = buildListQuery(OWNER, 'UTC', query({}));
    expect(sql.values[0]).toBe(OWNER);
    expect(sql.text).toMatch(/WHERE t\.owner_id = \$1/);
    expect(sql.text).toMatch(/ORDER BY coalesce\(t\.due_at, 'infinity'::timestamptz\) asc, t\.id asc/);
    expect(sql).toMatchObject({ sort: 'due', order: 'asc' });
    expect(sql.values.at(-1)).toBe(51); // one extra row tells whether another page exists
  });

  it('defaults to relevance when searching and keeps user text out of the SQL', () => {
    const sql = buildListQuery(OWNER, 'UTC', query({ q: "buy Gro'; DROP TABLE tasks" }));
    expect(sql.sort).toBe('relevance');
    expect(sql.text).not.toContain('DROP');
    expect(sql.values).toContain('buy:* & gro:* & drop:* & table:* & tasks:*');
    expect(sql.values).toContain('buy gro drop table tasks'); // the owner-keyed candidates' words
    expect(sql.text).toMatch(/task_search_keys\(t\.owner_id, t\.search\) @@ task_search_keys_query\(\$1, /);
  });

  it("bounds a due range on the due index's key, undated tasks (±infinity there) outside it", () => {
    const byDue = buildListQuery(OWNER, 'UTC', query({ due_from: '2026-01-01', due_to: '2026-01-31' })).text;
    expect(byDue).toContain(`coalesce(t.due_at, 'infinity'::timestamptz) >= $2`);
    expect(byDue).toContain(`coalesce(t.due_at, 'infinity'::timestamptz) < $3`);
    const openEnd = buildListQuery(OWNER, 'UTC', query({ due_to: '2026-01-31', sort: 'due', order: 'desc' }));
    expect(openEnd.text).toContain(`coalesce(t.due_at, '-infinity'::timestamptz) > '-infinity'`);
    const otherSort = buildListQuery(OWNER, 'UTC', query({ due_from: '2026-01-01', sort: 'title' }));
    expect(otherSort.text).toContain(`coalesce(t.due_at, 'infinity'::timestamptz) < 'infinity'`);
  });

  it('prepares the statements whose text has few shapes: no keyword, tag, priority or due range', () => {
    const plain = (input: Record<string, unknown>) => buildListQuery(OWNER, 'UTC', query(input)).plain;
    expect(plain({})).toBe(true);
    expect(plain({ overdue: 'true', sort: 'priority', status: 'pending', has_due: 'true' })).toBe(true);
    const cursor = encodeCursor({ sort: 'due', order: 'asc', key: 'infinity', id: OWNER });
    expect(plain({ cursor })).toBe(true);
    for (const filter of [{ q: 'milk' }, { tags: 'home' }, { priority: 'high' }, { due_from: '2026-01-01' }])
      expect(plain(filter)).toBe(false);
  });

  it('looks tags with a short due range up by their keys and the weeks of the range', () => {
    const keys = 'task_filter_keys(t.owner_id, t.tags, t.due_at)';
    const short = buildListQuery(
      OWNER,
      'UTC',
      query({ tags: 'work', due_from: '2026-01-01', due_to: '2026-02-25' }),
    );
    expect(short.text).toContain(`${keys} @> task_tag_keys($1, $4::text[])`);
    expect(short.text).toContain(`${keys} && task_due_week_keys($1, $2, $3)`);
    const long = buildListQuery(
      OWNER,
      'UTC',
      query({ tags: 'work', due_from: '2026-01-01', due_to: '2026-02-26' }),
    );
    expect(long.text).not.toContain('task_due_week_keys');
    const open = buildListQuery(
      OWNER,
      'UTC',
      query({ tags: 'work', due_from: '2026-01-01', tag_match: 'any' }),
    );
    expect(open.text).toContain(`${keys} && task_tag_keys($1, $3::text[])`);
    expect(open.text).not.toContain('task_due_week_keys');
  });

  it('accepts only a cursor made for the same sort and order', () => {
    const cursor = encodeCursor({ sort: 'title', order: 'asc', key: 'abc', id: OWNER });
    expect(buildListQuery(OWNER, 'UTC', query({ sort: 'title', cursor })).text).toMatch(
      /\(lower\(t\.title\), t\.id\) > \(\$2::text, \$3::uuid\)/,
    );
    expect(() => buildListQuery(OWNER, 'UTC', query({ sort: 'title', order: 'desc', cursor }))).toThrow(
      ValidationError,
    );
  });

  it('refuses a cursor whose values PostgreSQL would refuse, before any query', () => {
    const forged = (sort: string, key: string, id = OWNER) =>
      Buffer.from(
        JSON.stringify([sort, sort === 'title' || sort === 'due' ? 'asc' : 'desc', key, id]),
      ).toString('base64url');
    const list = (sort: string, cursor: string) => () =>
      buildListQuery(OWNER, 'UTC', query({ sort, cursor }));
    for (const [sort, key, id] of [
      ['due', 'tomorrow'],
      ['due', '2026-02-30 10:00:00+00'],
      ['due', '2026-11-24 24:00:00+00'],
      ['due', '0001-12-31 10:00:00+00 BC'],
      ['created', 'infinity'],
      ['priority', '99999'],
      ['title', 'a\u0000b'],
      ['updated', '2026-11-24 10:00:00+00', '------------------------------------'],
    ])
      expect(list(sort, forged(sort, key, id))).toThrow('is not a cursor from a previous page');
    // What PostgreSQL itself writes is accepted.
    for (const [sort, key] of [
      ['due', 'infinity'],
      ['due', '2026-11-24 17:00:00.123+05:30'],
      ['created', '2026-11-24 17:00:00.123456+00'],
      ['priority', '4'],
      ['title', 'buy milk'],
    ])
      expect(list(sort, forged(sort, key))).not.toThrow();
  });

  it('builds prefix queries from letters and digits only', () => {
    expect(toPrefixQuery(searchWords('  Read   the 5th-Wave! '))).toBe('read:* & the:* & 5th:* & wave:*');
    expect(toPrefixQuery(searchWords('Überweisung prüfen'))).toBe('überweisung:* & prüfen:*');
    expect(() => searchWords('&|!')).toThrow(ValidationError);
  });
});
