import { Module } from '@nestjs/common';
import { ACCOUNTS_MIGRATIONS, AuthenticationModule } from '@todo/accounts';
import { CHAT_MIGRATIONS, ChatModule } from '@todo/chat';
import { ChatApiModule } from '@todo/chat-api';
import { distributedEnvSchema, parseEnv, toAppConfig } from '@todo/config';
import { withDaprSecrets } from '@todo/dapr-sidecar';
import { EventTransportModule } from '@todo/event-transport';
import { EVENTS_MIGRATIONS } from '@todo/events';
import { serve } from '@todo/http';
import { PlatformModule } from '@todo/platform-module';
import { exitOnStartupError } from '@todo/logging';
import { REMINDERS_MIGRATIONS } from '@todo/reminders';
import { TASKS_MIGRATIONS } from '@todo/tasks';

/**
 * The chat-agent deployable (distributed mode): the chat REST API the gateway forwards to
 * (`/api/v1/chat…`, by HTTP or Dapr service invocation) and the MCP server (`/mcp`). It changes
 * tasks through the task service, so their events leave through the same outbox.
 */
@Module({})
class ChatAgentAppModule {}

async function main() {
  const config = toAppConfig(parseEnv(distributedEnvSchema, await withDaprSecrets()), {
    service: 'chat-agent',
  });
  const root = {
    module: ChatAgentAppModule,
    imports: [
      PlatformModule.forRoot(config, {
        migrations: [
          ...ACCOUNTS_MIGRATIONS,
          ...TASKS_MIGRATIONS,
          ...REMINDERS_MIGRATIONS,
          ...EVENTS_MIGRATIONS,
          ...CHAT_MIGRATIONS,
        ],
      }),
      EventTransportModule,
      AuthenticationModule,
      ChatApiModule.with(ChatModule),
    ],
  };
  await serve(root, config);
}

main().catch(exitOnStartupError('chat-agent'));
