/** Asks for browser notifications the first time the user sets a reminder (never on page load). */
export function askNotificationPermissionOnce(): void {
  if (typeof Notification === 'undefined' || Notification.permission !== 'default') return;
  void Notification.requestPermission().catch(() => undefined);
}

export function showBrowserNotification(title: string, body: string, tag: string): void {
  if (typeof Notification === 'undefined' || Notification.permission !== 'granted') return;
  const options = { body, tag, icon: '/favicon.svg' };
  try {
    new Notification(title, options);
  } catch {
    // Some browsers (Chrome on Android) only allow notifications from a service worker: ours, once
    // the user turned Web Push on. Otherwise the in-page one is all there is.
    void navigator.serviceWorker
      ?.getRegistration('/')
      .then((registration) => registration?.showNotification(title, options))
      .catch(() => undefined);
  }
}
