import type { Failure, Span } from './fuzz-report';
import type { FuzzRequest } from './fuzz-request';

/** What the app answers instead of an internal error's details (see toErrorResponse in @todo/http). */
const INTERNAL_ERROR_MESSAGE = 'Something went wrong on our side';

/** JSON-RPC's "Internal error" code, which the MCP server uses for bugs. */
const JSON_RPC_INTERNAL_ERROR = -32603;

interface RunnerOptions {
  readonly baseUrl: string;
  /** Authorization header by name (FuzzRequest.auth); undefined sends none. */
  readonly authorizations: Readonly<Record<string, string | undefined>>;
  /** Credentials every secured route must refuse with a 4xx. */
  readonly mustRefuse: ReadonlySet<string>;
  /** Text that must never appear in an answer to the attacker (the other user's data). */
  readonly forbiddenTexts: readonly string[];
  /** The first line of what the app logged as an error while serving a request id. */
  readonly serverErrorOf: (requestId: string) => string | undefined;
  readonly timeoutMs: number;
  readonly concurrency: number;
}

/** Sends requests over real HTTP a few at a time and keeps every failure with its request. */
export class FuzzRunner {
  readonly failures: Failure[] = [];
  readonly sent = new Map<string, number>();
  readonly spans: Span[] = [];
  /** Answers per surface and status: shows how many requests got past validation. */
  readonly statuses = new Map<string, Map<number, number>>();
  private sequence = 0;

  constructor(private readonly options: RunnerOptions) {}

  /** Sends the requests in order until done or until `budgetMs` is spent; answers how many were sent. */
  async run(requests: readonly FuzzRequest[], budgetMs: number): Promise<number> {
    const deadline = Date.now() + budgetMs;
    let next = 0;
    const worker = async () => {
      while (next < requests.length && Date.now() < deadline)
        await this.send(requests[next++] as FuzzRequest);
    };
    await Promise.all(Array.from({ length: this.options.concurrency }, worker));
    return next;
  }

  failuresOf(surface: string): Failure[] {
    return this.failures.filter((failure) => failure.request.surface === surface);
  }

  private async send(request: FuzzRequest): Promise<void> {
    this.sent.set(request.surface, (this.sent.get(request.surface) ?? 0) + 1);
    const requestId = `fuzz-${++this.sequence}`;
    const headers: Record<string, string> = { 'x-request-id': requestId, ...request.headers };
    const authorization = this.options.authorizations[request.auth];
    if (authorization !== undefined) headers['authorization'] = authorization;
    let body = request.rawBody;
    if (body === undefined && request.body !== undefined) {
      body = JSON.stringify(request.body);
      headers['content-type'] ??= 'application/json';
    }
    let status: number | undefined;
    let problems: string[];
    const start = Date.now();
    try {
      const response = await fetch(`${this.options.baseUrl}${request.path}`, {
        method: request.method,
        headers,
        body,
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
      status = response.status;
      const counts = this.statuses.get(request.surface) ?? new Map<number, number>();
      this.statuses.set(request.surface, counts.set(status, (counts.get(status) ?? 0) + 1));
      problems = this.problemsIn(request, status, await response.text());
    } catch (error) {
      const cause = error instanceof Error ? (error.cause instanceof Error ? error.cause : error) : undefined;
      problems = [
        cause?.name === 'TimeoutError'
          ? `no answer within ${this.options.timeoutMs} ms`
          : `no answer: ${cause?.message ?? String(error)}`,
      ];
    }
    this.spans.push({ request, start, end: Date.now() });
    const serverError = this.options.serverErrorOf(requestId);
    for (const problem of problems)
      this.failures.push({
        request,
        problem,
        ...(status && { status }),
        ...(serverError && { serverError }),
      });
  }

  private problemsIn(request: FuzzRequest, status: number, text: string): string[] {
    const problems: string[] = [];
    if (status >= 500) problems.push(`HTTP ${status}`);
    else if (text.includes(INTERNAL_ERROR_MESSAGE)) problems.push('internal error inside the answer');
    problems.push(...protocolErrors(text));
    if (this.options.forbiddenTexts.some((secret) => text.includes(secret)))
      problems.push("the other user's data in the answer");
    if (this.options.mustRefuse.has(request.auth) && status < 400)
      problems.push(`credential "${request.auth}" accepted (HTTP ${status})`);
    return problems;
  }
}

/** Internal errors GraphQL (extensions.status ≥ 500) and MCP (JSON-RPC -32603) carry in a 200. */
export function protocolErrors(text: string): string[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return [];
  }
  const problems: string[] = [];
  for (const answer of [parsed].flat()) {
    if (typeof answer !== 'object' || answer === null) continue;
    const { errors, error } = answer as {
      errors?: Array<{ extensions?: { status?: number; code?: string } }>;
      error?: { code?: number };
    };
    if (Array.isArray(errors))
      for (const { extensions } of errors)
        if ((extensions?.status ?? 0) >= 500 || extensions?.code === 'INTERNAL_ERROR')
          problems.push(`GraphQL internal error (${extensions?.code ?? 'no code'})`);
    if (error?.code === JSON_RPC_INTERNAL_ERROR) problems.push('MCP internal error (-32603)');
  }
  return [...new Set(problems)];
}

/** Round-robin over the lists, so a budget that runs out cuts every operation short, not the last ones. */
export function interleave<T>(lists: ReadonlyArray<readonly T[]>): T[] {
  const longest = Math.max(0, ...lists.map((list) => list.length));
  return Array.from({ length: longest }, (_, index) =>
    lists.flatMap((list) => (index < list.length ? [list[index] as T] : [])),
  ).flat();
}
