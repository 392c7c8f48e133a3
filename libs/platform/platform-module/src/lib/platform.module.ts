import { DynamicModule, Module } from '@nestjs/common';
import { AuthModule } from '@todo/auth';
import { type AppConfig, ConfigModule } from '@todo/config';
import { DatabaseModule, type MigrationList } from '@todo/database';
import { HealthModule } from '@todo/health';
import { LoggingModule } from '@todo/logging';
import { MetricsModule } from '@todo/metrics';
import type { DestinationStream } from 'pino';
import { DaprAppCallbacksModule } from '@todo/http';

/**
 * What every deployable needs: config, logs, database + migrations, health, metrics, tokens, and the
 * registry of extra routes on the Dapr app port.
 */
@Module({})
export class PlatformModule {
  /** `logDestination` replaces stdout for the app's logs (tests read them). */
  static forRoot(
    config: AppConfig,
    options: { migrations: MigrationList; logDestination?: DestinationStream },
  ): DynamicModule {
    return {
      module: PlatformModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggingModule.forRoot({ destination: options.logDestination }),
        DatabaseModule.forRoot(options),
        HealthModule,
        MetricsModule,
        AuthModule,
        DaprAppCallbacksModule,
      ],
    };
  }
}
