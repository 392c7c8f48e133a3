import { encodeJsonCursor } from '@todo/validation';
import { auditPageQuerySchema, encodeAuditCursor } from './audit-page-query';

describe('auditPageQuerySchema', () => {
  const cursor = (value: unknown) => auditPageQuerySchema.safeParse({ cursor: encodeJsonCursor(value) });

  it('reads back a cursor it issued', () => {
    const position = { occurredAt: new Date('2026-11-23T09:00:00Z'), id: '42' };
    expect(auditPageQuerySchema.parse({ cursor: encodeAuditCursor(position) }).cursor).toEqual(position);
  });

  it.each([
    ['another list’s cursor', ['relevance', 'desc', 'x', 'ffffffff-ffff-ffff-ffff-ffffffffffff']],
    ['a word as the id', [Date.UTC(2026, 0, 1), 'desc']],
    ['an id past bigint', [Date.UTC(2026, 0, 1), '9223372036854775808']],
    ['a time before 1970', [-1, '1']],
  ])('refuses %s as a cursor (no throw)', (_, value) => {
    const result = cursor(value);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0].message).toBe('is not a cursor returned by a previous page');
  });
});
