import { z } from 'zod';

/** A position in the log: the last entry's event time (epoch ms) and row id. */
const CURSOR = /^audit:(\d{1,15}):(\d{1,19})$/;

export interface AuditPosition {
  occurredAt: Date;
  id: string;
}

export function encodeAuditCursor(position: AuditPosition): string {
  return Buffer.from(`audit:${position.occurredAt.getTime()}:${position.id}`).toString('base64url');
}

/** The entry a cursor points after (cursors are validated by the schema below). */
export function decodeAuditCursor(cursor: string): AuditPosition {
  const [, millis, id] = CURSOR.exec(Buffer.from(cursor, 'base64url').toString()) as RegExpExecArray;
  return { occurredAt: new Date(Number(millis)), id };
}

/** `limit` and `cursor` (from a previous page's `next_cursor`) for history and activity. */
export const auditPageQuerySchema = z.strictObject({
  limit: z.coerce
    .number({ message: 'must be a whole number' })
    .int({ message: 'must be a whole number' })
    .min(1, { message: 'must be at least 1' })
    .max(100, { message: 'must be at most 100' })
    .default(50),
  cursor: z
    .string()
    .refine((cursor) => CURSOR.test(Buffer.from(cursor, 'base64url').toString()), {
      message: 'is not a cursor returned by a previous page',
    })
    .optional(),
});

export type AuditPageQuery = z.infer<typeof auditPageQuerySchema>;
