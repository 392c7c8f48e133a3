// Starts one embedded PostgreSQL per Jest run for projects that have integration suites
// (*.int-spec.ts); each suite then creates and drops its own database (see @todo/testing).
// TEST_DATABASE_URL (a server URL with rights to CREATE DATABASE) skips the embedded server.
import type { Config } from '@jest/types';
import { readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { EmbeddedPostgresServer } from '../../libs/platform/database/src/lib/embedded-postgres-server';

declare global {
  var __embeddedPostgres: EmbeddedPostgresServer | undefined;
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
