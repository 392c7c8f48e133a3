// The service worker (built to /sw.js, scope /): shows pushed reminders and opens their task on click.
// It caches nothing: the app is small and served with revalidation, and stale code would be worse.
import { openNotifiedTask, showPushedReminder, type WorkerScope, type WorkerWindow } from './reminder-push';

interface ExtendableEvent extends Event {
  waitUntil(promise: Promise<unknown>): void;
}
interface PushEvent extends ExtendableEvent {
  data: { text(): string } | null;
}
interface NotificationEvent extends ExtendableEvent {
  notification: Notification;
}
interface ServiceWorkerGlobal {
  location: Location;
  registration: ServiceWorkerRegistration;
  clients: {
    matchAll(options: { type: 'window'; includeUncontrolled: boolean }): Promise<WorkerWindow[]>;
    openWindow(url: string): Promise<unknown>;
    claim(): Promise<void>;
  };
  skipWaiting(): Promise<void>;
  addEventListener(type: string, listener: (event: never) => void): void;
}

const worker = self as unknown as ServiceWorkerGlobal;

const scope: WorkerScope = {
  origin: worker.location.origin,
  showNotification: (title, options) => worker.registration.showNotification(title, options),
  windows: () => worker.clients.matchAll({ type: 'window', includeUncontrolled: true }),
  openWindow: (url) => worker.clients.openWindow(url),
};

// A new version takes over at once: it holds no state that an old page could depend on.
worker.addEventListener('install', (event: ExtendableEvent) => event.waitUntil(worker.skipWaiting()));
worker.addEventListener('activate', (event: ExtendableEvent) => event.waitUntil(worker.clients.claim()));

worker.addEventListener('push', (event: PushEvent) =>
  event.waitUntil(showPushedReminder(event.data?.text() ?? null, scope)),
);

worker.addEventListener('notificationclick', (event: NotificationEvent) => {
  event.notification.close();
  event.waitUntil(openNotifiedTask(event.notification.data, scope));
});
