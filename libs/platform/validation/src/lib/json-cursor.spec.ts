import { z } from 'zod';
import { decodeJsonCursor, encodeJsonCursor } from './json-cursor';

describe('JSON cursors', () => {
  const schema = z.tuple([z.number().int().min(0), z.string().regex(/^\d+$/)]);

  it('round-trips a value through opaque base64url text', () => {
    const cursor = encodeJsonCursor([12, '34']);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeJsonCursor(cursor, schema)).toEqual([12, '34']);
  });

  it('checks the decoded values, not only that it decodes', () => {
    expect(decodeJsonCursor(encodeJsonCursor([-1, '34']), schema)).toBeNull();
    expect(decodeJsonCursor(encodeJsonCursor([1, 'x']), schema)).toBeNull();
    expect(decodeJsonCursor('not base64 json!', schema)).toBeNull();
    expect(decodeJsonCursor('', schema)).toBeNull();
  });
});
