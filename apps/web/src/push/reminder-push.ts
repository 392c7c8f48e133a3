import type { ReminderNotification } from '@todo/web-push/contract';
import { browserTimeZone, dueInWords } from '../ui/time';

/** What the page asks of the worker's windows: open this task (sent when a notification is clicked). */
export interface OpenTaskMessage {
  type: 'open-task';
  task_id: string;
}

/** The few service worker globals the handlers use (the DOM typings have no worker scope). */
export interface WorkerWindow {
  url: string;
  focus(): Promise<unknown>;
  postMessage(message: OpenTaskMessage): void;
}
export interface WorkerScope {
  origin: string;
  showNotification(title: string, options: NotificationOptions): Promise<void>;
  windows(): Promise<readonly WorkerWindow[]>;
  openWindow(url: string): Promise<unknown>;
}

/** What a notification carries to its click. */
interface NotificationData {
  task_id: string | null;
}

const TASK_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function reminderOf(text: string | null): ReminderNotification | null {
  try {
    const payload = JSON.parse(text ?? '') as Partial<ReminderNotification> | null;
    return payload?.type === 'reminder.due' &&
      typeof payload.title === 'string' &&
      typeof payload.task_id === 'string' &&
      TASK_ID.test(payload.task_id)
      ? (payload as ReminderNotification)
      : null;
  } catch {
    return null;
  }
}

/**
 * A push arrived (`push` event; `text` is `PushMessageData.text()`): show it. Browsers require every
 * push to show a notification, so a payload this version does not know still shows a plain one. The
 * tag is the reminder's id, as for the page's own notification: one reminder, one notification. The
 * due time is said in the zone of the device showing it (the payload names no zone).
 */
export function showPushedReminder(
  text: string | null,
  scope: WorkerScope,
  zone = browserTimeZone(),
  now = new Date(),
): Promise<void> {
  const reminder = reminderOf(text);
  if (!reminder)
    return scope.showNotification('Todo assistant', {
      body: 'You have a reminder. Open the app to see it.',
      icon: '/favicon.svg',
      data: { task_id: null } satisfies NotificationData,
    });
  return scope.showNotification(`Reminder: ${reminder.title}`, {
    body: reminder.due ? `Due ${dueInWords(reminder.due, zone, now)}` : `Task #${reminder.task_number}`,
    tag: reminder.reminder_id,
    icon: '/favicon.svg',
    data: { task_id: reminder.task_id } satisfies NotificationData,
  });
}

/**
 * A notification was clicked (`notificationclick`): bring an open window of the app forward and ask
 * it to open the task, or open a new window at the task's address.
 */
export async function openNotifiedTask(data: unknown, scope: WorkerScope): Promise<void> {
  const taskId = (data as Partial<NotificationData> | null)?.task_id;
  const valid = typeof taskId === 'string' && TASK_ID.test(taskId) ? taskId : null;
  const open = (await scope.windows()).find((window) => new URL(window.url).origin === scope.origin);
  if (open) {
    await open.focus();
    if (valid) open.postMessage({ type: 'open-task', task_id: valid });
    return;
  }
  await scope.openWindow(new URL(valid ? `/tasks/${valid}` : '/', scope.origin).href);
}

/** The address the worker opens for a task, read back by the app when it starts there. */
export function taskIdInPath(pathname: string): string | null {
  const match = /^\/tasks\/([^/]+)$/.exec(pathname);
  return match && TASK_ID.test(match[1]) ? match[1] : null;
}
