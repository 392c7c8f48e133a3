import { Module } from '@nestjs/common';
import { distributedEnvSchema, exitOnStartupError, parseEnv, toAppConfig } from '@todo/config';
import { migrateCommand } from '@todo/database';
import { ALL_MIGRATIONS, ApiModule } from '@todo/api';
import { EventTransportModule } from '@todo/event-transport';
import { PlatformModule, serve } from '@todo/http';

/**
 * The gateway deployable (distributed mode): `node main.js` serves REST and GraphQL and relays the
 * outbox to the broker; `node main.js migrate` migrates and exits.
 */
@Module({})
class GatewayAppModule {}

async function main() {
  const config = toAppConfig(parseEnv(distributedEnvSchema), { service: 'gateway' });
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
      ApiModule,
    ],
  };
  await serve(root, config);
}

main().catch(exitOnStartupError);
