import { BadRequestException } from '@nestjs/common';
import type { GraphqlLimits } from '@todo/config';
import {
  type ASTVisitor,
  type DocumentNode,
  GraphQLError,
  getOperationAST,
  getVariableValues,
  type GraphQLField,
  type GraphQLInputType,
  getNamedType,
  getNullableType,
  isInputObjectType,
  isListType,
  isObjectType,
  Kind,
  type SelectionSetNode,
  type ValidationContext,
  type ValidationRule,
} from 'graphql';
import { type ComplexityEstimator, getComplexity } from 'graphql-query-complexity';

/** How the cost estimate sizes lists the query does not size itself (the schema's owners know them). */
export interface UnsizedLists {
  /** Elements a list is counted with when no `limit` argument sizes it (e.g. the most tags a task has). */
  listLength: number;
  /** A page asked for without `limit` counts as the largest page a list query returns. */
  pageLength: number;
}
/** Fields one operation may expand to (fragments included) before its cost is not even estimated. */
const MAX_ESTIMATED_FIELDS = 10_000;

const hasLimit = (type: GraphQLInputType) => {
  const named = getNamedType(type);
  return isInputObjectType(named) && 'limit' in named.getFields();
};

/** The page size a field asks for: its `limit` argument, or `limit` inside an input object (`filter`). */
function requestedPageSize(
  field: GraphQLField<unknown, unknown>,
  args: Record<string, unknown>,
  unsizedPage: number,
) {
  for (const arg of field.args) {
    const value = args[arg.name];
    if (arg.name === 'limit') return typeof value === 'number' ? value : unsizedPage;
    if (hasLimit(arg.type)) {
      const limit = (value as { limit?: unknown } | undefined)?.limit;
      return typeof limit === 'number' ? limit : unsizedPage;
    }
  }
  return undefined;
}

/**
 * Cost ≈ the number of values the answer may hold: every field counts 1 (each root field is a
 * resolver with database work), a paged field (`limit`) counts its selection once per element it
 * may return, and any other list `unsized.listLength` times. The list inside a page (`items` next
 * to `nextCursor`) is sized by the field that returned the page.
 */
export const answerSizeEstimator =
  (unsized: UnsizedLists): ComplexityEstimator =>
  ({ type, field, args, childComplexity }) => {
    const pageSize = requestedPageSize(field, args, unsized.pageLength);
    if (pageSize !== undefined) return 1 + Math.max(1, pageSize) * childComplexity;
    const cost = 1 + childComplexity;
    const isPageItems = isObjectType(type) && 'nextCursor' in type.getFields();
    return isListType(getNullableType(field.type)) && !isPageItems ? unsized.listLength * cost : cost;
  };

/** Fields at the top of a selection, fragments expanded (a fragment spread twice merges). */
function countFields(selectionSet: SelectionSetNode, context: ValidationContext, seen: Set<string>): number {
  let count = 0;
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) count++;
    else if (selection.kind === Kind.INLINE_FRAGMENT)
      count += countFields(selection.selectionSet, context, seen);
    else if (!seen.has(selection.name.value)) {
      seen.add(selection.name.value);
      const fragment = context.getFragment(selection.name.value);
      if (fragment) count += countFields(fragment.selectionSet, context, seen);
    }
  }
  return count;
}

/** Each root field (each alias) is its own resolver call with its own database work. */
export function maxRootFieldsRule(maxRootFields: number): ValidationRule {
  return (context): ASTVisitor => ({
    OperationDefinition(operation) {
      const count = countFields(operation.selectionSet, context, new Set());
      if (count > maxRootFields)
        context.reportError(
          new GraphQLError(
            `The operation asks for ${count} top-level fields (each alias counts); the limit is ${maxRootFields}. Split it into several requests`,
            { nodes: operation },
          ),
        );
    },
  });
}

/**
 * The first way the variables do not fit their declared types, found before the estimate: getComplexity
 * coerces them with no error limit, and every misfit element of a list variable becomes a GraphQLError
 * with a captured stack (a 10,000-element list of wrong values held the event loop for half a second).
 */
function firstVariableError(
  context: ValidationContext,
  document: DocumentNode,
  request: { variables?: Record<string, unknown>; operationName?: string },
): GraphQLError | undefined {
  const operation = getOperationAST(document, request.operationName);
  if (!operation) return undefined;
  const { errors } = getVariableValues(
    context.getSchema(),
    operation.variableDefinitions ?? [],
    request.variables ?? {},
    { maxErrors: 1 },
  );
  return errors?.[0];
}

/** Refuses operations whose estimated cost (see {@link answerSizeEstimator}) is over the limit. */
export function maxCostRule(
  maxCost: number,
  request: { variables?: Record<string, unknown>; operationName?: string },
  unsized: UnsizedLists,
): ValidationRule {
  return (context): ASTVisitor => ({
    Document: {
      leave(document) {
        const misfit = firstVariableError(context, document, request);
        if (misfit) return context.reportError(misfit);
        let cost: number;
        try {
          cost = getComplexity({
            schema: context.getSchema(),
            query: document,
            variables: request.variables,
            operationName: request.operationName,
            estimators: [answerSizeEstimator(unsized)],
            maxQueryNodes: MAX_ESTIMATED_FIELDS,
          });
        } catch (error) {
          // Variables that do not fit their types, or a document that expands beyond counting.
          const tooLarge = /maximum allowed number of nodes/.test(String((error as Error).message));
          context.reportError(
            tooLarge
              ? new GraphQLError(
                  `The operation expands to more than ${MAX_ESTIMATED_FIELDS} fields (fragments included); ask for less`,
                )
              : error instanceof GraphQLError
                ? error
                : new GraphQLError(String(error)),
          );
          return;
        }
        if (cost > maxCost)
          context.reportError(
            new GraphQLError(
              `The operation's estimated cost is ${cost}; the limit is ${maxCost}. Each field counts 1 and a list counts its fields once per element (the page's limit, ${unsized.pageLength} without one, ${unsized.listLength} for other lists): ask for fewer fields, smaller pages or fewer aliases`,
            ),
          );
      },
    },
  });
}

/** Mercurius `validationRules`: run per request, since a page size may come from the variables. */
export function graphqlLimitRules(limits: GraphqlLimits, unsized: UnsizedLists) {
  return (request: { variables?: Record<string, unknown>; operationName?: string }) => [
    maxRootFieldsRule(limits.maxRootFields),
    maxCostRule(limits.maxCost, request, unsized),
  ];
}

/** Mercurius `preParsing` hook: a document is refused by its length before it is parsed. */
export function maxDocumentLengthHook(maxLength: number) {
  return async (_schema: unknown, source: string) => {
    if (source.length > maxLength)
      throw new BadRequestException(
        `The GraphQL document has ${source.length} characters; the limit is ${maxLength}`,
      );
  };
}
