import type { ExecutedToolCall, Interpretation, ToolCall } from '@todo/assistant-contract';
import { interpret } from '@todo/natural-language';
import { ChatEngine, type ChatTurn, type EngineReply, type EngineRequest } from './chat-engine';

/** "3", "#3", "task 3", "number 3." — the answer to "which task do you mean?". */
const CHOSEN_NUMBER = /^(?:#|task\s+#?|number\s+|no\.?\s*)?(\d{1,9})[.!]?$/i;

/**
 * The assistant without a network: the natural-language parser turns the message into tool calls,
 * which run in order; the reply is their outcomes. A bare number after "which task do you mean?"
 * answers that question and repeats the call for the chosen task.
 */
export class OfflineEngine extends ChatEngine {
  async reply(request: EngineRequest): Promise<EngineReply> {
    const interpretation =
      answerToQuestion(request.history, request.message) ??
      interpret(request.message, { now: request.now, timeZone: request.timeZone });
    if (interpretation.question || !interpretation.tool_calls.length)
      return { response: interpretation.question ?? "Sorry, I didn't get that.", tool_calls: [] };
    const executed: ExecutedToolCall[] = [];
    for (const call of interpretation.tool_calls) executed.push(await request.tools.run(call));
    return { response: executed.map((call) => call.result.message).join('\n'), tool_calls: executed };
  }
}

function answerToQuestion(history: readonly ChatTurn[], message: string): Interpretation | null {
  const chosen = CHOSEN_NUMBER.exec(message.trim());
  const last = history[history.length - 1];
  const asked =
    last?.role === 'assistant' ? last.tool_calls.find((call) => call.result.status === 'question') : null;
  if (!chosen || !asked) return null;
  const call: ToolCall = {
    name: asked.name,
    arguments: { ...asked.arguments, task: { number: Number(chosen[1]) } },
  };
  return { tool_calls: [call] };
}
