import type { Task } from '../api/contract';

export const EDITABLE_FIELDS = ['title', 'description', 'due', 'priority', 'tags', 'recurrence'] as const;
export type EditableField = (typeof EDITABLE_FIELDS)[number];

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** The fields someone else changed between the version the user started editing and the current one. */
export function changedFields(base: Task, current: Task): EditableField[] {
  return EDITABLE_FIELDS.filter((field) => !same(base[field], current[field]));
}
