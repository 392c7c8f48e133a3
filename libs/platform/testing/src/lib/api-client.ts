/* eslint-disable @typescript-eslint/no-explicit-any -- assertions inspect response bodies field by field */
export interface ApiResponse<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

interface RequestOptions {
  body?: unknown;
  /** Sent as is (for malformed-JSON tests); overrides `body`. */
  rawBody?: string;
  token?: string;
  headers?: Record<string, string>;
}

let emailCounter = 0;

/** A small HTTP client for tests that talk to a running app over real sockets. */
export class ApiClient {
  constructor(readonly baseUrl: string) {}

  async request<T = any>(
    method: string,
    path: string,
    options: RequestOptions = {},
  ): Promise<ApiResponse<T>> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers['authorization'] = `Bearer ${options.token}`;
    let body: string | undefined = options.rawBody;
    if (body === undefined && options.body !== undefined) body = JSON.stringify(options.body);
    if (body !== undefined) headers['content-type'] ??= 'application/json';
    const response = await fetch(`${this.baseUrl}${path}`, { method, headers, body });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON: keep the text
    }
    return { status: response.status, headers: response.headers, body: parsed as T };
  }

  /** Registers a fresh user and returns its token and profile. */
  async register(
    overrides: Record<string, unknown> = {},
  ): Promise<{ token: string; user: any; email: string }> {
    const email = `user${++emailCounter}.${Date.now()}@example.com`;
    const response = await this.request('POST', '/api/v1/auth/register', {
      body: { email, password: 'correct horse battery', ...overrides },
    });
    if (response.status !== 201)
      throw new Error(`register failed: ${response.status} ${JSON.stringify(response.body)}`);
    return { token: response.body.access_token, user: response.body.user, email };
  }

  graphql<T = any>(query: string, variables: Record<string, unknown> = {}, token?: string) {
    return this.request<{
      data?: T;
      errors?: Array<{ message: string; extensions: { code: string; status: number; details?: unknown } }>;
    }>('POST', '/graphql', { body: { query, variables }, token });
  }
}
