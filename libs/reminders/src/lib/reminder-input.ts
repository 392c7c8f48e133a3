import { STORABLE_TIME_MESSAGE } from '@todo/validation';
import { z } from 'zod';
import type { ReminderTrigger } from './reminder';
import { parseReminderOffset } from './reminder-trigger';
import { instantOf, isInstantWithOffset, isStorableInstantText } from './wall-clock';

/** A new reminder as the API takes it (wire names, snake_case). */
export interface ReminderInput {
  readonly trigger: ReminderTrigger;
  /** Accept an `at` in the past instead of refusing it as a likely mistake. */
  readonly allowPast: boolean;
}

const AT_EXAMPLE = '"2026-11-24T17:00:00-05:00"';
const ONE_OF = 'send either "before" (e.g. "PT1H") or "at" (an RFC 3339 time)';

const before = z.string({ message: 'must be text, e.g. "PT1H"' }).transform((text, ctx) => {
  const check = parseReminderOffset(text);
  if (check.ok) return check.before;
  ctx.addIssue({ code: 'custom', message: check.reason });
  return z.NEVER;
});

const at = z
  .string({ message: `must be text, e.g. ${AT_EXAMPLE}` })
  .refine(isInstantWithOffset, {
    message: `must be an RFC 3339 time with offset, e.g. ${AT_EXAMPLE}`,
    abort: true,
  })
  .refine(isStorableInstantText, { message: STORABLE_TIME_MESSAGE })
  .transform(instantOf);

export const reminderInputSchema = z
  .strictObject(
    {
      before: before
        .optional()
        .describe('How long before the due, an ISO 8601 duration: "PT15M", "PT1H", "P1D", "P1W"'),
      at: at.optional().describe(`A fixed time, RFC 3339 with offset, e.g. ${AT_EXAMPLE}`),
      allow_past: z
        .boolean({ message: 'must be true or false' })
        .optional()
        .describe('Accept an "at" in the past instead of refusing it'),
    },
    { error: (issue) => (issue.code === 'invalid_type' ? `must be an object; ${ONE_OF}` : undefined) },
  )
  .transform((input, ctx): ReminderInput => {
    const allowPast = input.allow_past ?? false;
    if (input.before !== undefined && input.at === undefined)
      return { trigger: { before: input.before }, allowPast };
    if (input.at !== undefined && input.before === undefined) return { trigger: { at: input.at }, allowPast };
    ctx.addIssue({ code: 'custom', message: input.before === undefined ? ONE_OF : `${ONE_OF}, not both` });
    return z.NEVER;
  });
