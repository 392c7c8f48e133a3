// No dead and no undeclared settings: each declared variable has a place in AppConfig (whose readers
// config-readers.spec.ts finds), or is read by name (a derived setting in `toAppConfig`, a boot-time
// reader such as the secrets source in @todo/dapr-sidecar), or its declaration names the library that
// reads it; and each variable our code reads from an environment is declared. Test
// harnesses (testing libraries, e2e folders, specs) keep their own variables and are not scanned.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONFIG_VARIABLES, type ConfigVariable } from './config-variables';

const workspace = join(__dirname, '../../../../..');
const notScanned = [
  /\.(spec|int-spec|e2e-spec)\.tsx?$/,
  /(^|\/)(testing|integration-testing|e2e|node_modules)\//,
  // Declaring and validating a variable is not reading it.
  /^libs\/platform\/config\/src\/lib\/(config-variables|env-schema)\.ts$/,
];
/** `env.NAME`, `env['NAME']`, `process.env.NAME`, `source.NAME` (the secrets source's parsed variables). */
const read = /\b(?:env|source)(?:\.|\[['"])([A-Z][A-Z0-9_]*)\b/g;

function variablesRead(): Map<string, string[]> {
  const readers = new Map<string, string[]>();
  for (const folder of ['apps', 'libs'])
    for (const entry of readdirSync(join(workspace, folder), { recursive: true, encoding: 'utf8' })) {
      const path = `${folder}/${entry}`;
      if (!/\.tsx?$/.test(path) || notScanned.some((pattern) => pattern.test(path))) continue;
      for (const [, name = ''] of readFileSync(join(workspace, path), 'utf8').matchAll(read))
        readers.set(name, [...(readers.get(name) ?? []), path]);
    }
  return readers;
}

const declarations: Record<string, ConfigVariable> = CONFIG_VARIABLES;
const readers = variablesRead();

it('finds the readers it scans for', () => {
  expect(readers.get('DATABASE_URL')).toContain('libs/platform/config/src/lib/app-config.ts');
  expect(readers.get('SECRETS_SOURCE')).toContain('libs/platform/dapr-sidecar/src/lib/dapr-secrets.ts');
});

it('declares every variable read from the environment', () => {
  const undeclared = [...readers].filter(([name]) => !(name in declarations));
  expect(undeclared).toEqual([]);
});

it('reads every declared variable (or names the library that does)', () => {
  const unread = Object.entries(declarations)
    .filter(([name, declaration]) => !readers.has(name) && !declaration.readBy && !declaration.at)
    .map(([name]) => name);
  expect(unread).toEqual([]);
});
