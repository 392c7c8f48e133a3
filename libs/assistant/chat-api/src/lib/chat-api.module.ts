import { type DynamicModule, Module, type Type } from '@nestjs/common';
import { ChatPort } from '@todo/assistant-contract';
import { APP_CONFIG, type AppConfig } from '@todo/config';
import { DaprSidecar } from '@todo/dapr-sidecar';
import { ChatController } from './chat.controller';
import { ChatResolver } from './chat.resolver';
import { daprAgentChannel, httpAgentChannel, RemoteChatClient } from './remote-chat-client';

/**
 * The assistant's REST and GraphQL surface over a ChatPort. The composition says where the
 * chat-agent is: `ChatApiModule.with(ChatModule)` in the same process, or `ChatApiModule.remote()`.
 */
@Module({})
export class ChatApiModule {
  static with(chatAgent: Type | DynamicModule): DynamicModule {
    return {
      module: ChatApiModule,
      imports: [chatAgent],
      controllers: [ChatController],
      providers: [ChatResolver],
    };
  }

  /**
   * The chat-agent in its own process, reached as the app's config says (`CHAT_AGENT_TRANSPORT`):
   * plain HTTP (`CHAT_AGENT_URL`) or Dapr service invocation (`CHAT_AGENT_APP_ID` via the sidecar).
   */
  static remote(): DynamicModule {
    return {
      module: ChatApiModule,
      controllers: [ChatController],
      providers: [ChatResolver, { provide: ChatPort, inject: [APP_CONFIG], useFactory: remoteChatClient }],
    };
  }
}

function remoteChatClient(config: AppConfig): RemoteChatClient {
  const { agent } = config.chat;
  switch (agent.transport) {
    case 'dapr':
      return new RemoteChatClient(
        daprAgentChannel(new DaprSidecar(config.events.dapr), agent.daprAppId),
        agent.timeoutMs,
      );
    case 'http':
      if (!agent.url) throw new Error('CHAT_AGENT_URL is required when CHAT_AGENT_TRANSPORT=http');
      return new RemoteChatClient(httpAgentChannel(agent.url.replace(/\/+$/, '')), agent.timeoutMs);
    case 'in-process':
      throw new Error('ChatApiModule.remote() needs CHAT_AGENT_TRANSPORT=http or dapr');
  }
}
