import { Module } from '@nestjs/common';
import { ACCOUNTS_MIGRATIONS } from '@todo/accounts';
import { distributedEnvSchema, parseEnv, toAppConfig } from '@todo/config';
import { EventTransportModule, startEventConsumers } from '@todo/event-transport';
import { EVENTS_MIGRATIONS } from '@todo/events';
import { PlatformModule, serve } from '@todo/http';
import { exitOnStartupError } from '@todo/logging';
import { REMINDERS_MIGRATIONS } from '@todo/reminders';
import { SchedulerModule } from '@todo/scheduler';
import { TASKS_MIGRATIONS } from '@todo/tasks';

/**
 * The scheduler deployable (distributed mode): fires reminders (PostgreSQL timer or Dapr Jobs) and
 * creates the next occurrence of completed recurring tasks. HTTP serves only health and metrics.
 */
@Module({})
class SchedulerAppModule {}

async function main() {
  const config = toAppConfig(parseEnv(distributedEnvSchema), { service: 'scheduler' });
  const root = {
    module: SchedulerAppModule,
    imports: [
      PlatformModule.forRoot(config, {
        migrations: [
          ...ACCOUNTS_MIGRATIONS,
          ...TASKS_MIGRATIONS,
          ...REMINDERS_MIGRATIONS,
          ...EVENTS_MIGRATIONS,
        ],
      }),
      EventTransportModule,
      SchedulerModule.forRoot(config.reminders),
    ],
  };
  await serve(root, config, { beforeListen: startEventConsumers });
}

main().catch(exitOnStartupError('scheduler'));
