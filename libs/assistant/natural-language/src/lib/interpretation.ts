import type { Interpretation, ToolName } from '@todo/assistant-contract';
import type { ConversationFocus } from './focus';
import type { Message } from './message';

export interface InterpretContext {
  /** Wall time "YYYY-MM-DDTHH:mm" in `timeZone`. */
  readonly now: string;
  /** IANA zone name. */
  readonly timeZone: string;
  /** What the conversation's last answer was about, for follow-ups ("move it to friday"). */
  readonly focus?: ConversationFocus;
}

export type { Interpretation };

/** Reads one kind of request; undefined when the message is not that kind. */
export type Intent = (message: Message) => Interpretation | undefined;

/** One call, with the arguments that have a value (the contract's key sets have no undefined keys). */
export function callTool(name: ToolName, args: Record<string, unknown>): Interpretation {
  const given = Object.fromEntries(Object.entries(args).filter(([, value]) => value !== undefined));
  return { tool_calls: [{ name, arguments: given }] };
}

export function ask(question: string): Interpretation {
  return { tool_calls: [], question };
}
