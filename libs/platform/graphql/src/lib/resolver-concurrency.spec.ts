import { GraphQLScalarType } from 'graphql';
import pLimit from 'p-limit';
import { limitResolverConcurrency } from './resolver-concurrency';

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

    const resolverSlots = jest.fn(pLimit(1));
    await expect(resolvers.Query.tasks({}, {}, { resolverSlots }, {})).resolves.toBe('listed');
    expect(resolverSlots).toHaveBeenCalledTimes(1);
    // Without a request's limit (no HTTP context) the resolver runs as is.
    expect(resolvers.Query.tasks({}, {}, {}, {})).toBe('listed');
  });
});
