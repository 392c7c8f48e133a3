import { isEnumType, isScalarType } from 'graphql';
import type { Limit } from 'p-limit';

/** The GraphQL context of one HTTP request: its sibling resolvers share one concurrency limit (p-limit). */
interface ResolverSlots {
  resolverSlots?: Limit;
}

type Resolve = (source: unknown, args: unknown, context: ResolverSlots, info: unknown) => unknown;
type ResolverMap = Record<string, unknown>;

const limited =
  (resolve: Resolve): Resolve =>
  (source, args, context, info) =>
    context?.resolverSlots
      ? context.resolverSlots(() => resolve(source, args, context, info))
      : resolve(source, args, context, info);

/**
 * For `transformResolvers`: every resolver (guards and interceptors included, as Nest wraps them)
 * waits for a place in its request's concurrency limit. graphql-js runs sibling query fields (1,000
 * aliases) in parallel, each with database work: unbounded, one request could take the whole
 * connection pool. A place is held only while the resolver itself runs, not while its children
 * resolve, so nested resolvers cannot wait on their parent. Subscriptions are left alone.
 */
export function limitResolverConcurrency<T extends object>(resolvers: T | T[]): T | T[] {
  if (Array.isArray(resolvers)) return resolvers.map((each) => limitResolverConcurrency(each) as T);
  return Object.fromEntries(
    Object.entries(resolvers).map(([typeName, fields]) => {
      if (typeName === 'Subscription' || !fields || isScalarType(fields) || isEnumType(fields))
        return [typeName, fields];
      return [
        typeName,
        Object.fromEntries(
          Object.entries(fields as ResolverMap).map(([name, resolver]) => [
            name,
            typeof resolver === 'function' && !name.startsWith('__')
              ? limited(resolver as Resolve)
              : resolver,
          ]),
        ),
      ];
    }),
  ) as T;
}
