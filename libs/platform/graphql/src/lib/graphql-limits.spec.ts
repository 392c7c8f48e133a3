import { buildSchema, parse, specifiedRules, validate } from 'graphql';
import { answerSizeEstimator, maxCostRule, maxRootFieldsRule } from './graphql-limits';
import { getComplexity } from 'graphql-query-complexity';

const schema = buildSchema(`
  type Query { tasks(filter: TaskFilter): TaskPage!  activity(limit: Int): TaskPage!  me: User! }
  input TaskFilter { q: String, limit: Int, tags: [String!] }
  type TaskPage { items: [Task!]!, nextCursor: String }
  type Task { id: ID!, title: String!, tags: [String!]!, reminders: [Reminder!]! }
  type Reminder { id: ID!, state: String! }
  type User { id: ID! }
`);

/** The sizes the gateway gives for tasks (TASK_LIMITS: 20 tags, pages of 100). */
const unsized = { listLength: 20, pageLength: 100 };

const cost = (query: string, variables: Record<string, unknown> = {}) =>
  getComplexity({ schema, query: parse(query), variables, estimators: [answerSizeEstimator(unsized)] });

describe('answerSizeEstimator', () => {
  it('counts every field once, and a page once per element it may hold', () => {
    expect(cost('{ me { id } }')).toBe(2);
    // tasks 1 + 100 × (items 1 + id 1 + title 1)
    expect(cost('{ tasks(filter: { limit: 100 }) { items { id title } } }')).toBe(301);
    expect(cost('{ activity(limit: 10) { items { id } nextCursor } }')).toBe(1 + 10 * 3);
  });

  it('takes the page size from the variables, and a full page without one', () => {
    const query = 'query($f: TaskFilter) { tasks(filter: $f) { items { id } } }';
    expect(cost(query, { f: { limit: 7 } })).toBe(1 + 7 * 2);
    expect(cost(query, { f: { q: 'milk' } })).toBe(1 + 100 * 2);
    expect(cost('{ activity { items { id } } }')).toBe(1 + 100 * 2);
  });

  it('counts other lists at 20 elements, multiplied through the nesting', () => {
    // items 1 + tags 20 × 1 + reminders 20 × (1 + 2)
    expect(cost('{ tasks(filter: { limit: 10 }) { items { tags reminders { id state } } } }')).toBe(
      1 + 10 * (1 + 20 + 60),
    );
  });

  it('counts each alias', () => {
    expect(cost('{ a: me { id } b: me { id } c: me { id } }')).toBe(6);
  });
});

describe('GraphQL limit rules', () => {
  const errors = (query: string, rules = [maxRootFieldsRule(3), maxCostRule(10, {}, unsized)]) =>
    validate(schema, parse(query), [...specifiedRules, ...rules]).map((error) => error.message);

  it('counts root fields with their aliases and fragments', () => {
    expect(errors('{ a: me { id } b: me { id } c: me { id } }')).toEqual([]);
    expect(
      errors('{ a: me { id } b: me { id } ...F } fragment F on Query { c: me { id } d: me { id } }'),
    ).toEqual([
      'The operation asks for 4 top-level fields (each alias counts); the limit is 3. Split it into several requests',
    ]);
  });

  it('refuses an operation over the cost limit, stating both numbers', () => {
    expect(errors('{ activity(limit: 4) { items { id } } }', [maxCostRule(9, {}, unsized)])).toEqual([]);
    expect(errors('{ activity(limit: 5) { items { id } } }', [maxCostRule(9, {}, unsized)])[0]).toMatch(
      /^The operation's estimated cost is 11; the limit is 9\./,
    );
  });

  it('stops at the first misfit of a long list variable (each error captures a stack)', () => {
    const query = 'query($f: TaskFilter) { tasks(filter: $f) { items { id } } }';
    const stacks = jest.spyOn(Error, 'captureStackTrace');
    const reported = errors(query, [
      maxCostRule(1000, { variables: { f: { tags: Array(10_000).fill(7) } } }, unsized),
    ]);
    expect(reported).toEqual([expect.stringMatching(/Variable "\$f" got invalid value 7 at "f.tags\[0\]"/)]);
    expect(stacks.mock.calls.length).toBeLessThan(10);
  });

  it('reports variables that do not fit instead of throwing', () => {
    const query = 'query($f: TaskFilter) { tasks(filter: $f) { items { id } } }';
    expect(errors(query, [maxCostRule(1000, { variables: { f: { limit: 'many' } } }, unsized)])[0]).toMatch(
      /Variable "\$f" got invalid value "many" at "f.limit"/,
    );
  });
});
