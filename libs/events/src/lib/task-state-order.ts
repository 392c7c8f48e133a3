import type { TaskChange } from './task-event-contracts';

/** What a state consumer holds of one task: the version it applied last, and whether that was the deletion. */
export interface HeldTaskState {
  readonly version: number;
  readonly deleted: boolean;
}

/**
 * The rule every consumer of `task.changed` (the realtime service, browsers) applies, because events
 * can arrive twice or late: a state is applied only if it is newer than the one held. Newer means a
 * higher `version`; a deletion carries the task's last version (deleting does not bump it), so it
 * also supersedes the state of that same version; nothing supersedes a deletion.
 */
export function isNewerTaskState(
  incoming: { readonly change: TaskChange; readonly task: { readonly version: number } },
  held: HeldTaskState | undefined,
): boolean {
  if (!held) return true;
  if (held.deleted) return false;
  if (incoming.change === 'deleted') return incoming.task.version >= held.version;
  return incoming.task.version > held.version;
}

/** The state a consumer holds after applying `incoming`. */
export function heldTaskState(incoming: {
  readonly change: TaskChange;
  readonly task: { readonly version: number };
}): HeldTaskState {
  return { version: incoming.task.version, deleted: incoming.change === 'deleted' };
}
