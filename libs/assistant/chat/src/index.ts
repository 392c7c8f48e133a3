export * from './lib/chat.module';
export * from './lib/chat-migrations';
export * from './lib/engines/chat-engine';
export * from './lib/engines/llm-engine';
export * from './lib/engines/offline-engine';
export * from './lib/mcp/mcp.module';
