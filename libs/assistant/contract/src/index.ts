export * from './lib/tool-schemas';
export * from './lib/tool-definitions';
export * from './lib/chat-port';
