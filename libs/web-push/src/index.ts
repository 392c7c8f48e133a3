export * from './contract';
export * from './lib/web-push.module';
export * from './lib/reminder-push.consumer';
export * from './lib/vapid-keys';
