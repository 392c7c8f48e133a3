import { findUnstorableText } from '@todo/validation';
import type { z } from 'zod';
import { ValidationError } from './app-errors';

/**
 * Schemas use the wire names of REST and the chat tools (snake_case). GraphQL callers know the
 * same fields in camelCase, so their error paths are translated.
 */
export type PathStyle = 'snake' | 'camel';

const toCamel = (name: string) => name.replace(/_([a-z0-9])/g, (_, letter: string) => letter.toUpperCase());
const inStyle = (name: string, style: PathStyle) => (style === 'camel' ? toCamel(name) : name);
const pathText = (path: readonly PropertyKey[], style: PathStyle) =>
  path.map((segment) => inStyle(String(segment), style)).join('.');

/** Turns zod issues into one ValidationError whose field paths use the caller's naming style. */
function validationErrorFromZod(error: z.ZodError, style: PathStyle = 'snake'): ValidationError {
  return new ValidationError(
    error.issues.map((issue) => ({
      path: pathText(issue.path, style),
      message:
        issue.code === 'unrecognized_keys'
          ? `unknown field${issue.keys.length > 1 ? 's' : ''}: ${issue.keys.map((key) => inStyle(key, style)).join(', ')}`
          : issue.message,
    })),
  );
}

/**
 * Parses input with a schema or throws a ValidationError a person can act on. Every string in the input
 * must first be text PostgreSQL can store (no NUL, no lone surrogate), whichever field it is in: one
 * check for the whole class instead of one per string field.
 */
export function parseOrThrow<S extends z.ZodType>(
  schema: S,
  input: unknown,
  style: PathStyle = 'snake',
): z.infer<S> {
  const unstorable = findUnstorableText(input);
  if (unstorable)
    throw new ValidationError([{ path: pathText(unstorable.path, style), message: unstorable.message }]);
  const result = schema.safeParse(input);
  if (!result.success) throw validationErrorFromZod(result.error, style);
  return result.data;
}
