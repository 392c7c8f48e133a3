import { Module } from '@nestjs/common';
import { distributedEnvSchema, parseEnv, toAppConfig } from '@todo/config';
import { withDaprSecrets } from '@todo/dapr-sidecar';
import { migrateCommand } from '@todo/database';
import { ALL_MIGRATIONS, GatewayModule } from '@todo/gateway-composition';
import { ChatModule } from '@todo/chat';
import { ChatApiModule } from '@todo/chat-api';
import { EventTransportModule } from '@todo/event-transport';
import { serve } from '@todo/http';
import { PlatformModule } from '@todo/platform-module';
import { REALTIME_PATH } from '@todo/realtime-contract';
import { exitOnStartupError } from '@todo/logging';
import { join } from 'node:path';

/**
 * The gateway deployable (distributed mode): `node main.js` serves REST and GraphQL (chat included,
 * in-process or forwarded to the chat-agent by CHAT_AGENT_TRANSPORT) and relays the
 * outbox to the broker; `node main.js migrate` migrates and exits.
 */
@Module({})
class GatewayAppModule {}

async function main() {
  const config = toAppConfig(parseEnv(distributedEnvSchema, await withDaprSecrets()), { service: 'gateway' });
  if (process.argv[2] === 'migrate') {
    const applied = await migrateCommand(config.database, ALL_MIGRATIONS);
    console.log(applied.length ? `applied: ${applied.join(', ')}` : 'schema is up to date');
    return;
  }
  const root = {
    module: GatewayAppModule,
    imports: [
      PlatformModule.forRoot(config, { migrations: ALL_MIGRATIONS }),
      EventTransportModule,
      GatewayModule,
      // The assistant runs in the gateway unless a separate chat-agent is configured.
      config.chat.agent.transport === 'in-process' ? ChatApiModule.with(ChatModule) : ChatApiModule.remote(),
    ],
  };
  const { url: realtimeUrl } = config.realtime;
  await serve(root, config, {
    // The browser app ships next to this bundle (dist/apps/web) and is served at `/`.
    webAppDir: join(__dirname, '..', 'web'),
    // Without an ingress in front (Compose, start:distributed) its live updates come through here.
    forward: realtimeUrl
      ? { upstream: realtimeUrl, httpPrefixes: ['/api/v1/realtime'], upgradePaths: [REALTIME_PATH] }
      : undefined,
  });
}

main().catch(exitOnStartupError('gateway'));
