import type { OccurrenceDue } from './next-occurrence';
import type { ReminderState, ReminderTrigger } from './reminder';
import { reminderFireAt } from './reminder-trigger';

/** The parts of a reminder that follow its task. */
export interface ReminderSchedule {
  readonly fireAt: Date | null;
  readonly state: ReminderState;
  readonly firedAt: Date | null;
}

export interface ReminderTask {
  readonly status: 'pending' | 'completed';
  readonly due: OccurrenceDue | null;
  readonly timeZone: string;
}

/**
 * A reminder's schedule after any change to its task (the task service applies it to every reminder of
 * the task in the same transaction):
 * - fireAt is recomputed from the trigger and the task's due;
 * - completing the task cancels a scheduled reminder; fired, missed and cancelled ones stay;
 * - an offset reminder on a task without a due is cancelled, unless fired or missed;
 * - on a pending task, a cancelled reminder is scheduled again if it would fire in the future (the task
 *   was reopened, or got a due back); a fired or missed one is scheduled again (firedAt cleared) only if
 *   fireAt changed to the future (the task was moved: remind again); a scheduled one stays scheduled,
 *   even in the past (it then fires at once).
 */
export function planReminder(
  current: ReminderSchedule & { readonly trigger: ReminderTrigger },
  task: ReminderTask,
  now: Date,
): ReminderSchedule {
  const fireAt = reminderFireAt(current.trigger, task.due, task.timeZone);
  const unchanged: ReminderSchedule = { fireAt, state: current.state, firedAt: current.firedAt };
  const done = current.state === 'fired' || current.state === 'missed';
  if (task.status === 'completed')
    return current.state === 'scheduled' ? { ...unchanged, state: 'cancelled' } : unchanged;
  if (!fireAt) return done ? unchanged : { ...unchanged, state: 'cancelled' };
  const upcoming = fireAt > now;
  if (current.state === 'cancelled') return upcoming ? { ...unchanged, state: 'scheduled' } : unchanged;
  if (done && upcoming && fireAt.getTime() !== current.fireAt?.getTime())
    return { fireAt, state: 'scheduled', firedAt: null };
  return unchanged;
}
