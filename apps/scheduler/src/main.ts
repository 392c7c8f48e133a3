import { Module } from '@nestjs/common';
import { ACCOUNTS_MIGRATIONS } from '@todo/accounts';
import { distributedEnvSchema, parseEnv, toAppConfig } from '@todo/config';
import { withDaprSecrets } from '@todo/dapr-sidecar';
import { EventTransportModule, startEventConsumers } from '@todo/event-transport';
import { EVENTS_MIGRATIONS } from '@todo/events';
import { serve } from '@todo/http';
import { PlatformModule } from '@todo/platform-module';
import { exitOnStartupError } from '@todo/logging';
import { REMINDERS_MIGRATIONS } from '@todo/reminders';
import { SchedulerModule } from '@todo/scheduling';
import { TASKS_MIGRATIONS } from '@todo/tasks';
import { ReminderPushModule, WEB_PUSH_MIGRATIONS } from '@todo/web-push';

/**
 * The scheduler deployable (distributed mode): fires reminders (PostgreSQL timer or Dapr Jobs),
 * pushes them to subscribed browsers (Web Push) and creates the next occurrence of completed recurring tasks. HTTP serves only health and metrics.
 */
@Module({})
class SchedulerAppModule {}

async function main() {
  const config = toAppConfig(parseEnv(distributedEnvSchema, await withDaprSecrets()), {
    service: 'scheduler',
  });
  const root = {
    module: SchedulerAppModule,
    imports: [
      PlatformModule.forRoot(config, {
        migrations: [
          ...ACCOUNTS_MIGRATIONS,
          ...TASKS_MIGRATIONS,
          ...REMINDERS_MIGRATIONS,
          ...EVENTS_MIGRATIONS,
          ...WEB_PUSH_MIGRATIONS,
        ],
      }),
      EventTransportModule,
      SchedulerModule.forRoot(config.reminders),
      // Web Push of fired reminders lives here until the realtime app exists (off without VAPID keys).
      ReminderPushModule.forRoot(config.webPush),
    ],
  };
  await serve(root, config, { beforeListen: startEventConsumers });
}

main().catch(exitOnStartupError('scheduler'));
