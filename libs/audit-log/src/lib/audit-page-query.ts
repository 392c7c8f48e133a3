import { decodeJsonCursor, encodeJsonCursor, STORABLE_INSTANTS } from '@todo/validation';
import { z } from 'zod';

/** A position in the log: the last entry's event time and row id. */
interface AuditPosition {
  occurredAt: Date;
  id: string;
}

const MAX_BIGINT = 2n ** 63n - 1n;

/** The cursor's values as encoded: event time in epoch ms (storable range), row id as bigint text. */
const positionSchema = z
  .tuple([
    z.number().int().min(STORABLE_INSTANTS.min.getTime()).max(STORABLE_INSTANTS.max.getTime()),
    // zod runs a refinement even after the regex failed: BigInt must only see digits.
    z.string().refine((id) => /^\d{1,19}$/.test(id) && BigInt(id) <= MAX_BIGINT),
  ])
  .transform(([millis, id]): AuditPosition => ({ occurredAt: new Date(millis), id }));

export function encodeAuditCursor(position: AuditPosition): string {
  return encodeJsonCursor([position.occurredAt.getTime(), position.id]);
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
    .transform((cursor, ctx) => {
      const position = decodeJsonCursor(cursor, positionSchema);
      if (position) return position;
      ctx.addIssue({ code: 'custom', message: 'is not a cursor returned by a previous page' });
      return z.NEVER;
    })
    .optional(),
});

export type AuditPageQuery = z.infer<typeof auditPageQuerySchema>;
