import { Logger } from '@nestjs/common';
import { toErrorResponse } from '@todo/http';
import { GraphQLError, type ExecutionResult } from 'graphql';

const logger = new Logger('GraphQL');

/**
 * Gives GraphQL errors the same meaning as REST ones: `extensions.code` (e.g. NOT_FOUND),
 * `extensions.status` and field `details`. Unexpected errors are logged and never leak internals.
 * Requests that fail parsing or validation get HTTP 400; executed operations 200, as GraphQL over HTTP says.
 */
export function formatGraphqlErrors(execution: ExecutionResult & { errors: readonly GraphQLError[] }) {
  const requestRejected = execution.data === undefined && execution.errors.every((error) => !error.path);
  const errors = execution.errors.map((error) => {
    if (!error.originalError || error.originalError instanceof GraphQLError) {
      return new GraphQLError(error.message, { nodes: error.nodes, path: error.path, extensions: { code: 'BAD_REQUEST', status: 400 } });
    }
    const { status, body, internal } = toErrorResponse(error.originalError);
    if (internal) logger.error(error.originalError);
    return new GraphQLError(body.error.message, {
      nodes: error.nodes,
      path: error.path,
      extensions: { code: body.error.code.toUpperCase(), status, ...(body.error.details ? { details: body.error.details } : {}) },
    });
  });
  return { statusCode: requestRejected ? 400 : 200, response: { data: execution.data ?? null, errors } };
}
