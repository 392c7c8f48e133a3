import { describeRequest, encodePathPart } from './fuzz-request';

describe('fuzz requests', () => {
  it('percent-encodes any text for a path, a lone surrogate as the bytes a careless encoder sends', () => {
    expect(encodePathPart('a b/😀')).toBe('a%20b%2F%F0%9F%98%80');
    expect(encodePathPart('x\ud800')).toBe('x%ED%A0%80');
  });

  it('describes a request with invisible characters made visible and long bodies cut', () => {
    const text = describeRequest({
      surface: 'rest',
      operation: 'POST /api/v1/tasks',
      method: 'POST',
      path: '/api/v1/tasks',
      body: { title: 'a\u0000b', description: 'y'.repeat(1_000) },
      headers: { 'content-type': 'application/json' },
      auth: 'expired',
    });
    expect(text).toMatch(
      /^POST \/api\/v1\/tasks\nauth: expired\ncontent-type: application\/json\n\{"title":"a\\u0000b"/,
    );
    expect(text).toMatch(/… \(10\d\d characters\)$/);
  });
});
