import type { FuzzRequest } from './fuzz-request';
import type { OpenApiOperation } from './openapi-arbitraries';

/** Bodies that are not the JSON they claim to be, or are JSON of a size or depth nobody plans for. */
const MALFORMED_BODIES: ReadonlyArray<[string, string | Buffer]> = [
  ['truncated JSON', '{"title":'],
  ['trailing comma', '{"title":"a",}'],
  ['JSON null', 'null'],
  ['JSON array', '[]'],
  ['JSON string', '"title"'],
  ['JSON number overflow', '1e999999'],
  ['duplicate keys', '{"title":"a","title":{"b":1}}'],
  ['__proto__ key', '{"__proto__":{"isAdmin":true},"title":"a"}'],
  ['escaped NUL', '{"title":"a\\u0000b","message":"a\\u0000b"}'],
  ['escaped lone surrogate', '{"title":"\\ud800","message":"\\udfff"}'],
  ['byte-order mark', '\ufeff{"title":"a"}'],
  ['invalid UTF-8', Buffer.from([0x7b, 0x22, 0x74, 0x22, 0x3a, 0x22, 0xc3, 0x28, 0xff, 0x22, 0x7d])],
  ['deeply nested arrays', `${'['.repeat(100_000)}${']'.repeat(100_000)}`],
  ['deeply nested objects', `${'{"a":'.repeat(50_000)}1${'}'.repeat(50_000)}`],
  ['empty body', ''],
  ['oversized body (2 MB)', JSON.stringify({ title: 'x', description: 'y'.repeat(2 * 1024 * 1024) })],
];

const CONTENT_TYPES = [
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/json; charset=utf-16',
  'application/json; charset=nonsense',
  'application/xml',
  'application/json, text/html',
  '*/*',
  '',
];

const concrete = (operation: OpenApiOperation, ref: string) =>
  operation.path.replace(/\{(\w+)\}/g, (_, name: string) =>
    name === 'ref' ? ref : '00000000-0000-0000-0000-000000000000',
  );

/** Malformed JSON and wrong media types against one operation that takes a body. */
export function malformedBodyRequests(operation: OpenApiOperation, ownRef: string): FuzzRequest[] {
  const base = {
    surface: 'http',
    method: operation.method,
    path: concrete(operation, ownRef),
    auth: 'attacker',
  };
  return [
    ...MALFORMED_BODIES.map(([label, rawBody]) => ({
      ...base,
      operation: `${operation.method} ${operation.path} · ${label}`,
      rawBody,
      headers: { 'content-type': 'application/json' },
    })),
    ...CONTENT_TYPES.map((contentType) => ({
      ...base,
      operation: `${operation.method} ${operation.path} · content-type "${contentType}"`,
      rawBody: contentType.startsWith('application/json') ? '{"title":"a"}' : 'title=a',
      headers: { 'content-type': contentType },
    })),
  ];
}

/** Every credential of the suite's table against one operation (path parameters: the attacker's task). */
export function authorizationRequests(
  operation: OpenApiOperation,
  ownRef: string,
  authorizations: readonly string[],
): FuzzRequest[] {
  return authorizations.map((auth) => ({
    surface: 'http',
    operation: `${operation.method} ${operation.path} · auth "${auth}"`,
    method: operation.method,
    path: concrete(operation, ownRef),
    ...(operation.method !== 'GET' && { body: {} }),
    auth,
  }));
}
