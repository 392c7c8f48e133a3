import { Logger } from '@nestjs/common';
import { toErrorResponse } from '@todo/http';
import { GraphQLError, type ExecutionResult } from 'graphql';

const logger = new Logger('GraphQL');

const badRequest = (error: GraphQLError) =>
  new GraphQLError(error.message, {
    nodes: error.nodes,
    path: error.path,
    extensions: { code: 'BAD_REQUEST', status: 400 },
  });

/**
 * Gives GraphQL errors the same meaning as REST ones: `extensions.code` (e.g. NOT_FOUND),
 * `extensions.status` and field `details`. Unexpected errors are logged and never leak internals.
 * Executed operations answer HTTP 200, as GraphQL over HTTP prescribes; documents that do not
 * parse or validate never get here (see `errorHandler: false` in GraphqlServerModule).
 */
export function formatGraphqlErrors(execution: ExecutionResult & { errors: readonly GraphQLError[] }) {
  const errors = execution.errors.map((error) => {
    const original = error.originalError;
    if (!original || original instanceof GraphQLError) return badRequest(error);
    const { status, body, internal } = toErrorResponse(original);
    if (internal) logger.error(original);
    return new GraphQLError(body.error.message, {
      nodes: error.nodes,
      path: error.path,
      extensions: {
        code: body.error.code.toUpperCase(),
        status,
        ...(body.error.details ? { details: body.error.details } : {}),
      },
    });
  });
  return { statusCode: 200, response: { data: execution.data ?? null, errors } };
}
