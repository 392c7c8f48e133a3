import fc from 'fast-check';
import { type FuzzTargets, hostileJson, hostileNumber, hostileString } from './hostile-values';

/** The parts of JSON Schema that zod's `toJSONSchema` emits for request bodies and tool arguments. */
export interface JsonSchema {
  type?: string | string[];
  /** OpenAPI 3.0's way to admit null. */
  nullable?: boolean;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  maxItems?: number;
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  minimum?: number;
  maximum?: number;
}

/** A list far over any limit, of small items (huge items too would make requests of many megabytes). */
export const longList = fc.constantFrom('a', 1, null).map((item) => Array<unknown>(1_000).fill(item));

/** Keys no handler declares; some collide with Object.prototype. */
const EXTRA_KEYS = ['__proto__', 'constructor', 'user_id', 'owner_id', 'id', 'extra', ''];

/**
 * Values for a schema: mostly of the declared shape (so requests get past validation into the
 * code behind it) filled with hostile content, sometimes of a wrong type, with required keys
 * dropped or undeclared keys added. `name` is the property the value is for (a hint for strings).
 */
export function fromJsonSchema(schema: JsonSchema, targets: FuzzTargets, name = ''): fc.Arbitrary<unknown> {
  return fc.oneof(
    { weight: 6, arbitrary: ofDeclaredShape(schema, targets, name) },
    { weight: 1, arbitrary: hostileJson(targets) },
  );
}

function ofDeclaredShape(schema: JsonSchema, targets: FuzzTargets, name: string): fc.Arbitrary<unknown> {
  const variants = schema.anyOf ?? schema.oneOf;
  if (variants?.length) return fc.oneof(...variants.map((variant) => fromJsonSchema(variant, targets, name)));
  if (schema.enum?.length)
    return fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...schema.enum) }, hostileString(targets, name));
  if (schema.const !== undefined) return fc.constant(schema.const);
  const types = [schema.type ?? 'any', schema.nullable ? 'null' : []].flat();
  return fc.oneof(...types.map((type) => ofType(type, schema, targets, name)));
}

function ofType(type: string, schema: JsonSchema, targets: FuzzTargets, name: string): fc.Arbitrary<unknown> {
  switch (type) {
    case 'string':
      return hostileString(targets, name);
    case 'integer':
    case 'number': {
      const bounds = [schema.minimum, schema.maximum].filter((bound) => bound !== undefined);
      const nearBounds = bounds.flatMap((bound) => [bound - 1, bound, bound + 1, bound + 0.5]);
      return nearBounds.length ? fc.oneof(hostileNumber, fc.constantFrom(...nearBounds)) : hostileNumber;
    }
    case 'boolean':
      return fc.oneof(fc.boolean(), fc.constantFrom('true', 0, 1));
    case 'null':
      return fc.constant(null);
    case 'array':
      return fc.oneof(
        {
          weight: 5,
          arbitrary: fc.array(fromJsonSchema(schema.items ?? {}, targets, name), {
            maxLength: (schema.maxItems ?? 5) + 2,
          }),
        },
        { weight: 1, arbitrary: longList },
      );
    case 'object':
      return objectOf(schema, targets);
    default:
      return hostileJson(targets);
  }
}

function objectOf(schema: JsonSchema, targets: FuzzTargets): fc.Arbitrary<Record<string, unknown>> {
  const properties = schema.properties ?? {};
  const required = new Set(schema.required ?? []);
  const declared = fc.record(
    Object.fromEntries(
      Object.entries(properties).map(([key, property]) => [key, fromJsonSchema(property, targets, key)]),
    ),
    { requiredKeys: [] },
  );
  const extras = fc.dictionary(fc.constantFrom(...EXTRA_KEYS), hostileJson(targets), { maxKeys: 2 });
  return fc
    .tuple(declared, fc.oneof({ weight: 5, arbitrary: fc.constant({}) }, extras), fc.nat(9))
    .map(([values, extra, dice]) => {
      const object: Record<string, unknown> = {};
      // One time in ten the required keys are missing.
      if (dice > 0) for (const key of required) object[key] = values[key] ?? fillRequired(key);
      for (const [key, value] of Object.entries(values)) if (!required.has(key)) object[key] = value;
      // defineProperty: a plain assignment of "__proto__" would set the prototype instead of a key.
      for (const [key, value] of Object.entries(extra))
        Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
      return object;
    });
}

/** A required key fast-check left out this time gets a plain value, so the rest is exercised. */
const fillRequired = (key: string): unknown => (key === 'rrule' ? 'FREQ=DAILY' : `fuzz ${key}`);
