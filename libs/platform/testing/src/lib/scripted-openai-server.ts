import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { closeNow, listenOnLoopback, readRequestBody } from './loopback-server';

/**
 * A stand-in for an OpenAI-compatible provider: `POST /v1/chat/completions` answers with the next
 * step of a script and records every request, so an engine can be tested over real HTTP with the
 * real `openai` client. Point the client at `url` (it ends in `/v1`, like `OPENAI_BASE_URL`).
 *
 * A step is a reply or a function of the recorded request returning one:
 * - a Chat Completions body (build it with `textCompletion` / `toolCallCompletion`): 200 with it;
 * - `{ status, body, headers? }`: that status (e.g. 401, 500) with that JSON body;
 * - `{ delayMs, then? }`: waits, then answers `then` (no answer: 200 with an empty completion),
 *   to make a client with a shorter timeout give up.
 * Past the end of the script, or on any other path, it answers 500 with an explanation.
 */
export async function startScriptedOpenAiServer(script: ScriptedStep[]): Promise<ScriptedOpenAiServer> {
  const requests: RecordedCompletionRequest[] = [];
  const server = createServer((request, response) => {
    answer(request, response).catch((error: unknown) => {
      if (!response.headersSent) send(response, { status: 500, body: providerError(String(error)) });
    });
  });

  async function answer(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const rawBody = (await readRequestBody(request)).toString('utf8');
    if (request.method !== 'POST' || request.url !== '/v1/chat/completions') {
      send(response, {
        status: 404,
        body: providerError(`${request.method} ${request.url} is not scripted`),
      });
      return;
    }
    const recorded: RecordedCompletionRequest = {
      headers: request.headers,
      body: JSON.parse(rawBody) as RecordedCompletionRequest['body'],
    };
    requests.push(recorded);
    const step = script[requests.length - 1];
    if (step === undefined) {
      const why = `the script has ${script.length} responses; this is request ${requests.length}`;
      send(response, { status: 500, body: providerError(why) });
      return;
    }
    let reply = typeof step === 'function' ? step(recorded) : step;
    while ('delayMs' in reply) {
      const clientWaited = await delay(reply.delayMs, response);
      if (!clientWaited) return;
      reply = reply.then ?? textCompletion('');
    }
    send(response, 'status' in reply ? reply : { status: 200, body: reply });
  }

  const url = await listenOnLoopback(server);
  return { url: `${url}/v1`, requests, close: () => closeNow(server) };
}

/** A model answer in plain text. */
export function textCompletion(content: string): ChatCompletionBody {
  return completion({ role: 'assistant', content, refusal: null }, 'stop');
}

/**
 * A model answer calling tools. `arguments` objects are sent as their JSON; a string is sent as is
 * (to script malformed JSON).
 */
export function toolCallCompletion(
  calls: ReadonlyArray<{ name: string; arguments: Record<string, unknown> | string; id?: string }>,
  content: string | null = null,
): ChatCompletionBody {
  const tool_calls = calls.map((call, index) => ({
    id: call.id ?? `call_${++lastCallId}_${index}`,
    type: 'function' as const,
    function: {
      name: call.name,
      arguments: typeof call.arguments === 'string' ? call.arguments : JSON.stringify(call.arguments),
    },
  }));
  return completion({ role: 'assistant', content, refusal: null, tool_calls }, 'tool_calls');
}

/** The error body OpenAI sends with a non-2xx status. */
export function providerError(message: string, type = 'server_error'): { error: Record<string, unknown> } {
  return { error: { message, type, param: null, code: null } };
}

export interface ScriptedOpenAiServer {
  /** The base URL for the client, ending in `/v1`. */
  readonly url: string;
  /** Every `POST /v1/chat/completions`, in arrival order. */
  readonly requests: readonly RecordedCompletionRequest[];
  close(): Promise<void>;
}

interface RecordedCompletionRequest {
  readonly headers: IncomingMessage['headers'];
  /** The request body as sent (only the fields a test usually asserts are typed). */
  readonly body: {
    readonly model: string;
    readonly messages: ReadonlyArray<Record<string, unknown> & { role: string }>;
    readonly tools?: ReadonlyArray<{
      type: string;
      function: { name: string; description?: string; parameters?: Record<string, unknown> };
    }>;
    readonly tool_choice?: unknown;
    readonly [field: string]: unknown;
  };
}

export type ScriptedStep = ScriptedReply | ((request: RecordedCompletionRequest) => ScriptedReply);

type ScriptedReply =
  | ChatCompletionBody
  | { status: number; body: unknown; headers?: Record<string, string> }
  | { delayMs: number; then?: ScriptedReply };

/** The Chat Completions response body (non-streaming), as the wire format has it. */
interface ChatCompletionBody {
  id: string;
  object: 'chat.completion';
  created: number;
  model: string;
  choices: Array<{ index: number; message: Record<string, unknown>; finish_reason: string; logprobs: null }>;
  usage: { prompt_tokens: number; completion_tokens: number; total_tokens: number };
}

let lastCallId = 0;

function completion(message: Record<string, unknown>, finishReason: string): ChatCompletionBody {
  return {
    id: `chatcmpl-scripted-${++lastCallId}`,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model: 'scripted-model',
    choices: [{ index: 0, message, finish_reason: finishReason, logprobs: null }],
    usage: { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 },
  };
}

function send(
  response: ServerResponse,
  reply: { status: number; body: unknown; headers?: Record<string, string> },
): void {
  response
    .writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers })
    .end(JSON.stringify(reply.body));
}

/** Waits `ms`: true, or false as soon as the client closes the connection (it gave up). */
function delay(ms: number, response: ServerResponse): Promise<boolean> {
  return new Promise((resolve) => {
    const onClose = () => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      response.off('close', onClose);
      resolve(true);
    }, ms);
    response.once('close', onClose);
  });
}
