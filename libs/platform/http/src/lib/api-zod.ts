import { applyDecorators } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiOperation,
  ApiProduces,
  ApiQuery,
  ApiResponse,
  type OpenAPIObject,
} from '@nestjs/swagger';
import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { z } from 'zod';
import { errorBodySchema } from './error-response';

/**
 * Schemas named with zod's `.meta({ id })` (Task, Reminder, Error …), collected as the decorators
 * below are applied, and added to the document's `components.schemas` when it is built.
 */
const namedSchemas = new Map<string, SchemaObject>();

const COMPONENTS = '#/components/schemas/';

/**
 * The zod schema that validates a request (or builds a response) is also what OpenAPI documents: one
 * source of truth. OpenAPI 3.0 dialect (`nullable`, no type arrays); named sub-schemas become
 * components referenced with `$ref`.
 */
export function openApiSchema(schema: z.ZodType, io: 'input' | 'output' = 'input'): SchemaObject {
  const {
    $schema: _dialect,
    definitions = {},
    ...json
  } = z.toJSONSchema(schema, {
    target: 'openapi-3.0',
    io,
    unrepresentable: 'any',
  }) as Record<string, unknown> & { definitions?: Record<string, SchemaObject> };
  const typeOf = (reference: string) => definitions[reference.replace('#/definitions/', '')]?.type;
  for (const [id, definition] of Object.entries(definitions)) {
    const named = pointRefsAtComponents(definition, typeOf) as SchemaObject;
    const known = namedSchemas.get(id);
    if (known && JSON.stringify(known) !== JSON.stringify(named))
      throw new Error(`Two different schemas are named "${id}" in the OpenAPI document`);
    namedSchemas.set(id, named);
  }
  return pointRefsAtComponents(json, typeOf) as SchemaObject;
}

/**
 * Points `$ref`s at the components, and gives a nullable reference (`nullable` + `allOf: [$ref]`) the
 * referenced schema's `type`: OpenAPI 3.0 ignores `nullable` without a `type` beside it.
 */
function pointRefsAtComponents(value: unknown, typeOf: (reference: string) => unknown): unknown {
  if (Array.isArray(value)) return value.map((item) => pointRefsAtComponents(item, typeOf));
  if (!value || typeof value !== 'object') return value;
  const node = value as Record<string, unknown> & { allOf?: Array<{ $ref?: string }> };
  const reference = node.allOf?.length === 1 ? node.allOf[0]?.$ref : undefined;
  const typed = node['nullable'] && !node['type'] && reference ? { type: typeOf(reference), ...node } : node;
  return Object.fromEntries(
    Object.entries(typed).map(([key, item]) => [
      key,
      key === '$ref' && typeof item === 'string'
        ? item.replace('#/definitions/', COMPONENTS)
        : pointRefsAtComponents(item, typeOf),
    ]),
  );
}

export const ApiZodBody = (schema: z.ZodType) => ApiBody({ schema: openApiSchema(schema) });

/** Documents each property of an object schema as a query parameter. */
export function ApiZodQuery(schema: z.ZodObject | z.ZodType) {
  const json = openApiSchema(schema) as SchemaObject & { properties: Record<string, SchemaObject> };
  return applyDecorators(
    ...Object.entries(json.properties).map(([name, property]) =>
      ApiQuery({ name, required: false, schema: property, description: property.description }),
    ),
  );
}

/** Errors a route can answer with, each in the one error shape (`Error`). */
const ERROR_MEANINGS = {
  400: 'Invalid input: `message` says what to fix, `details` names each field',
  401: 'No valid access token: send `Authorization: Bearer <access_token>`',
  404: 'Not found among your own resources',
  409: 'Conflict with the current state',
  413: 'The request body is larger than the configured limit',
  415: 'The request body is not `application/json`',
  429: 'Too many attempts from this address; retry after the `Retry-After` seconds',
  503: 'A service this one depends on did not answer; retry later',
} as const;
export type ErrorStatus = keyof typeof ERROR_MEANINGS;

export interface ApiEndpointSpec {
  /** Stable name for generated clients, e.g. `createTask`. */
  readonly operationId: string;
  readonly summary: string;
  readonly description?: string;
  /** No bearer token needed. */
  readonly public?: boolean;
  /** JSON request body; implies 400, 413 and 415. */
  readonly body?: z.ZodType;
  /** Query parameters (an object schema); implies 400. */
  readonly query?: z.ZodType;
  /** Success statuses with their body (`null`: no body). */
  readonly responses: Partial<Record<200 | 201 | 204, { description: string; schema: z.ZodType | null }>>;
  /** Further errors this route answers with, and what they mean here (`true`: the general meaning). */
  readonly errors?: Partial<Record<ErrorStatus, string | true>>;
}

/**
 * One REST operation, fully documented: summary, operationId, security, parameters, success bodies
 * and every error the route can answer with (those the request's shape implies are added: a body can
 * be malformed, too large or of another media type, and a token can be missing).
 */
export function ApiEndpoint(spec: ApiEndpointSpec) {
  const errors: Partial<Record<ErrorStatus, string | true>> = {
    ...(spec.body || spec.query ? { 400: true } : {}),
    ...(spec.public ? {} : { 401: true }),
    ...(spec.body ? { 413: true, 415: true } : {}),
    ...spec.errors,
  };
  const errorSchema = openApiSchema(errorBodySchema, 'output');
  return applyDecorators(
    ApiOperation({ operationId: spec.operationId, summary: spec.summary, description: spec.description }),
    ...(spec.public ? [] : [ApiBearerAuth()]),
    ...(spec.body ? [ApiZodBody(spec.body)] : []),
    ...(spec.query ? [ApiZodQuery(spec.query)] : []),
    ...Object.entries(spec.responses).map(([status, { description, schema }]) =>
      ApiResponse({
        status: Number(status),
        description,
        ...(schema ? { schema: openApiSchema(schema, 'output') } : {}),
      }),
    ),
    ...Object.entries(errors).map(([status, meaning]) =>
      ApiResponse({
        status: Number(status),
        description: meaning === true ? ERROR_MEANINGS[Number(status) as ErrorStatus] : meaning,
        schema: errorSchema,
      }),
    ),
    ApiProduces('application/json'),
  );
}

/**
 * Completes what Nest's scanner leaves out: the named schemas, and `security: []` on public
 * operations (so "no token needed" is stated, not implied by an omission).
 */
export function completeOpenApiDocument(document: OpenAPIObject): OpenAPIObject {
  for (const path of Object.values(document.paths))
    for (const method of ['get', 'put', 'post', 'delete', 'patch'] as const) {
      const operation = path[method];
      if (operation && !operation.security) operation.security = [];
    }
  document.components = {
    ...document.components,
    schemas: { ...document.components?.schemas, ...Object.fromEntries(namedSchemas) },
  };
  return document;
}
