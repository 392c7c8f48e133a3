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

/**
 * The chat-agent in another process, over its REST API. Plain HTTP and Dapr service invocation
 * differ only in the base URL (Dapr: `http://<sidecar>/v1.0/invoke/<app-id>/method`). The caller's
 * bearer token goes along, so the chat-agent authenticates the user itself, and so do the request id
 * and W3C `traceparent` of the request being served, so one request can be followed across both
 * services' logs (a Dapr sidecar continues that trace too). Its 4xx answers reach the
 * client unchanged; no answer, a timeout or a 5xx becomes a 503 that says the assistant is unavailable.
 */
export class RemoteChatClient extends ChatPort {
  constructor(
    private readonly baseUrl: string,
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
    let response: Response;
    try {
      response = await fetch(`${this.baseUrl}/api/v1/${path}`, {
        method,
        headers: {
          ...outgoingTraceHeaders(),
          authorization: `Bearer ${caller.bearerToken}`,
          ...(body !== undefined && { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      const reason =
        (error as Error).name === 'TimeoutError' ? `no answer within ${this.timeoutMs} ms` : 'unreachable';
      throw new ServiceUnavailableError(
        `The assistant is not available right now (${reason}); try again shortly`,
      );
    }
    if (response.status === 204) return undefined as T;
    const payload = (await response.json().catch(() => null)) as (T & RemoteErrorBody) | null;
    if (response.ok && payload) return payload;
    const remote = payload?.error;
    const code = PASSED_ON.find((candidate) => candidate === remote?.code);
    if (code && response.status < 500)
      throw new AppError(code, remote?.message ?? 'Request refused', remote?.details);
    throw new ServiceUnavailableError(
      `The assistant is not available right now (it answered ${response.status}); try again shortly`,
    );
  }
}
