// Starts one embedded PostgreSQL per Jest run for projects that have integration suites
// (*.int-spec.ts); each suite then creates and drops its own database (see @todo/testing).
// TEST_DATABASE_URL (a server URL with rights to CREATE DATABASE) skips the embedded server.
import type { Config } from '@jest/types';
import { readdirSync } from 'node:fs';
import Module from 'node:module';
import { basename, join } from 'node:path';

// Jest's moduleNameMapper does not apply to the global setup: resolve the workspace's path aliases
// (@todo/…) here the same way, for the libraries the embedded server imports.
const aliases = Object.entries(require('./module-name-mapper')() as Record<string, string>).map(
  ([pattern, target]) => ({ pattern: new RegExp(pattern), target }),
);
const loader = Module as unknown as { _resolveFilename: (request: string, ...rest: unknown[]) => string };
const resolveFilename = loader._resolveFilename;
loader._resolveFilename = function (request, ...rest) {
  const alias = aliases.find(({ pattern }) => pattern.test(request));
  return resolveFilename.call(this, alias?.target ?? request, ...rest);
};

// eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded after the aliases are in place
const { EmbeddedPostgresServer } =
  require('../../libs/platform/database/src/lib/embedded-postgres-server') as typeof import('../../libs/platform/database/src/lib/embedded-postgres-server');

declare global {
  var __embeddedPostgres: InstanceType<typeof EmbeddedPostgresServer> | undefined;
}

function hasIntegrationSuites(dir: string): boolean {
  return readdirSync(dir, { withFileTypes: true }).some((entry) => {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) return false;
    const path = join(dir, entry.name);
    return entry.isDirectory() ? hasIntegrationSuites(path) : entry.name.endsWith('.int-spec.ts');
  });
}

export default async function globalSetup(_global: Config.GlobalConfig, project: Config.ProjectConfig) {
  if (process.env['TEST_DATABASE_URL'] || !hasIntegrationSuites(project.rootDir)) return;
  const server = new EmbeddedPostgresServer({
    dataDir: join(__dirname, '..', '..', '.data', 'test-postgres', basename(project.rootDir)),
    unsafeFast: true,
  });
  process.env['TEST_DATABASE_URL'] = await server.start();
  globalThis.__embeddedPostgres = server;
}
