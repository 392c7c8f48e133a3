import { type ExecutedToolCall, TOOL_DEFINITIONS, type ToolOutcome } from '@todo/assistant-contract';
import type OpenAI from 'openai';
import type { ChatTurn, EngineRequest } from './chat-engine';
import { llmSystemPrompt } from './llm-system-prompt';

type ModelMessage = OpenAI.ChatCompletionMessageParam;

/** The assistant's tools as Chat Completions function tools: the one definition set, as JSON Schema. */
export const LLM_TOOLS: OpenAI.ChatCompletionFunctionTool[] = TOOL_DEFINITIONS.map((tool) => ({
  type: 'function',
  function: { name: tool.name, description: tool.description, parameters: tool.inputSchema },
}));

/** What the model reads for a new message: instructions, the conversation so far, the message. */
export function openingMessages(request: EngineRequest): ModelMessage[] {
  return [
    { role: 'system', content: llmSystemPrompt(request) },
    ...request.history.flatMap(historyMessages),
    { role: 'user', content: request.message },
  ];
}

/**
 * A tool result as the model reads it. `data` is left out of earlier turns: it is stale by now and
 * long (task lists), while the message and the assistant's own reply say what happened.
 */
export function toolResultMessage(toolCallId: string, outcome: ToolOutcome, withData = true): ModelMessage {
  const { status, message, data } = outcome;
  return {
    role: 'tool',
    tool_call_id: toolCallId,
    content: JSON.stringify(withData ? { status, message, data } : { status, message }),
  };
}

/** An earlier turn; its tool calls are replayed as calls and results, the form models are trained on. */
function historyMessages(turn: ChatTurn, turnIndex: number): ModelMessage[] {
  if (turn.role === 'user' || turn.tool_calls.length === 0)
    return [{ role: turn.role, content: turn.content }];
  const ids = turn.tool_calls.map((_, callIndex) => `history_${turnIndex}_${callIndex}`);
  return [
    {
      role: 'assistant',
      content: null,
      tool_calls: turn.tool_calls.map((call, callIndex) => functionCall(ids[callIndex], call)),
    },
    ...turn.tool_calls.map((call, callIndex) => toolResultMessage(ids[callIndex], call.result, false)),
    { role: 'assistant', content: turn.content },
  ];
}

function functionCall(id: string, call: ExecutedToolCall): OpenAI.ChatCompletionMessageFunctionToolCall {
  return { id, type: 'function', function: { name: call.name, arguments: JSON.stringify(call.arguments) } };
}
