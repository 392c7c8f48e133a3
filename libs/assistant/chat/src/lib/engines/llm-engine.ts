import { Logger, type LoggerService } from '@nestjs/common';
import type { ExecutedToolCall } from '@todo/assistant-contract';
import type { ChatConfig } from '@todo/config';
import OpenAI, { APIConnectionError, APIConnectionTimeoutError, APIError, OpenAIError } from 'openai';
import { ChatEngine, type EngineReply, type EngineRequest, type ToolRunner } from './chat-engine';
import { LLM_TOOLS, openingMessages, toolResultMessage } from './llm-messages';

type LlmSettings = ChatConfig['llm'];
type ModelMessage = OpenAI.ChatCompletionMessageParam;
type ModelToolCall = OpenAI.ChatCompletionMessageToolCall;

/**
 * An OpenAI-compatible model with tool calling: it sees the conversation and the tools, calls them
 * through the request's ToolRunner (so it acts for the signed-in user only) for at most `maxSteps`
 * round trips, and its final text is the reply. Provider failures become a reply (or the fallback
 * engine's, while nothing has run yet), never a thrown provider error.
 */
export class LlmEngine extends ChatEngine {
  private readonly client: OpenAI;

  constructor(
    private readonly settings: LlmSettings,
    /** Answers instead when the model fails, if `settings.fallback` is 'offline'. */
    private readonly fallback: ChatEngine,
    private readonly logger: Pick<LoggerService, 'warn'> = new Logger(LlmEngine.name),
  ) {
    super();
    this.client = new OpenAI({
      apiKey: settings.apiKey ?? 'not-needed', // local servers (Ollama, llama.cpp…) take any key
      baseURL: settings.baseUrl,
      timeout: settings.timeoutMs,
      maxRetries: 1,
    });
  }

  async reply(request: EngineRequest): Promise<EngineReply> {
    const executed: ExecutedToolCall[] = [];
    try {
      return await this.converse(request, executed);
    } catch (error) {
      if (!(error instanceof OpenAIError)) throw error;
      return this.recoverFromProviderFailure(error, request, executed);
    }
  }

  /** The tool-calling loop; `executed` collects every call as it runs, for the failure path too. */
  private async converse(request: EngineRequest, executed: ExecutedToolCall[]): Promise<EngineReply> {
    const messages = openingMessages(request);
    for (let step = 0; step < this.settings.maxSteps; step++) {
      const answer = await this.askModel(messages);
      const toolCalls = answer?.tool_calls ?? [];
      if (toolCalls.length === 0) {
        const text = answer?.content?.trim();
        return { response: text || summaryOf(executed), tool_calls: executed };
      }
      messages.push({ role: 'assistant', content: answer?.content ?? null, tool_calls: toolCalls });
      for (const toolCall of toolCalls) {
        const call = await runToolCall(toolCall, request.tools);
        executed.push(call);
        messages.push(toolResultMessage(toolCall.id, call.result));
      }
    }
    const limit = `I stopped after ${this.settings.maxSteps} steps without finishing this request.`;
    return { response: `${limit} ${progressOf(executed)}`, tool_calls: executed };
  }

  /**
   * One round trip, retries included, within `timeoutMs`: the user is waiting. Our own deadline also
   * names the timeout reliably (the client's own detection depends on the realm of fetch's errors).
   */
  private async askModel(messages: ModelMessage[]): Promise<OpenAI.ChatCompletionMessage | undefined> {
    const deadline = AbortSignal.timeout(this.settings.timeoutMs);
    try {
      const completion = await this.client.chat.completions.create(
        { model: this.settings.model, messages, tools: LLM_TOOLS, tool_choice: 'auto' },
        { signal: deadline },
      );
      return completion.choices[0]?.message;
    } catch (error) {
      throw deadline.aborted ? new APIConnectionTimeoutError() : error;
    }
  }

  private async recoverFromProviderFailure(
    error: OpenAIError,
    request: EngineRequest,
    executed: ExecutedToolCall[],
  ): Promise<EngineReply> {
    const reason = this.describe(error);
    const detail = this.settings.apiKey
      ? error.message.replaceAll(this.settings.apiKey, '***')
      : error.message;
    // Only before any tool ran: the fallback would otherwise repeat (or contradict) what was done.
    if (this.settings.fallback === 'offline' && executed.length === 0) {
      this.logger.warn(
        `The language model failed (${reason}: ${detail}); the offline engine answers instead`,
      );
      return this.fallback.reply(request);
    }
    this.logger.warn(`The language model failed (${reason}: ${detail})`);
    return {
      response: `The language model is not available right now (${reason}). ${progressOf(executed)}`,
      tool_calls: executed,
    };
  }

  /** Why the provider failed, in words for the user (no provider text: it may quote secrets). */
  private describe(error: OpenAIError): string {
    if (error instanceof APIConnectionTimeoutError)
      return `timeout after ${this.settings.timeoutMs / 1000} s`;
    if (error instanceof APIConnectionError) return 'the provider could not be reached';
    if (!(error instanceof APIError) || error.status === undefined) return 'the provider request failed';
    switch (error.status) {
      case 401:
      case 403:
        return 'the provider rejected the API key; an administrator needs to check OPENAI_API_KEY';
      case 404:
        return 'the provider answered HTTP 404; an administrator needs to check OPENAI_BASE_URL and OPENAI_MODEL';
      case 429:
        return 'the provider is rate limiting requests or its quota is used up';
      default:
        return `the provider answered HTTP ${error.status}`;
    }
  }
}

/** Runs one call of the model; arguments that are not a JSON object fail back to the model. */
async function runToolCall(toolCall: ModelToolCall, tools: ToolRunner): Promise<ExecutedToolCall> {
  const [name, rawArguments] =
    toolCall.type === 'function'
      ? [toolCall.function.name, toolCall.function.arguments]
      : [toolCall.custom.name, toolCall.custom.input];
  const parsed = parseArguments(rawArguments);
  if (typeof parsed === 'string') {
    const message = `The arguments for ${name} are not a JSON object (${parsed}); nothing was done.`;
    return { name, arguments: {}, result: { status: 'failed', message } };
  }
  return tools.run({ name, arguments: parsed });
}

/** The arguments object, or why it is not one. Blank counts as no arguments (some models send ""). */
function parseArguments(raw: string): Record<string, unknown> | string {
  if (!raw.trim()) return {};
  try {
    const value: unknown = JSON.parse(raw);
    if (typeof value === 'object' && value !== null && !Array.isArray(value))
      return value as Record<string, unknown>;
    return `got ${Array.isArray(value) ? 'an array' : JSON.stringify(value)}`;
  } catch (error) {
    return (error as Error).message;
  }
}

/** A reply from the tool results when the model said nothing. */
function summaryOf(executed: readonly ExecutedToolCall[]): string {
  if (executed.length === 0) return 'Sorry, I have no answer to that. Could you put it another way?';
  return executed.map((call) => call.result.message).join('\n');
}

/** What a reply that stops early says about the work of this turn. */
function progressOf(executed: readonly ExecutedToolCall[]): string {
  const done = executed.filter((call) => call.result.status === 'done');
  if (done.length === 0) return 'Nothing was changed.';
  return ['Done so far:', ...done.map((call) => `- ${call.result.message}`)].join('\n');
}
