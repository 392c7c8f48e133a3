import { interpret } from './interpret';

describe('interpret', () => {
  const context = { now: '2026-11-23T09:00', timeZone: 'America/New_York' };

  it('never parses quoted text', () => {
    expect(interpret('Add "Meet at 5 tomorrow #work p1" as a task', context)).toStrictEqual({
      tool_calls: [{ name: 'add_task', arguments: { title: 'Meet at 5 tomorrow #work p1' } }],
    });
  });

  it('answers a greeting with what it can do', () => {
    const { tool_calls, question } = interpret('hello', context);
    expect(tool_calls).toEqual([]);
    expect(question).toMatch(/add, list, update, complete and delete tasks/);
  });

  it.each([
    ['not a wall time', { now: '2026-11-23 09:00', timeZone: 'America/New_York' }],
    ['not a date', { now: '2026-02-30T09:00', timeZone: 'America/New_York' }],
    ['an unknown zone', { now: '2026-11-23T09:00', timeZone: 'Mars/Olympus' }],
  ])('throws a RangeError for %s', (_, bad) => {
    expect(() => interpret('Buy milk', bad)).toThrow(RangeError);
  });
});
