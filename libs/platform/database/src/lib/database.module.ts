import { DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { APP_CONFIG, type AppConfig } from '@todo/config';
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
          }),
        }),
      ],
      providers: [MigrationRunner],
    };
  }
}
