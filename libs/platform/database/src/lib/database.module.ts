import { DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { APP_CONFIG, type AppConfig } from '@todo/config';
import type { DataSourceOptions } from 'typeorm';
import { connectDataSource } from './connect-data-source';
import { dataSourceOptions, type MigrationList } from './data-source-options';
import { MigrationRunner } from './migration-runner';

/** The TypeORM connection for the whole process; feature modules add entities with `forFeature`. */
@Module({})
export class DatabaseModule {
  static forRoot(options: { migrations: MigrationList }): DynamicModule {
    return {
      module: DatabaseModule,
      imports: [
        TypeOrmModule.forRootAsync({
          inject: [APP_CONFIG],
          useFactory: (config: AppConfig) => ({
            ...dataSourceOptions(config.database, options.migrations),
            autoLoadEntities: true,
            // Fail at once with one clear reason; the process supervisor (Kubernetes, Compose) restarts.
            toRetry: () => false,
          }),
          // Always called with the options above.
          dataSourceFactory: (settings) => connectDataSource(settings as DataSourceOptions),
        }),
      ],
      providers: [MigrationRunner],
    };
  }
}
