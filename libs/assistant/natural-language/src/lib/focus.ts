import type { TaskReference, ToolCall } from '@todo/assistant-contract';

/** A task the conversation just showed: its number, title and due (wall time, as the tools show it). */
export interface FocusTask {
  readonly number: number;
  readonly title: string;
  readonly due?: string | null;
}

/**
 * What the conversation is about right now, from its last answer: the tasks it touched or listed (in the
 * order shown), and a call that came back with a question ("which of these?"). Follow-ups resolve
 * against it: "move it to friday", "remind me an hour before", "delete the second one", "the first".
 */
export interface ConversationFocus {
  readonly tasks: readonly FocusTask[];
  readonly pending?: { readonly call: ToolCall; readonly candidates: readonly FocusTask[] };
}

/** The one task "it" can mean, or undefined when the focus holds none or several. */
export function focusedTask(focus: ConversationFocus | undefined): FocusTask | undefined {
  return focus?.tasks.length === 1 ? focus.tasks[0] : undefined;
}

/** The task at a position of a shown list (1-based; -1 is the last). */
export function shownAt(tasks: readonly FocusTask[] | undefined, position: number): FocusTask | undefined {
  if (!tasks?.length) return undefined;
  return position === -1 ? tasks[tasks.length - 1] : tasks[position - 1];
}

export const referenceTo = (task: FocusTask): TaskReference => ({ number: task.number });
