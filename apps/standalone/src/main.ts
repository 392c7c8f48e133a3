import { Module } from '@nestjs/common';
import { envSchema, parseEnv, persistentSecret, toAppConfig } from '@todo/config';
import { withDaprSecrets } from '@todo/dapr-sidecar';
import { EmbeddedPostgresServer } from '@todo/database';
import { ALL_MIGRATIONS, GatewayModule } from '@todo/gateway-composition';
import { AuditLogModule } from '@todo/audit-log';
import { ChatModule } from '@todo/chat';
import { ChatApiModule } from '@todo/chat-api';
import { EventTransportModule, startEventConsumers } from '@todo/event-transport';
import { serve } from '@todo/http';
import { PlatformModule } from '@todo/platform-module';
import { exitOnStartupError } from '@todo/logging';
import { SchedulerModule } from '@todo/scheduling';
import { persistentVapidKeys, ReminderPushModule } from '@todo/web-push';
import { RealtimeModule, useRealtimeSockets } from '@todo/realtime';
import { AuthenticationModule } from '@todo/accounts';
import { join, resolve } from 'node:path';

/** Every service in one process: the `npm start` default. */
@Module({})
class StandaloneModule {}

async function main() {
  const env = parseEnv(envSchema, await withDaprSecrets());
  const dataDir = resolve(env.DATA_DIR);
  // Without DATABASE_URL, a real PostgreSQL runs from the npm package with its data under DATA_DIR.
  const embedded = env.DATABASE_URL
    ? undefined
    : new EmbeddedPostgresServer({
        dataDir: join(dataDir, 'postgres'),
        port: env.EMBEDDED_POSTGRES_PORT,
        database: 'todo',
      });
  const databaseUrl = env.DATABASE_URL ?? (await embedded?.start());
  const jwtSecret = env.JWT_SECRET ?? (await persistentSecret(join(dataDir, 'jwt-secret')));
  const vapidKeys = env.VAPID_PUBLIC_KEY
    ? undefined
    : await persistentVapidKeys(join(dataDir, 'vapid-keys.json'));
  const config = toAppConfig(env, { service: 'standalone', databaseUrl, jwtSecret, vapidKeys });

  const root = {
    module: StandaloneModule,
    imports: [
      PlatformModule.forRoot(config, { migrations: ALL_MIGRATIONS }),
      EventTransportModule,
      GatewayModule,
      ChatApiModule.with(ChatModule),
      AuditLogModule,
      SchedulerModule.forRoot(config.reminders),
      ReminderPushModule.forRoot(config.webPush),
      RealtimeModule.with(AuthenticationModule),
    ],
  };
  const { url } = await serve(root, config, {
    beforeListen: async (app, appConfig) => {
      useRealtimeSockets(app);
      await startEventConsumers(app, appConfig);
    },
    afterClose: [async () => embedded?.stop()],
    // The web app is built next to this bundle: dist/apps/web.
    webAppDir: join(__dirname, '..', 'web'),
  });
  const shown = url.replace('127.0.0.1', 'localhost').replace('[::1]', 'localhost');
  console.log(
    `\n  Todo assistant is running at ${shown}\n  REST ${shown}/api/v1 · API docs ${shown}/api/docs · GraphQL ${shown}/graphql · MCP ${shown}/mcp · live updates ${shown.replace(/^http/, 'ws')}/realtime\n  data: ${dataDir}\n`,
  );
}

main().catch(exitOnStartupError('standalone'));
