import { workspaceRoot } from '@todo/deployment';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { renderManifests, writeManifests } from './manifests';
import { runSmokeTest } from './smoke';
import { ENVIRONMENTS, type EnvironmentName, VALUES } from './values';

const USAGE = `usage:
  main.js --env minikube|cloud [--registry <repository>] [--tag <tag>] [--out <folder>]
      writes the manifests (default folder dist/manifests/<env>) for kubectl apply -f / -k
  main.js smoke --url <gateway URL> [--realtime-url <URL>] [--timeout-ms <ms>]
      checks a running deployment end to end`;

async function main() {
  const { values: options, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      env: { type: 'string' },
      registry: { type: 'string' },
      tag: { type: 'string' },
      out: { type: 'string' },
      url: { type: 'string' },
      'realtime-url': { type: 'string' },
      'timeout-ms': { type: 'string' },
    },
  });
  if (positionals[0] === 'smoke') {
    if (!options.url) fail('smoke needs --url');
    await runSmokeTest({
      url: options.url,
      realtimeUrl: options['realtime-url'],
      timeoutMs: options['timeout-ms'] ? Number(options['timeout-ms']) : undefined,
      log: (step) => console.log(`smoke: ${step}`),
    });
    console.log('smoke: passed');
    return;
  }
  const env = options.env as EnvironmentName;
  if (positionals.length || !ENVIRONMENTS.includes(env))
    fail(`--env must be one of ${ENVIRONMENTS.join(', ')} (got ${options.env ?? 'nothing'})`);
  const defaults = VALUES[env];
  const values = {
    ...defaults,
    images: {
      ...defaults.images,
      repository: options.registry ?? defaults.images.repository,
      tag: options.tag ?? defaults.images.tag,
    },
  };
  const folder = options.out ?? join(workspaceRoot, 'dist', 'manifests', env);
  for (const path of writeManifests(folder, renderManifests(values))) console.log(path);
}

function fail(message: string): never {
  console.error(`${message}\n${USAGE}`);
  process.exit(2);
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
