import type { Type } from '@nestjs/common';
import {
  Field,
  Float,
  GraphQLISODateTime,
  ID,
  InputType,
  Int,
  ObjectType,
  type ReturnTypeFuncValue,
} from '@nestjs/graphql';
import { z } from 'zod';

/**
 * GraphQL types derived from the zod schemas that REST validates with and events carry, so a field is
 * defined once. Fields are camelCase; snake_case JSON Schema properties map as `time_zone` →
 * `timeZone`. Output fields with `format: date-time` are `DateTime`, properties named `id` are `ID`,
 * integers `Int`, enums `String` (their values are in the description).
 */

interface JsonSchema {
  type?: string;
  format?: string;
  nullable?: boolean;
  description?: string;
  enum?: unknown[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  $ref?: string;
  allOf?: JsonSchema[];
  definitions?: Record<string, JsonSchema>;
}

export type GraphqlKind = 'object' | 'input';

const camel = (name: string) =>
  name.replace(/_([a-z0-9])/g, (_match, letter: string) => letter.toUpperCase());
const snake = (name: string) => name.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);

/** One class per GraphQL type name, however many schemas mention it. */
const derived = new Map<string, { type: Type<unknown>; shape: string }>();

const jsonSchemas = {
  input: new WeakMap<z.ZodType, JsonSchema>(),
  object: new WeakMap<z.ZodType, JsonSchema>(),
};

/** Converted once per schema: resolvers convert every value they return with it. */
function jsonSchemaOf(schema: z.ZodType, kind: GraphqlKind): JsonSchema {
  const known = jsonSchemas[kind].get(schema);
  if (known) return known;
  const json = z.toJSONSchema(schema, {
    target: 'openapi-3.0',
    io: kind === 'input' ? 'input' : 'output',
    unrepresentable: 'any',
  }) as JsonSchema;
  jsonSchemas[kind].set(schema, json);
  return json;
}

export interface GraphqlTypeOptions {
  /** The GraphQL name; default: the schema's `.meta({ id })`. */
  readonly name?: string;
  /** Names for nested unnamed objects, by property (e.g. `{ recurrence: 'RecurrenceInput' }`). */
  readonly nested?: Readonly<Record<string, string>>;
  readonly description?: string;
}

/** A GraphQL object or input type whose fields are the properties of a zod object schema. */
export function graphqlTypeOf(schema: z.ZodType, kind: GraphqlKind, options: GraphqlTypeOptions = {}) {
  const json = jsonSchemaOf(schema, kind);
  const definitions = json.definitions ?? {};
  /** A `$ref` to a named schema, or zod's nullable form of one (`allOf: [$ref]` with `nullable`). */
  const resolve = (node: JsonSchema): { node: JsonSchema; name?: string } => {
    const reference = node.$ref ?? (node.allOf?.length === 1 ? node.allOf[0]?.$ref : undefined);
    const name = reference?.replace('#/definitions/', '');
    return name ? { node: { ...definitions[name], nullable: node.nullable }, name } : { node };
  };
  const root = resolve(json);
  const name = options.name ?? root.name;
  if (!name) throw new Error('A derived GraphQL type needs a name: give the schema .meta({ id }) or a name');

  const build = (typeName: string, node: JsonSchema): Type<unknown> => {
    const shape = JSON.stringify(node);
    const known = derived.get(`${kind}:${typeName}`);
    if (known) {
      if (known.shape !== shape) throw new Error(`Two different GraphQL ${kind} types are named ${typeName}`);
      return known.type;
    }
    const type = class {} as Type<unknown>;
    Object.defineProperty(type, 'name', { value: typeName });
    const required = new Set(node.required ?? []);
    for (const [property, raw] of Object.entries(node.properties ?? {})) {
      const { node: field, name: fieldTypeName } = resolve(raw);
      const graphqlType = fieldType(property, field, fieldTypeName);
      const nullable = Boolean(field.nullable) || !required.has(property);
      Field(() => graphqlType, { nullable, description: describe(field) })(type.prototype, camel(property));
    }
    (kind === 'input' ? InputType : ObjectType)(typeName, { description: node.description })(type);
    derived.set(`${kind}:${typeName}`, { type, shape });
    return type;
  };

  const fieldType = (property: string, field: JsonSchema, namedType?: string): ReturnTypeFuncValue => {
    switch (field.type) {
      case 'string':
        if (property === 'id') return ID;
        return kind === 'object' && field.format === 'date-time' ? GraphQLISODateTime : String;
      case 'integer':
        return Int;
      case 'number':
        return Float;
      case 'boolean':
        return Boolean;
      case 'array': {
        const item = resolve(field.items ?? {});
        return [fieldType(property, item.node, item.name)] as ReturnTypeFuncValue;
      }
      case 'object': {
        const nestedName = namedType ?? options.nested?.[property];
        if (!nestedName) throw new Error(`Name the nested GraphQL type of "${property}" (options.nested)`);
        return build(kind === 'input' && namedType ? `${namedType}Input` : nestedName, field);
      }
      default:
        throw new Error(`"${property}" has no GraphQL type (JSON Schema type ${String(field.type)})`);
    }
  };

  return build(name, { ...root.node, description: options.description ?? root.node.description });
}

function describe(field: JsonSchema): string | undefined {
  if (field.description) return field.description;
  return field.enum ? `One of: ${field.enum.join(', ')}` : undefined;
}

/**
 * A wire value (snake_case JSON, e.g. a task snapshot) as the derived GraphQL object type holds it:
 * camelCase keys, and `Date`s where the schema has date-times (the DateTime scalar serializes Dates).
 */
export function toGraphqlObject(schema: z.ZodType, value: unknown): unknown {
  const json = jsonSchemaOf(schema, 'object');
  const definitions = json.definitions ?? {};
  const convert = (node: JsonSchema, item: unknown): unknown => {
    const reference = node.$ref ?? (node.allOf?.length === 1 ? node.allOf[0]?.$ref : undefined);
    const resolved = reference ? (definitions[reference.replace('#/definitions/', '')] ?? {}) : node;
    if (item === null || item === undefined) return item;
    if (Array.isArray(item)) return item.map((entry) => convert(resolved.items ?? {}, entry));
    if (typeof item === 'string' && resolved.format === 'date-time') return new Date(item);
    if (typeof item !== 'object') return item;
    return Object.fromEntries(
      Object.entries(item).map(([key, entry]) => [
        camel(key),
        convert(resolved.properties?.[key] ?? {}, entry),
      ]),
    );
  };
  return convert(json, value);
}

/** GraphQL input arguments in the wire spelling the zod schemas validate (`tagMatch` → `tag_match`). */
export function fromGraphqlInput(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(fromGraphqlInput);
  if (!value || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, entry]) => [snake(key), fromGraphqlInput(entry)]),
  );
}
