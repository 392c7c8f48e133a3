import type { ExecutedToolCall } from '../api/contract';

export interface CardTask {
  id: string;
  number: number;
  title: string;
  due?: string | null;
  status?: string;
}

const TOOL_LABEL: Record<string, string> = {
  add_task: 'Added',
  list_tasks: 'Listed',
  complete_task: 'Completed',
  delete_task: 'Deleted',
  update_task: 'Updated',
  set_reminder: 'Reminder set',
};

export const toolLabel = (call: ExecutedToolCall) => TOOL_LABEL[call.name] ?? call.name;

const isTask = (value: unknown): value is CardTask =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as CardTask).id === 'string' &&
  typeof (value as CardTask).title === 'string';

/** The task(s) a tool call touched, from its structured result. */
export function tasksOf(call: ExecutedToolCall): CardTask[] {
  const data = call.result.data as { task?: unknown; tasks?: unknown } | undefined;
  if (!data) return [];
  if (isTask(data.task)) return [data.task];
  return Array.isArray(data.tasks) ? data.tasks.filter(isTask) : [];
}

/** The choices of a question ("which one?"), answered by sending the task number. */
export function choicesOf(call: ExecutedToolCall): Array<{ number: number; title: string }> {
  if (call.result.status !== 'question') return [];
  const data = call.result.data as { candidates?: Array<{ number: number; title: string }> } | undefined;
  return Array.isArray(data?.candidates) ? data.candidates : [];
}
