import { Module } from '@nestjs/common';
import { ACCOUNTS_MIGRATIONS, AuthenticationModule } from '@todo/accounts';
import { distributedEnvSchema, parseEnv, toAppConfig } from '@todo/config';
import { withDaprSecrets } from '@todo/dapr-sidecar';
import { EventTransportModule, startEventConsumers } from '@todo/event-transport';
import { EVENTS_MIGRATIONS } from '@todo/events';
import { serve } from '@todo/http';
import { PlatformModule } from '@todo/platform-module';
import { exitOnStartupError } from '@todo/logging';
import { REALTIME_MIGRATIONS, RealtimeModule, useRealtimeSockets } from '@todo/realtime';
import { hostname } from 'node:os';

/**
 * The realtime deployable (distributed mode): WebSockets at `/realtime` and
 * `POST /api/v1/realtime/ticket` on its own port. Every replica consumes every `task-updates` and
 * `reminders` event (its own Kafka consumer group) and pushes each to its user's sockets here.
 */
@Module({})
class RealtimeAppModule {}

async function main() {
  const env = parseEnv(distributedEnvSchema, await withDaprSecrets());
  // Each replica needs a consumer group of its own; without an explicit suffix (e.g. the pod name),
  // host name and pid tell replicas apart. A new group starts at the latest offset.
  const groupSuffix = env.KAFKA_GROUP_SUFFIX || `.${hostname()}.${process.pid}`;
  const config = toAppConfig({ ...env, KAFKA_GROUP_SUFFIX: groupSuffix }, { service: 'realtime' });
  const root = {
    module: RealtimeAppModule,
    imports: [
      PlatformModule.forRoot(config, {
        migrations: [...ACCOUNTS_MIGRATIONS, ...EVENTS_MIGRATIONS, ...REALTIME_MIGRATIONS],
      }),
      EventTransportModule,
      RealtimeModule.with(AuthenticationModule),
    ],
  };
  await serve(root, config, {
    beforeListen: async (app, appConfig) => {
      useRealtimeSockets(app);
      await startEventConsumers(app, appConfig);
    },
  });
}

main().catch(exitOnStartupError('realtime'));
