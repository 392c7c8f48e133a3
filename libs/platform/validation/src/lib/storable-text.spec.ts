import {
  findUnstorableText,
  isStorableText,
  STORABLE_TEXT_MESSAGES,
  toStorableJson,
  toStorableText,
} from './storable-text';

describe('storable text', () => {
  it('refuses NUL and lone surrogates, keeps every other character', () => {
    expect(isStorableText('Buy milk 🥛 — ünïcode\ttabs\nnewlines')).toBe(true);
    expect(isStorableText('a\u0000b')).toBe(false);
    expect(isStorableText('a\ud800b')).toBe(false);
    expect(isStorableText('a\udc00')).toBe(false);
    expect(isStorableText('\ud83e\udd5b')).toBe(true); // a surrogate pair is one emoji
  });

  it('finds the first bad string anywhere in an input, values and keys, with its path', () => {
    expect(findUnstorableText({ title: 'ok', tags: ['fine', 'x\u0000'] })).toEqual({
      path: ['tags', 1],
      message: STORABLE_TEXT_MESSAGES.nul,
    });
    expect(findUnstorableText({ reminders: [{ 'at\ud800': 1 }] })).toEqual({
      path: ['reminders', 0],
      message: `a field name ${STORABLE_TEXT_MESSAGES.surrogate}`,
    });
    expect(findUnstorableText({ a: 1, b: null, c: [true, { d: 'fine' }] })).toBeNull();
    expect(findUnstorableText('\u0000')).toEqual({ path: [], message: STORABLE_TEXT_MESSAGES.nul });
  });

  it('walks a hostile, deeply nested input without overflowing the stack', () => {
    const deep = JSON.parse(`${'['.repeat(100_000)}"\\u0000"${']'.repeat(100_000)}`);
    expect(findUnstorableText(deep)?.path).toHaveLength(100_000);
  });

  it('makes text the app must keep storable by replacing only the bad characters', () => {
    expect(toStorableText('a\u0000b\ud800c\ud83e\udd5b')).toBe('a\ufffdb\ufffdc\ud83e\udd5b');
    const json = toStorableJson([{ title: 'x\u0000', ['k\udc00']: ['\ud800'], n: 1, none: null }]);
    expect(JSON.parse(json)).toEqual([{ title: 'x\ufffd', 'k\ufffd': ['\ufffd'], n: 1, none: null }]);
    expect(isStorableText(json)).toBe(true);
    expect(json).not.toMatch(/\\u(0000|d[89a-f])/i);
  });
});
