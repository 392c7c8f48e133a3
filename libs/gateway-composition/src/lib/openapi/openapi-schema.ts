import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

/** The parts of an OpenAPI 3.0 document the contract tests read. */
export interface OpenApiDocument {
  paths: Record<string, Record<string, OpenApiOperation>>;
  components?: { schemas?: Record<string, unknown> };
}

export interface OpenApiOperation {
  operationId?: string;
  security?: Array<Record<string, string[]>>;
  requestBody?: unknown;
  responses: Record<string, { description: string; content?: Record<string, { schema?: unknown }> }>;
}

export const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;

/** Every operation as `METHOD /path` with its description. */
export function operationsOf(document: OpenApiDocument): Map<string, OpenApiOperation> {
  const operations = new Map<string, OpenApiOperation>();
  for (const [path, item] of Object.entries(document.paths))
    for (const method of HTTP_METHODS)
      if (item[method]) operations.set(`${method.toUpperCase()} ${path}`, item[method]);
  return operations;
}

/**
 * OpenAPI 3.0 schema → JSON Schema (draft 7) for Ajv: `nullable` becomes a union with null (3.0
 * applies it to a `$ref` beside it too), boolean `exclusiveMinimum`/`exclusiveMaximum` become numbers.
 */
export function toJsonSchema(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(toJsonSchema);
  if (!value || typeof value !== 'object') return value;
  const { nullable, exclusiveMinimum, exclusiveMaximum, ...rest } = value as Record<string, unknown>;
  const node = Object.fromEntries(Object.entries(rest).map(([key, item]) => [key, toJsonSchema(item)]));
  if (exclusiveMinimum === true) {
    node['exclusiveMinimum'] = node['minimum'];
    delete node['minimum'];
  }
  if (exclusiveMaximum === true) {
    node['exclusiveMaximum'] = node['maximum'];
    delete node['maximum'];
  }
  return nullable === true ? { anyOf: [node, { type: 'null' }] } : node;
}

/** Validators for the document's response bodies, `$ref`s to its components resolved. */
export class ResponseValidator {
  private readonly ajv = new Ajv({ strict: false, allErrors: true });
  private readonly compiled = new Map<unknown, ValidateFunction>();
  private readonly components: unknown;

  constructor(document: OpenApiDocument) {
    addFormats(this.ajv);
    this.components = toJsonSchema(document.components ?? {});
  }

  /** Problems of `body` against `schema` (empty when it conforms). */
  problems(schema: unknown, body: unknown): string[] {
    let validate = this.compiled.get(schema);
    if (!validate) {
      validate = this.ajv.compile({
        ...(toJsonSchema(schema) as object),
        components: this.components,
      });
      this.compiled.set(schema, validate);
    }
    return validate(body)
      ? []
      : (validate.errors ?? []).map((error) => `${error.instancePath || '/'} ${error.message ?? ''}`);
  }
}
