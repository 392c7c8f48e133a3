import { applyDecorators } from '@nestjs/common';
import { ApiBody, ApiQuery } from '@nestjs/swagger';
import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { z } from 'zod';

/** The zod schema that validates a request is also what OpenAPI documents: one source of truth. */
function openApiSchema(schema: z.ZodType): SchemaObject {
  const { $schema: _ignored, ...json } = z.toJSONSchema(schema, {
    io: 'input',
    unrepresentable: 'any',
  }) as Record<string, unknown>;
  return json as SchemaObject;
}

export const ApiZodBody = (schema: z.ZodType) => ApiBody({ schema: openApiSchema(schema) });

/** Documents each property of an object schema as a query parameter. */
export function ApiZodQuery(schema: z.ZodObject) {
  const json = openApiSchema(schema) as SchemaObject & { properties: Record<string, SchemaObject> };
  return applyDecorators(
    ...Object.entries(json.properties).map(([name, property]) =>
      ApiQuery({ name, required: false, schema: property, description: property.description }),
    ),
  );
}
