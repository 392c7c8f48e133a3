import { Module } from '@nestjs/common';
import { ChatPort } from '@todo/assistant-contract';
import { APP_CONFIG, type AppConfig } from '@todo/config';
import { ChatService } from './chat.service';
import { ConversationStore } from './conversations/conversation-store';
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

/**
 * The chat-agent: conversations, engines, the tools and the MCP server. Exports the in-process
 * ChatPort for the chat API (standalone, and the chat-agent's own HTTP surface).
 */
@Module({
  imports: [ChatToolsModule, McpModule],
  providers: [
    ConversationStore,
    ChatService,
    { provide: ChatEngine, inject: [APP_CONFIG], useFactory: chatEngine },
    { provide: ChatPort, useExisting: ChatService },
  ],
  exports: [ChatPort],
})
export class ChatModule {}
