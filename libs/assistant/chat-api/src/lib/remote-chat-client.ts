import {
  type ChatCaller,
  ChatPort,
  type ChatReply,
  type ChatRequest,
  type ConversationSummary,
  type ConversationView,
  type Interpretation,
  type InterpretRequest,
} from '@todo/assistant-contract';
import { AppError, type ErrorCode, type ErrorDetail, ServiceUnavailableError } from '@todo/errors';
import type { HttpMethod } from '@dapr/dapr';
import { type DaprSidecar, SidecarCallError } from '@todo/dapr-sidecar';
import { outgoingTraceHeaders } from '@todo/logging';

interface RemoteErrorBody {
  error?: { code?: string; message?: string; details?: ErrorDetail[] };
}

const PASSED_ON: readonly ErrorCode[] = [
  'validation_failed',
  'unauthorized',
  'forbidden',
  'not_found',
  'conflict',
  'rate_limited',
];

/** What the chat-agent answered: its status and body (JSON parsed when it is, else `null`). */
export interface AgentAnswer {
  readonly status: number;
  readonly payload: unknown;
}

/**
 * One request to the chat-agent's REST API (`path` below `/api/v1/`), or `undefined` when it did not
 * answer; a timeout rejects with `TimeoutError`. Implemented by plain HTTP and by Dapr service
 * invocation.
 */
export type AgentChannel = (
  request: { method: string; path: string; headers: Record<string, string>; body?: unknown },
  timeoutMs: number,
) => Promise<AgentAnswer | undefined>;

/** The chat-agent's REST API at `baseUrl` over plain HTTP (`CHAT_AGENT_TRANSPORT=http`). */
export function httpAgentChannel(baseUrl: string): AgentChannel {
  return async ({ method, path, headers, body }, timeoutMs) => {
    const response = await fetch(`${baseUrl}/api/v1/${path}`, {
      method,
      headers: { ...headers, ...(body !== undefined && { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (response.status === 204) return { status: 204, payload: null };
    return { status: response.status, payload: await response.json().catch(() => null) };
  };
}

/**
 * The chat-agent's REST API through the Dapr sidecar's service invocation
 * (`/v1.0/invoke/<app id>/method/api/v1/...`, `CHAT_AGENT_TRANSPORT=dapr`), with the SDK's
 * `DaprClient.invoker.invoke`. The SDK answers a 2xx with the parsed body and throws for any other
 * status; {@link DaprSidecar.call} keeps the status and body, which are the chat-agent's own (or the
 * sidecar's 500 `ERR_DIRECT_INVOKE` when the agent did not answer).
 */
export function daprAgentChannel(sidecar: DaprSidecar, appId: string): AgentChannel {
  return async ({ method, path, headers, body }, timeoutMs) => {
    try {
      const payload: unknown = await sidecar.call(
        `invoke ${appId}`,
        (client) =>
          client.invoker.invoke(
            encodeURIComponent(appId),
            `api/v1/${path}`,
            method as HttpMethod,
            body as object | undefined,
            // the SDK reads the content type from `Content-Type` exactly
            { headers: body === undefined ? headers : { ...headers, 'Content-Type': 'application/json' } },
          ),
        timeoutMs,
      );
      // The SDK keeps the body of a 2xx, not its status: an empty one is the agent's 204.
      return payload === '' ? { status: 204, payload: null } : { status: 200, payload };
    } catch (error) {
      if (!(error instanceof SidecarCallError)) throw error;
      if (error.status === undefined) {
        if (error.message.includes('did not answer within')) throw timeoutError();
        return undefined;
      }
      return { status: error.status, payload: parseJson(error.body) };
    }
  };
}

/**
 * The chat-agent in another process, over its REST API, by plain HTTP or Dapr service invocation
 * (an {@link AgentChannel}). The caller's bearer token goes along, so the chat-agent authenticates
 * the user itself, and so do the request id and W3C `traceparent` of the request being served, so
 * one request can be followed across both services' logs (a Dapr sidecar continues that trace too).
 * Its 4xx answers reach the client unchanged; no answer, a timeout or a 5xx becomes a 503 that says
 * the assistant is unavailable.
 */
export class RemoteChatClient extends ChatPort {
  constructor(
    private readonly channel: AgentChannel,
    private readonly timeoutMs: number,
  ) {
    super();
  }

  send(caller: ChatCaller, request: ChatRequest): Promise<ChatReply> {
    return this.call(caller, 'POST', 'chat', request);
  }

  interpret(caller: ChatCaller, request: InterpretRequest): Promise<Interpretation> {
    return this.call(caller, 'POST', 'chat/interpret', request);
  }

  async listConversations(caller: ChatCaller): Promise<ConversationSummary[]> {
    return (await this.call<{ items: ConversationSummary[] }>(caller, 'GET', 'chat/conversations')).items;
  }

  getConversation(caller: ChatCaller, id: string): Promise<ConversationView> {
    return this.call(caller, 'GET', `chat/conversations/${encodeURIComponent(id)}`);
  }

  async deleteConversation(caller: ChatCaller, id: string): Promise<void> {
    await this.call(caller, 'DELETE', `chat/conversations/${encodeURIComponent(id)}`);
  }

  private async call<T>(caller: ChatCaller, method: string, path: string, body?: unknown): Promise<T> {
    let answer: AgentAnswer | undefined;
    try {
      answer = await this.channel(
        {
          method,
          path,
          headers: { ...outgoingTraceHeaders(), authorization: `Bearer ${caller.bearerToken}` },
          body,
        },
        this.timeoutMs,
      );
    } catch (error) {
      if ((error as Error).name === 'TimeoutError')
        throw new ServiceUnavailableError(
          `The assistant is not available right now (no answer within ${this.timeoutMs} ms); try again shortly`,
        );
      answer = undefined; // unreachable
    }
    if (!answer)
      throw new ServiceUnavailableError(
        'The assistant is not available right now (unreachable); try again shortly',
      );
    if (answer.status === 204) return undefined as T;
    const payload = answer.payload as (T & RemoteErrorBody) | null;
    if (answer.status < 300 && payload) return payload;
    const remote = payload?.error;
    const code = PASSED_ON.find((candidate) => candidate === remote?.code);
    if (code && answer.status < 500)
      throw new AppError(code, remote?.message ?? 'Request refused', remote?.details);
    throw new ServiceUnavailableError(
      `The assistant is not available right now (it answered ${answer.status}); try again shortly`,
    );
  }
}

function timeoutError(): Error {
  return Object.assign(new Error('The operation was aborted due to timeout'), { name: 'TimeoutError' });
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}
