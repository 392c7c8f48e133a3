import type { Recurrence } from '@todo/tasks';
import { DateTime } from 'luxon';
import { RRule } from 'rrule';
import type { TaskView } from './task-view';

/**
 * Short, friendly descriptions of tasks for chat replies, with dates relative to the user's "now":
 * "#12 Buy groceries — due tomorrow 17:00, reminder at 16:00".
 */

const floating = (wall: string) => DateTime.fromISO(wall, { zone: 'UTC' });

/** "today", "tomorrow 17:00", "Friday 14:00", "Sat 5 Dec", "Sun 5 Dec 2027 09:00". */
export function whenPhrase(wall: string, now: string): string {
  const at = floating(wall);
  const days = Math.round(at.startOf('day').diff(floating(now).startOf('day'), 'days').days);
  const day =
    days === 0
      ? 'today'
      : days === 1
        ? 'tomorrow'
        : days === -1
          ? 'yesterday'
          : days > 1 && days < 7
            ? at.toFormat('cccc')
            : at.toFormat(at.year === floating(now).year ? 'ccc d LLL' : 'ccc d LLL yyyy');
  return wall.length > 10 ? `${day} ${at.toFormat('HH:mm')}` : day;
}

/** "every week on Monday", "every 3 months from completion". */
export function recurrencePhrase(recurrence: Recurrence): string {
  const text = RRule.fromString(recurrence.rrule)
    .toText()
    .replace(/on the last$/, 'on the last day');
  return recurrence.from === 'completion' ? `${text} from completion` : text;
}

function reminderPhrases(task: TaskView, now: string): string[] {
  return task.reminders
    .filter((reminder) => reminder.state === 'scheduled' && reminder.fires_at)
    .map((reminder) => {
      const firesAt = reminder.fires_at as string;
      const sameDayAsDue = task.due?.slice(0, 10) === firesAt.slice(0, 10);
      return `reminder at ${sameDayAsDue ? firesAt.slice(11) : whenPhrase(firesAt, now)}`;
    });
}

export function taskLine(task: TaskView, now: string): string {
  const details = [
    task.due &&
      `due ${whenPhrase(task.due, now)}${task.overdue && task.status === 'pending' ? ' (overdue)' : ''}`,
    ...reminderPhrases(task, now),
    task.recurrence && `repeats ${recurrencePhrase(task.recurrence)}`,
    task.priority !== 'none' && `${task.priority} priority`,
    task.tags.length > 0 && task.tags.map((tag) => `#${tag}`).join(' '),
    task.status === 'completed' && 'completed',
  ].filter((detail): detail is string => Boolean(detail));
  return `#${task.number} ${task.title}${details.length ? ` — ${details.join(', ')}` : ''}`;
}

export const taskName = (task: Pick<TaskView, 'number' | 'title'>) => `#${task.number} ${task.title}`;
