import type { ApiClient } from '../api/client';

/** Where this browser stands with Web Push for the app. */
export type PushState = 'unsupported' | 'off' | 'on';

/** A step of turning Web Push on or off failed; the message says what to do. */
export class PushSetupError extends Error {}

const WORKER_URL = '/sw.js';
/** A push service that does not answer must not leave the switch spinning. */
const SUBSCRIBE_TIMEOUT_MS = 20_000;

function withinTime<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer in time`)), SUBSCRIBE_TIMEOUT_MS);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

const supported = () =>
  typeof navigator !== 'undefined' && 'serviceWorker' in navigator && typeof PushManager !== 'undefined';

const keyBytes = (base64Url: string) =>
  Uint8Array.from(atob(base64Url.replace(/-/g, '+').replace(/_/g, '/')), (char) => char.charCodeAt(0));

const sameKey = (a: ArrayBuffer | null, b: Uint8Array) =>
  a !== null && a.byteLength === b.length && new Uint8Array(a).every((byte, index) => byte === b[index]);

async function currentSubscription(): Promise<PushSubscription | null> {
  const registration = await navigator.serviceWorker.getRegistration('/');
  return (await registration?.pushManager.getSubscription()) ?? null;
}

export async function pushState(): Promise<PushState> {
  if (!supported()) return 'unsupported';
  return (await currentSubscription()) ? 'on' : 'off';
}

const messageOf = (failure: unknown) => (failure instanceof Error ? failure.message : String(failure));

/**
 * Turns Web Push on for this browser: notification permission, the service worker, a subscription
 * with the server's VAPID key at the browser's push service, and that subscription given to the server.
 */
export async function enablePush(api: ApiClient): Promise<void> {
  if (!supported()) throw new PushSetupError('This browser cannot receive push notifications.');
  const permission = await Notification.requestPermission();
  if (permission !== 'granted')
    throw new PushSetupError(
      'Notifications are blocked for this site. Allow them in the browser’s site settings, then try again.',
    );
  let key: Uint8Array;
  try {
    key = keyBytes((await api.vapidPublicKey()).public_key);
  } catch (failure) {
    throw new PushSetupError(`The server does not offer push notifications: ${messageOf(failure)}`);
  }
  const registration = await navigator.serviceWorker.register(WORKER_URL, { scope: '/' });
  await navigator.serviceWorker.ready;
  let subscription = await registration.pushManager.getSubscription();
  // A subscription made with another server key (the operator replaced it) can no longer be used.
  if (subscription && !sameKey(subscription.options.applicationServerKey, key)) {
    await subscription.unsubscribe();
    subscription = null;
  }
  try {
    subscription ??= await withinTime(
      registration.pushManager.subscribe({
        userVisibleOnly: true,
        applicationServerKey: key as BufferSource,
      }),
      'the push service',
    );
  } catch (failure) {
    throw new PushSetupError(
      `The browser’s push service refused the subscription (${messageOf(failure)}). ` +
        'Reminders still show while the app is open; try again later or in another browser.',
    );
  }
  try {
    await api.subscribePush(subscription.toJSON());
  } catch (failure) {
    await subscription.unsubscribe().catch(() => undefined);
    throw new PushSetupError(`The server did not take the subscription: ${messageOf(failure)}`);
  }
}

/** Turns Web Push off for this browser: the server forgets it, and so does the push service. */
export async function disablePush(api: ApiClient): Promise<void> {
  if (!supported()) return;
  const subscription = await currentSubscription();
  if (!subscription) return;
  try {
    const known = (await api.pushSubscriptions()).items.find(
      (item) => item.endpoint === subscription.endpoint,
    );
    if (known) await api.unsubscribePush(known.id);
  } catch (failure) {
    throw new PushSetupError(`The server could not forget this browser: ${messageOf(failure)}`);
  }
  await subscription.unsubscribe();
}
