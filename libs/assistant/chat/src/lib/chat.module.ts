import { Module } from '@nestjs/common';
import { ChatPort } from '@todo/assistant-contract';
import { APP_CONFIG, type AppConfig } from '@todo/config';
import { DaprSidecar } from '@todo/dapr-sidecar';
import { DataSource } from 'typeorm';
import { ChatService } from './chat.service';
import { ConversationStore } from './conversations/conversation-store';
import { DaprConversationStore } from './conversations/dapr-conversation-store';
import { PostgresConversationStore } from './conversations/postgres-conversation-store';
import { ChatEngine } from './engines/chat-engine';
import { LlmEngine } from './engines/llm-engine';
import { OfflineEngine } from './engines/offline-engine';
import { McpModule } from './mcp/mcp.module';
import { ChatToolsModule } from './tools/chat-tools.module';

/**
 * The engine chosen by configuration; the offline one also stands in when the model fails, if
 * `llm.fallback` says so (the LLM engine checks that setting).
 */
function chatEngine(config: AppConfig): ChatEngine {
  const offline = new OfflineEngine();
  if (config.chat.engine === 'offline') return offline;
  return new LlmEngine(config.chat.llm, offline);
}

/** The conversation store chosen by `CONVERSATION_STORE`. */
function conversationStore(config: AppConfig, dataSource: DataSource): ConversationStore {
  const { store, daprStateStore } = config.chat.conversations;
  if (store === 'postgres') return new PostgresConversationStore(dataSource);
  return new DaprConversationStore(new DaprSidecar(config.events.dapr), daprStateStore);
}

/**
 * The chat-agent: conversations, engines, the tools and the MCP server. Exports the in-process
 * ChatPort for the chat API (standalone, and the chat-agent's own HTTP surface).
 */
@Module({
  imports: [ChatToolsModule, McpModule],
  providers: [
    { provide: ConversationStore, inject: [APP_CONFIG, DataSource], useFactory: conversationStore },
    ChatService,
    { provide: ChatEngine, inject: [APP_CONFIG], useFactory: chatEngine },
    { provide: ChatPort, useExisting: ChatService },
  ],
  exports: [ChatPort],
})
export class ChatModule {}
