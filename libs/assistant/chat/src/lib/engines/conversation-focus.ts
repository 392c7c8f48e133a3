import type { ExecutedToolCall } from '@todo/assistant-contract';
import type { ConversationFocus, FocusTask } from '@todo/natural-language';
import type { ChatTurn } from './chat-engine';

/**
 * What the conversation is about, read from the assistant's last turn: the tasks its tool calls touched
 * or listed, in the order shown, and a call that came back with a question (which of these tasks?).
 * Undefined when the last turn ran no tool (a follow-up then has nothing to refer to).
 */
export function focusOf(history: readonly ChatTurn[]): ConversationFocus | undefined {
  const last = history[history.length - 1];
  if (last?.role !== 'assistant' || !last.tool_calls.length) return undefined;
  const asked = last.tool_calls.find((call) => call.result.status === 'question');
  const tasks = uniqueByNumber(last.tool_calls.flatMap(tasksOf));
  if (!asked) return { tasks };
  const { result: _result, ...call } = asked;
  return { tasks, pending: { call, candidates: candidatesOf(asked) } };
}

interface ShownTask {
  readonly number?: unknown;
  readonly title?: unknown;
  readonly due?: unknown;
}

/** Tasks in a tool result: `data.task` (add, update, complete…) or `data.tasks` (list). */
function tasksOf(call: ExecutedToolCall): FocusTask[] {
  const data = call.result.data as { task?: ShownTask; tasks?: ShownTask[] } | undefined;
  return [...(data?.task ? [data.task] : []), ...(data?.tasks ?? [])].flatMap(focusTask);
}

function candidatesOf(call: ExecutedToolCall): FocusTask[] {
  const data = call.result.data as { candidates?: ShownTask[] } | undefined;
  return (data?.candidates ?? []).flatMap(focusTask);
}

function focusTask({ number, title, due }: ShownTask): FocusTask[] {
  if (typeof number !== 'number' || typeof title !== 'string') return [];
  return [{ number, title, due: typeof due === 'string' ? due : null }];
}

function uniqueByNumber(tasks: FocusTask[]): FocusTask[] {
  return [...new Map(tasks.map((task) => [task.number, task])).values()];
}
