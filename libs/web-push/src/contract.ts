// What browsers see of Web Push: the pushed payload and the subscription as the API answers it.
// Light on purpose (no Nest, no web-push library): the browser app and its service worker import it.
export * from './lib/reminder-notification';
export type { PushSubscriptionView } from './lib/push-subscriptions';
