import { ValidationError } from '@todo/errors';
import { buildListQuery, encodeCursor, toPrefixQuery } from './task-list-query';
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

  it('builds prefix queries from letters and digits only', () => {
    expect(toPrefixQuery('  Read   the 5th-Wave! ')).toBe('read:* & the:* & 5th:* & wave:*');
    expect(toPrefixQuery('Überweisung prüfen')).toBe('überweisung:* & prüfen:*');
    expect(() => toPrefixQuery('&|!')).toThrow(ValidationError);
  });
});
