/**
 * @jest-environment node
 */
import { reminderNotification } from '@todo/web-push/contract';
import type { OpenTaskMessage } from './reminder-push';

/**
 * The built worker's code (src/push/service-worker.ts) run against a recorded service worker scope:
 * a push carrying exactly what the server sends (`reminderNotification` of libs/web-push, the payload
 * PushSender encrypts) shows the reminder; a click focuses the app and opens the task. Chromium here
 * reaches no push service, so the browser's part is this scope's documented contract.
 */
const ORIGIN = 'https://todo.example.com';
const TASK_ID = '0b5c9a57-29b3-4c39-9f43-0c6d1a8f0d2e';

const serverPayload = (due: string | null) =>
  JSON.stringify(
    reminderNotification({
      user_id: '00000000-0000-4000-8000-000000000000',
      reminder: { id: 'a1f0c9e2-5b8d-4e7a-9c3f-1d2e3f4a5b6c', before: 'PT1H', at: null, fire_at: due ?? '' },
      task: { id: TASK_ID, number: 7, title: 'Buy groceries', due, time_zone: 'Asia/Tokyo' },
      fired_at: '2026-12-04T07:00:00.000Z',
    }),
  );

type Listener = (event: unknown) => void;

function loadWorker(windows: Array<{ url: string }>) {
  const listeners = new Map<string, Listener>();
  const shown: Array<{ title: string; options: NotificationOptions }> = [];
  const focused: string[] = [];
  const posted: OpenTaskMessage[] = [];
  const opened: string[] = [];
  const clients = windows.map((window) => ({
    url: window.url,
    focus: async () => void focused.push(window.url),
    postMessage: (message: OpenTaskMessage) => void posted.push(message),
  }));
  (globalThis as { self?: unknown }).self = {
    location: new URL(`${ORIGIN}/sw.js`),
    registration: {
      showNotification: async (title: string, options: NotificationOptions) =>
        void shown.push({ title, options }),
    },
    clients: {
      matchAll: async (options: { type: string }) => (options.type === 'window' ? clients : []),
      openWindow: async (url: string) => void opened.push(url),
      claim: async () => undefined,
    },
    skipWaiting: async () => undefined,
    addEventListener: (type: string, listener: Listener) => listeners.set(type, listener),
  };
  jest.isolateModules(() => require('./service-worker'));
  /** Dispatches an event the way the browser does and waits for what it handed to `waitUntil`. */
  const dispatch = async (type: string, event: object) => {
    const waits: Array<Promise<unknown>> = [];
    listeners.get(type)?.({ ...event, waitUntil: (promise: Promise<unknown>) => waits.push(promise) });
    expect(waits).toHaveLength(1);
    await Promise.all(waits);
  };
  return { listeners, shown, focused, posted, opened, dispatch };
}

const pushOf = (text: string) => ({ data: { text: () => text } });
const clickOn = (data: unknown) => {
  const notification = { data, closed: false, close: () => (notification.closed = true) };
  return notification;
};

afterEach(() => delete (globalThis as { self?: unknown }).self);

describe('the service worker', () => {
  it('listens for install, activate, push and notificationclick', () => {
    const worker = loadWorker([]);
    expect([...worker.listeners.keys()].sort()).toEqual(['activate', 'install', 'notificationclick', 'push']);
  });

  it('shows the pushed reminder, due time in the device’s zone, tagged by the reminder', async () => {
    const worker = loadWorker([]);
    const due = new Date(Date.now() + 3 * 86_400_000);
    await worker.dispatch('push', pushOf(serverPayload(due.toISOString())));
    // The payload names no zone: the notification speaks the zone of the device that shows it.
    const weekday = due.toLocaleDateString('en-GB', { weekday: 'short' });
    const time = due.toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    expect(worker.shown).toEqual([
      {
        title: 'Reminder: Buy groceries',
        options: {
          body: `Due ${weekday} ${time}`,
          tag: 'a1f0c9e2-5b8d-4e7a-9c3f-1d2e3f4a5b6c',
          icon: '/favicon.svg',
          data: { task_id: TASK_ID },
        },
      },
    ]);
  });

  it('names the task when it has no due date', async () => {
    const worker = loadWorker([]);
    await worker.dispatch('push', pushOf(serverPayload(null)));
    expect(worker.shown[0]).toMatchObject({ title: 'Reminder: Buy groceries', options: { body: 'Task #7' } });
  });

  it('still shows a notification for a payload it does not understand (browsers require one per push)', async () => {
    for (const text of ['not json', '{"type":"reminder.due","task_id":"../admin","title":"x"}', '{}']) {
      const worker = loadWorker([]);
      await worker.dispatch('push', pushOf(text));
      expect(worker.shown).toEqual([
        expect.objectContaining({
          title: 'Todo assistant',
          options: expect.objectContaining({ data: { task_id: null } }),
        }),
      ]);
    }
  });

  it('on click, focuses the open app and asks it to open the task', async () => {
    const worker = loadWorker([{ url: 'https://elsewhere.example/' }, { url: `${ORIGIN}/` }]);
    const notification = clickOn({ task_id: TASK_ID });
    await worker.dispatch('notificationclick', { notification });
    expect(notification.closed).toBe(true);
    expect(worker.focused).toEqual([`${ORIGIN}/`]);
    expect(worker.posted).toEqual([{ type: 'open-task', task_id: TASK_ID }]);
    expect(worker.opened).toEqual([]);
  });

  it('on click with no window open, opens the task’s address', async () => {
    const worker = loadWorker([]);
    await worker.dispatch('notificationclick', { notification: clickOn({ task_id: TASK_ID }) });
    expect(worker.opened).toEqual([`${ORIGIN}/tasks/${TASK_ID}`]);
    const plain = loadWorker([]);
    await plain.dispatch('notificationclick', { notification: clickOn({ task_id: null }) });
    expect(plain.opened).toEqual([`${ORIGIN}/`]);
  });
});
