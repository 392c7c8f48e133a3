import type { DynamicModule, ModuleMetadata } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { envSchema, parseEnv, toAppConfig } from '@todo/config';
import type { MigrationList } from '@todo/database';
import { createHttpApp, PlatformModule } from '@todo/http';
import { randomBytes } from 'node:crypto';
import { ApiClient } from './api-client';
import { createTestDatabase } from './test-database';

export interface TestApp {
  app: NestFastifyApplication;
  api: ApiClient;
  databaseUrl: string;
  close: () => Promise<void>;
}

/**
 * Boots the real HTTP app (same factory as production) on a random port against a fresh database.
 * `env` overrides variables exactly as an operator would set them.
 */
export async function startTestApp(options: {
  imports: ModuleMetadata['imports'];
  migrations: MigrationList;
  env?: Record<string, string>;
}): Promise<TestApp> {
  const database = await createTestDatabase();
  const env = parseEnv(envSchema, {
    LOG_LEVEL: 'warn',
    LOGIN_RATE_LIMIT_PER_MINUTE: '1000',
    ...options.env,
    PORT: '0',
  });
  const config = toAppConfig(env, { databaseUrl: database.url, jwtSecret: randomBytes(32).toString('hex') });
  const root: DynamicModule = {
    module: class TestRootModule {},
    imports: [PlatformModule.forRoot(config, { migrations: options.migrations }), ...(options.imports ?? [])],
  };
  const app = await createHttpApp(root, config);
  await app.listen({ port: 0, host: '127.0.0.1' });
  return {
    app,
    api: new ApiClient(await app.getUrl()),
    databaseUrl: database.url,
    close: async () => {
      await app.close();
      await database.drop();
    },
  };
}
