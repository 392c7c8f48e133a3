import { GraphQLScalarType } from 'graphql';
import { ConcurrencyLimit, limitResolverConcurrency } from './resolver-concurrency';

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('ConcurrencyLimit', () => {
  it('runs at most `limit` tasks at once, the others in arrival order', async () => {
    const limit = new ConcurrencyLimit(2);
    const started: number[] = [];
    const finishers = new Map<number, () => void>();
    const finish = (i: number) => finishers.get(i)?.();
    const results = Array.from({ length: 5 }, (_, i) =>
      limit.run(async () => {
        started.push(i);
        await new Promise<void>((resolve) => finishers.set(i, resolve));
        return i;
      }),
    );
    await tick();
    expect(started).toEqual([0, 1]);
    finish(1);
    await tick();
    expect(started).toEqual([0, 1, 2]);
    finish(0);
    finish(2);
    await tick();
    expect(started).toEqual([0, 1, 2, 3, 4]);
    finish(3);
    finish(4);
    expect(await Promise.all(results)).toEqual([0, 1, 2, 3, 4]);
  });

  it('gives the place back when a task fails', async () => {
    const limit = new ConcurrencyLimit(1);
    await expect(limit.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(limit.run(() => 'next')).resolves.toBe('next');
  });
});

describe('limitResolverConcurrency', () => {
  it("runs field resolvers in their request's limit, and leaves scalars and type resolution alone", async () => {
    const scalar = new GraphQLScalarType({ name: 'Date' });
    const resolveType = () => 'Task';
    const resolvers = limitResolverConcurrency({
      Query: { tasks: () => 'listed' },
      Node: { __resolveType: resolveType },
      Date: scalar,
    }) as {
      Query: { tasks: (...args: unknown[]) => unknown };
      Node: { __resolveType: unknown };
      Date: unknown;
    };
    expect(resolvers.Date).toBe(scalar);
    expect(resolvers.Node.__resolveType).toBe(resolveType);

    const resolverSlots = new ConcurrencyLimit(1);
    const run = jest.spyOn(resolverSlots, 'run');
    await expect(resolvers.Query.tasks({}, {}, { resolverSlots }, {})).resolves.toBe('listed');
    expect(run).toHaveBeenCalledTimes(1);
    // Without a request's limit (no HTTP context) the resolver runs as is.
    expect(resolvers.Query.tasks({}, {}, {}, {})).toBe('listed');
  });
});
