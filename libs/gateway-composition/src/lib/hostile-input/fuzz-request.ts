/** One request the fuzzer sends, in a form a person can read and replay. */
export interface FuzzRequest {
  /** rest, graphql, chat, mcp or http (transport-level attacks on any route). */
  readonly surface: string;
  /** What is being exercised, e.g. "PATCH /api/v1/tasks/{ref}" or "mutation createTask". */
  readonly operation: string;
  readonly method: string;
  /** Path and query, already encoded. */
  readonly path: string;
  /** Sent as JSON unless `rawBody` is given. */
  readonly body?: unknown;
  readonly rawBody?: string | Buffer;
  readonly headers?: Readonly<Record<string, string>>;
  /** Which credential to send: a key of the suite's token table ("attacker", "none", "expired"…). */
  readonly auth: string;
}

const MAX_SHOWN = 600;

const clip = (text: string) =>
  text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN)}… (${text.length} characters)` : text;

/** The request as text, escaped so NUL, lone surrogates and the like stay visible. */
export function describeRequest(request: FuzzRequest): string {
  const lines = [`${request.method} ${clip(escapeInvisible(request.path))}`, `auth: ${request.auth}`];
  for (const [name, value] of Object.entries(request.headers ?? {})) lines.push(`${name}: ${clip(value)}`);
  const body = requestBodyText(request);
  if (body !== undefined) lines.push(clip(escapeInvisible(body)));
  return lines.join('\n');
}

/** The body as sent (JSON.stringify escapes lone surrogates and control characters itself). */
export function requestBodyText(request: FuzzRequest): string | undefined {
  if (request.rawBody !== undefined)
    return typeof request.rawBody === 'string'
      ? request.rawBody
      : `<${request.rawBody.length} bytes> ${request.rawBody.toString('latin1')}`;
  return request.body === undefined ? undefined : JSON.stringify(request.body);
}

function escapeInvisible(text: string): string {
  return text.replace(
    // eslint-disable-next-line no-control-regex -- control characters are what this makes visible
    /[\u0000-\u001f\u007f\u202a-\u202e\ufeff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** Percent-encodes text for a URL; lone surrogates become the bytes a careless encoder would send. */
export function encodePathPart(text: string): string {
  return Array.from(text, (char) => {
    try {
      return encodeURIComponent(char);
    } catch {
      const code = char.charCodeAt(0);
      return [0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f)]
        .map((byte) => `%${byte.toString(16).toUpperCase()}`)
        .join('');
    }
  }).join('');
}
