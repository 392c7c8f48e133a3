import { stdSerializers } from 'pino';

/**
 * Properties of database errors that echo a statement's input: TypeORM's bound `parameters`, and
 * PostgreSQL's `detail` ("Key (email)=(ann@example.com) already exists", "Failing row contains (…)"
 * with a password hash in it). Dropped at any depth of a logged error (its `driverError`, `cause`…).
 */
const INPUT_ECHOES = new Set(['parameters', 'detail']);
const MAX_DEPTH = 8;

/** Pino's error serializer, minus every property that echoes input (pino-http serializes first). */
export function serializeError(error: unknown): unknown {
  return withoutInputEchoes(error instanceof Error ? stdSerializers.err(error) : error, 0);
}

function withoutInputEchoes(value: unknown, depth: number): unknown {
  if (value === null || typeof value !== 'object' || depth > MAX_DEPTH) return value;
  if (Array.isArray(value)) return value.map((item) => withoutInputEchoes(item, depth + 1));
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => !INPUT_ECHOES.has(key))
      .map(([key, item]) => [key, withoutInputEchoes(item, depth + 1)]),
  );
}

/** Known paths that hold credentials or personal data, whatever logs them. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  '*.password',
  '*.password_hash',
  '*.passwordHash',
  '*.token',
  '*.access_token',
  '*.email',
];
