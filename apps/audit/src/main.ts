import { Module } from '@nestjs/common';
import { AUDIT_MIGRATIONS, AuditLogModule } from '@todo/audit-log';
import { distributedEnvSchema, parseEnv, toAppConfig } from '@todo/config';
import { withDaprSecrets } from '@todo/dapr-sidecar';
import { EventTransportModule, startEventConsumers } from '@todo/event-transport';
import { EVENTS_MIGRATIONS } from '@todo/events';
import { serve } from '@todo/http';
import { PlatformModule } from '@todo/platform-module';
import { exitOnStartupError } from '@todo/logging';

/**
 * The audit deployable (distributed mode): consumes `task-events` and `reminders` into the append-only history.
 * HTTP serves only health and metrics; the gateway reads the history from the shared database.
 */
@Module({})
class AuditAppModule {}

async function main() {
  const config = toAppConfig(parseEnv(distributedEnvSchema, await withDaprSecrets()), { service: 'audit' });
  const root = {
    module: AuditAppModule,
    imports: [
      PlatformModule.forRoot(config, { migrations: [...EVENTS_MIGRATIONS, ...AUDIT_MIGRATIONS] }),
      EventTransportModule,
      AuditLogModule,
    ],
  };
  await serve(root, config, { beforeListen: startEventConsumers });
}

main().catch(exitOnStartupError('audit'));
