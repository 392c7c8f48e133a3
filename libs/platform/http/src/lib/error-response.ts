import { HttpException, HttpStatus, Logger } from '@nestjs/common';
import { AppError, type ErrorDetail, refusedInputFromDatabase } from '@todo/errors';
import { z } from 'zod';

/** The one error body every REST endpoint returns (`Error` in the OpenAPI document). */
export const errorBodySchema = z
  .object({
    error: z.object({
      status: z.number().int().min(400).max(599).describe('The HTTP status, repeated'),
      code: z
        .string()
        .describe(
          'Stable machine-readable reason: validation_failed, bad_request, unauthorized, not_found, conflict, payload_too_large, unsupported_media_type, rate_limited, unavailable, internal_error …',
        ),
      message: z.string().describe('What went wrong, in a sentence a person can act on'),
      details: z
        .array(
          z.object({
            path: z.string().describe('The field, spelled as the client sent it (snake_case over REST)'),
            message: z.string(),
          }),
        )
        .optional()
        .describe('One entry per invalid field'),
      request_id: z.string().optional().describe('Quote it when reporting a problem (also `X-Request-Id`)'),
    }),
  })
  .meta({ id: 'Error' });
export type ErrorBody = z.infer<typeof errorBodySchema>;

const CODE_BY_STATUS: Record<number, string> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  406: 'not_acceptable',
  409: 'conflict',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  422: 'unprocessable',
  429: 'rate_limited',
};

/**
 * Request errors raised by Fastify itself (FST_: body parsing, limits) or by the GraphQL server
 * (MER_: a document that does not parse or validate, with the GraphQL errors inside).
 */
interface ServerRequestError {
  statusCode: number;
  code?: string;
  message: string;
  errors?: ReadonlyArray<{ message: string }>;
}

function isServerRequestError(error: unknown): error is ServerRequestError {
  const statusCode = (error as Partial<ServerRequestError>)?.statusCode;
  return (
    typeof statusCode === 'number' &&
    statusCode >= 400 &&
    statusCode < 500 &&
    /^(FST|MER)_/.test(String((error as ServerRequestError).code ?? ''))
  );
}

const FASTIFY_MESSAGES: Record<string, string> = {
  FST_ERR_CTP_INVALID_JSON_BODY: 'The request body is not valid JSON',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'The request body is empty; send a JSON object',
  FST_ERR_CTP_BODY_TOO_LARGE: 'The request body is too large',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'Unsupported Content-Type; send application/json',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'Content-Length does not match the body',
};

const logger = new Logger('HttpErrors');

/**
 * Maps any thrown value to a status and body. Expected failures keep their message; anything else
 * becomes a 500 whose details stay in the log (`internal` tells the caller to log it).
 */
export function toErrorResponse(error: unknown): { status: number; body: ErrorBody; internal: boolean } {
  const make = (status: number, code: string, message: string, details?: readonly ErrorDetail[]) => ({
    status,
    body: { error: { status, code, message, ...(details?.length ? { details: [...details] } : {}) } },
    internal: status >= 500,
  });
  if (error instanceof AppError) return make(error.status, error.code, error.message, error.details);
  if (error instanceof HttpException) {
    const status = error.getStatus();
    const response = error.getResponse();
    const message =
      typeof response === 'object' && response && 'message' in response
        ? [response.message].flat().join('; ')
        : error.message;
    return make(
      status,
      CODE_BY_STATUS[status] ?? (status >= 500 ? 'internal_error' : 'bad_request'),
      message,
    );
  }
  if (isServerRequestError(error)) {
    const message =
      FASTIFY_MESSAGES[error.code ?? ''] ??
      (error.errors?.length ? error.errors.map((e) => e.message).join('; ') : error.message);
    return make(error.statusCode, CODE_BY_STATUS[error.statusCode] ?? 'bad_request', message);
  }
  const refused = refusedInputFromDatabase(error);
  if (refused) {
    // Still a 400 for the caller, but a schema let this value through: worth a look.
    logger.warn({ msg: 'the database refused an input value that validation let through', err: error });
    return make(refused.status, refused.code, refused.message, refused.details);
  }
  return make(
    HttpStatus.INTERNAL_SERVER_ERROR,
    'internal_error',
    'Something went wrong on our side; it has been logged',
  );
}
