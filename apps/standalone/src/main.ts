import { Module } from '@nestjs/common';
import { envSchema, exitOnStartupError, parseEnv, persistentSecret, toAppConfig } from '@todo/config';
import { EmbeddedPostgresServer } from '@todo/database';
import { ALL_MIGRATIONS, ApiModule } from '@todo/api';
import { AuditLogModule } from '@todo/audit';
import { ChatModule } from '@todo/chat';
import { ChatApiModule } from '@todo/chat-api';
import { EventTransportModule, startEventConsumers } from '@todo/event-transport';
import { PlatformModule, serve } from '@todo/http';
import { SchedulerModule } from '@todo/scheduler';
import { join, resolve } from 'node:path';

/** Every service in one process: the `npm start` default. */
@Module({})
class StandaloneModule {}

async function main() {
  const env = parseEnv(envSchema);
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
  const config = toAppConfig(env, { service: 'standalone', databaseUrl, jwtSecret });

  const root = {
    module: StandaloneModule,
    imports: [
      PlatformModule.forRoot(config, { migrations: ALL_MIGRATIONS }),
      EventTransportModule,
      ApiModule,
      ChatApiModule.with(ChatModule),
      AuditLogModule,
      SchedulerModule.forRoot(config.reminders),
    ],
  };
  const { url } = await serve(root, config, {
    beforeListen: startEventConsumers,
    afterClose: [async () => embedded?.stop()],
    // The web app is built next to this bundle: dist/apps/web.
    webAppDir: join(__dirname, '..', 'web'),
  });
  const shown = url.replace('127.0.0.1', 'localhost').replace('[::1]', 'localhost');
  console.log(
    `\n  Todo assistant is running at ${shown}\n  REST ${shown}/api/v1 · API docs ${shown}/api/docs · GraphQL ${shown}/graphql · MCP ${shown}/mcp\n  data: ${dataDir}\n`,
  );
}

main().catch(exitOnStartupError);
