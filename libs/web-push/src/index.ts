export * from './lib/web-push.module';
export * from './lib/reminder-notification';
export * from './lib/reminder-push.consumer';
export * from './lib/vapid-keys';
