import fc from 'fast-check';
import { encodePathPart, type FuzzRequest } from './fuzz-request';
import { type FuzzTargets, hostileString } from './hostile-values';
import { fromJsonSchema, type JsonSchema } from './json-schema-arbitraries';

/** The parts of an OpenAPI 3 document the fuzzer walks. */
export interface OpenApiDocument {
  paths: Record<string, Record<string, OpenApiOperationObject>>;
}

interface OpenApiOperationObject {
  parameters?: Array<{ name: string; in: string; required?: boolean; schema?: JsonSchema }>;
  requestBody?: { content?: Record<string, { schema?: JsonSchema }> };
  security?: unknown[];
}

export interface OpenApiOperation {
  readonly method: string;
  /** The templated path, e.g. /api/v1/tasks/{ref}. */
  readonly path: string;
  readonly pathParams: readonly string[];
  readonly queryParams: ReadonlyArray<{ name: string; schema: JsonSchema }>;
  readonly body?: JsonSchema;
  readonly secured: boolean;
}

const METHODS = new Set(['get', 'post', 'put', 'patch', 'delete']);

/** Every operation of the document, in document order. */
export function listOperations(document: OpenApiDocument): OpenApiOperation[] {
  return Object.entries(document.paths).flatMap(([path, operations]) =>
    Object.entries(operations)
      .filter(([method]) => METHODS.has(method))
      .map(([method, operation]) => {
        const parameters = operation.parameters ?? [];
        return {
          method: method.toUpperCase(),
          path,
          pathParams: parameters.filter((p) => p.in === 'path').map((p) => p.name),
          queryParams: parameters
            .filter((p) => p.in === 'query')
            .map((p) => ({ name: p.name, schema: p.schema ?? {} })),
          body: operation.requestBody?.content?.['application/json']?.schema,
          secured: (operation.security?.length ?? 0) > 0,
        };
      }),
  );
}

/** Already-encoded path segments that trip decoders (bad escapes, encoded slashes, invalid UTF-8). */
const RAW_SEGMENTS = ['%', '%zz', '%00', '%ED%A0%80', '%C0%AF', '..%2F..', '%2F', '.', '..', 'a%20b'];

const pathValue = (targets: FuzzTargets, name: string) =>
  fc.oneof(
    { weight: 5, arbitrary: hostileString(targets, name).map(encodePathPart) },
    { weight: 1, arbitrary: fc.constantFrom(...RAW_SEGMENTS) },
  );

/** A query value as a browser would send it: scalars as text, lists comma-separated or repeated. */
function queryPairs(name: string, value: unknown): Array<[string, string]> {
  if (Array.isArray(value))
    return value.length > 3
      ? value.map((item) => [name, toText(item)])
      : [[name, value.map(toText).join(',')]];
  return [[name, toText(value)]];
}

const toText = (value: unknown) => (typeof value === 'string' ? value : (JSON.stringify(value) ?? ''));

function queryString(operation: OpenApiOperation, targets: FuzzTargets): fc.Arbitrary<string> {
  const declared = fc.record(
    Object.fromEntries(
      operation.queryParams.map(({ name, schema }) => [name, fromJsonSchema(schema, targets, name)]),
    ),
    { requiredKeys: [] },
  );
  const undeclared = fc.option(
    fc.tuple(fc.constantFrom('user_id', 'limit[]', '__proto__', 'q'), hostileString(targets)),
    {
      freq: 5,
    },
  );
  return fc.tuple(declared, undeclared).map(([values, extra]) => {
    const pairs = Object.entries(values).flatMap(([name, value]) => queryPairs(name, value));
    if (extra) pairs.push(extra);
    if (!pairs.length) return '';
    return `?${pairs.map(([name, value]) => `${encodePathPart(name)}=${encodePathPart(value)}`).join('&')}`;
  });
}

/** Requests for one operation with hostile path parameters, query parameters and JSON body. */
export function operationRequests(
  operation: OpenApiOperation,
  targets: FuzzTargets,
): fc.Arbitrary<FuzzRequest> {
  const params = fc.record(
    Object.fromEntries(operation.pathParams.map((name) => [name, pathValue(targets, name)])),
  ) as fc.Arbitrary<Record<string, string>>;
  const canHaveBody = operation.method !== 'GET';
  const body: fc.Arbitrary<unknown> =
    operation.body && canHaveBody
      ? fc.oneof({ weight: 9, arbitrary: fromJsonSchema(operation.body, targets) }, fc.constant(undefined))
      : fc.constant(undefined);
  return fc.tuple(params, queryString(operation, targets), body).map(([values, query, json]) => ({
    surface: 'rest',
    operation: `${operation.method} ${operation.path}`,
    method: operation.method,
    path: operation.path.replace(/\{(\w+)\}/g, (_, name: string) => values[name] ?? '') + query,
    ...(json !== undefined && { body: json }),
    auth: 'attacker',
  }));
}
