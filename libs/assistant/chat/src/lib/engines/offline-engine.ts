import type { ExecutedToolCall } from '@todo/assistant-contract';
import { interpret } from '@todo/natural-language';
import { ChatEngine, type EngineReply, type EngineRequest } from './chat-engine';
import { focusOf } from './conversation-focus';

/**
 * The assistant without a network: the natural-language parser turns the message into tool calls,
 * which run in order; the reply is their outcomes. What the last answer was about (its tasks, or the
 * question a tool asked) goes to the parser, so follow-ups work: "move it to friday", "the first".
 */
export class OfflineEngine extends ChatEngine {
  async reply(request: EngineRequest): Promise<EngineReply> {
    const interpretation = interpret(request.message, {
      now: request.now,
      timeZone: request.timeZone,
      focus: focusOf(request.history),
    });
    if (interpretation.question || !interpretation.tool_calls.length)
      return { response: interpretation.question ?? "Sorry, I didn't get that.", tool_calls: [] };
    const executed: ExecutedToolCall[] = [];
    for (const call of interpretation.tool_calls) executed.push(await request.tools.run(call));
    return { response: executed.map((call) => call.result.message).join('\n'), tool_calls: executed };
  }
}
