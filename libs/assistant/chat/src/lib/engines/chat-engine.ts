import type { ExecutedToolCall, ToolCall } from '@todo/assistant-contract';

/** Runs tool calls for one authenticated user; failures come back as outcomes, never as throws. */
export interface ToolRunner {
  run(call: ToolCall): Promise<ExecutedToolCall>;
}

/** An earlier message of the conversation, oldest first. */
export interface ChatTurn {
  readonly role: 'user' | 'assistant';
  readonly content: string;
  readonly tool_calls: readonly ExecutedToolCall[];
}

export interface EngineRequest {
  readonly message: string;
  readonly history: readonly ChatTurn[];
  /** The user's current wall time "YYYY-MM-DDTHH:mm" and IANA zone. */
  readonly now: string;
  readonly timeZone: string;
  readonly tools: ToolRunner;
}

export interface EngineReply {
  readonly response: string;
  readonly tool_calls: ExecutedToolCall[];
}

/** Turns one user message into tool calls (run through `tools`) and a reply. */
export abstract class ChatEngine {
  abstract reply(request: EngineRequest): Promise<EngineReply>;
}
