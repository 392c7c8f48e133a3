export * from './lib/chat-api.module';
