import type { z } from 'zod';

/** An opaque page cursor: JSON in base64url. */
export function encodeJsonCursor(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

/**
 * Decodes a cursor and checks its decoded values, not only its shape, with the schema (a timestamp
 * that is a real moment in the storable range, an id within its column's type…): a forged cursor is
 * then a 400, never a database error. Null when it is not a valid cursor.
 */
export function decodeJsonCursor<S extends z.ZodType>(text: string, schema: S): z.infer<S> | null {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  const result = schema.safeParse(decoded);
  return result.success ? result.data : null;
}
