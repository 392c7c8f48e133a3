import type { DynamicModule, ModuleMetadata } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { type AppConfig, envSchema, parseEnv, toAppConfig } from '@todo/config';
import type { MigrationList } from '@todo/database';
import { createHttpApp } from '@todo/http';
import { PlatformModule } from '@todo/platform-module';
import { randomBytes } from 'node:crypto';
import type { DestinationStream } from 'pino';
import { ApiClient } from './api-client';
import { createTestDatabase } from './test-database';

/** A piece of the app a suite composes: its modules and the migrations of the tables they use. */
export interface TestSlice {
  imports: NonNullable<ModuleMetadata['imports']>;
  migrations: ReadonlyArray<new () => unknown>;
}

export interface TestApp {
  app: NestFastifyApplication;
  config: AppConfig;
  api: ApiClient;
  databaseUrl: string;
  close: () => Promise<void>;
}

/**
 * Boots the real HTTP app (same factory as production) on a random port against a fresh database.
 * `env` overrides variables exactly as an operator would set them.
 */
export async function startTestApp(options: {
  /** Pieces composed before `imports` (e.g. a signed-in user's task API); their migrations run too. */
  slices?: TestSlice[];
  imports?: ModuleMetadata['imports'];
  migrations?: MigrationList;
  env?: Record<string, string>;
  /** Service name (event source, default consumer name). */
  service?: string;
  /** Runs after the app is built and before it listens (e.g. to start event consumers). */
  beforeListen?: (app: NestFastifyApplication, config: AppConfig) => Promise<void>;
  /** Reuse a database instead of creating (and afterwards dropping) a fresh one. */
  databaseUrl?: string;
  /** Token signing key (default: a random one); apps given the same key accept each other's tokens. */
  jwtSecret?: string;
  /** Where the app's JSON log lines go instead of stdout (see `LogLines`). */
  logs?: DestinationStream;
}): Promise<TestApp> {
  const database = options.databaseUrl
    ? { url: options.databaseUrl, drop: async () => undefined }
    : await createTestDatabase();
  const env = parseEnv(envSchema, {
    LOG_LEVEL: 'warn',
    LOGIN_RATE_LIMIT_PER_MINUTE: '1000',
    REGISTRATION_RATE_LIMIT_PER_HOUR: '1000',
    ...options.env,
    PORT: '0',
  });
  const config = toAppConfig(env, {
    service: options.service ?? 'test',
    databaseUrl: database.url,
    jwtSecret: options.jwtSecret ?? randomBytes(32).toString('hex'),
  });
  const slices = options.slices ?? [];
  const migrations = [
    ...slices.flatMap((slice) => slice.migrations),
    ...Object.values(options.migrations ?? []),
  ];
  const root: DynamicModule = {
    module: class TestRootModule {},
    imports: [
      PlatformModule.forRoot(config, { migrations, logDestination: options.logs }),
      ...slices.flatMap((slice) => slice.imports),
      ...(options.imports ?? []),
    ],
  };
  const app = await createHttpApp(root, config);
  await options.beforeListen?.(app, config);
  await app.listen({ port: 0, host: '127.0.0.1' });
  return {
    app,
    config,
    api: new ApiClient(await app.getUrl()),
    databaseUrl: database.url,
    close: async () => {
      await app.close();
      await database.drop();
    },
  };
}
