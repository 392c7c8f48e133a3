import { workspaceRoot } from '@todo/deployment';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { renderManifests, writeManifests } from './manifests';
import { ENVIRONMENTS, type EnvironmentName, VALUES } from './values';

/**
 * `npm run manifests -- --env minikube|cloud [--registry <repository>] [--tag <tag>] [--out <folder>]`
 * writes `dist/manifests/<env>/` (or `--out`), ready for `kubectl apply -f` or `-k`.
 */
function main() {
  const { values: options } = parseArgs({
    options: {
      env: { type: 'string' },
      registry: { type: 'string' },
      tag: { type: 'string' },
      out: { type: 'string' },
    },
  });
  const env = options.env as EnvironmentName;
  if (!ENVIRONMENTS.includes(env)) {
    console.error(`--env must be one of ${ENVIRONMENTS.join(', ')} (got ${options.env ?? 'nothing'})`);
    process.exit(2);
  }
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

main();
