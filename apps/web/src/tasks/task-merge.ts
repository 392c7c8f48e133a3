import type { Task } from '../api/contract';

/** What this tab holds of each task it has seen: the newest version, and whether it was deleted. */
export interface HeldVersion {
  version: number;
  deleted: boolean;
}

export type TaskChangeKind = 'created' | 'updated' | 'completed' | 'reopened' | 'deleted';

/**
 * Live messages can repeat or arrive late (at-least-once delivery, replays after reconnecting), so a
 * task state is applied only when its version is newer than the one held. A deletion is final for
 * that version: a late older update must not bring the task back.
 */
export function isNewer(held: HeldVersion | undefined, incoming: Task, change: TaskChangeKind): boolean {
  if (!held) return true;
  if (incoming.version > held.version) return true;
  // The deletion carries the last state before it (same version): still news if we hold it alive.
  return change === 'deleted' && incoming.version === held.version && !held.deleted;
}

/** Where a changed task belongs in the list the user is looking at. */
export type Placement = (task: Task) => boolean;

export interface MergeResult {
  items: Task[];
  applied: boolean;
}

/**
 * Applies one task state to a list in place: replaced where it is (no jump), removed when deleted or
 * when it no longer matches the view, inserted at the position `compare` gives when it newly matches.
 */
export function mergeTask(
  items: readonly Task[],
  held: Map<string, HeldVersion>,
  incoming: Task,
  change: TaskChangeKind,
  matches: Placement,
  compare: (a: Task, b: Task) => number,
): MergeResult {
  if (!isNewer(held.get(incoming.id), incoming, change)) return { items: [...items], applied: false };
  held.set(incoming.id, { version: incoming.version, deleted: change === 'deleted' });
  return {
    items: placeTask(items, incoming, change !== 'deleted' && matches(incoming), compare),
    applied: true,
  };
}

/**
 * Puts one (already accepted) task state into a list: replaced where it is when it still belongs
 * (`keep`), removed when it no longer does, inserted where `compare` puts it when it newly belongs.
 */
export function placeTask(
  items: readonly Task[],
  incoming: Task,
  keep: boolean,
  compare: (a: Task, b: Task) => number,
): Task[] {
  const next = [...items];
  const index = next.findIndex((task) => task.id === incoming.id);
  if (index >= 0) {
    if (keep) next[index] = incoming;
    else next.splice(index, 1);
    return next;
  }
  if (!keep) return next;
  const at = next.findIndex((task) => compare(incoming, task) < 0);
  next.splice(at < 0 ? next.length : at, 0, incoming);
  return next;
}

/** Records the versions of tasks loaded over REST, so older live states are ignored afterwards. */
export function rememberVersions(held: Map<string, HeldVersion>, tasks: readonly Task[]): void {
  for (const task of tasks) {
    const known = held.get(task.id);
    if (!known || task.version > known.version) held.set(task.id, { version: task.version, deleted: false });
  }
}
