// The README's configuration table must not drift from the schema every service validates its
// environment with: each variable has a row (named in its first column), no row names a variable
// the services do not read, and a variable's default is the one its row shows.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { envSchema } from './env-schema';

const readme = readFileSync(join(__dirname, '../../../../../README.md'), 'utf8');
const section = readme.slice(
  readme.indexOf('## Configuration'),
  readme.indexOf('\n## ', readme.indexOf('## Configuration') + 1),
);
const rows = section
  .split('\n')
  .filter((line) => line.startsWith('| `'))
  .map((line) => line.split(' | '))
  .map(([names = '', defaults = '']) => ({
    names: [...names.matchAll(/`([A-Z][A-Z0-9_]+)`/g)].map((m) => m[1]),
    defaults,
  }));

const variables = envSchema.shape as Record<string, z.ZodType>;

/** How the README writes a default value. */
function shown(value: unknown): string[] {
  if (Array.isArray(value) && value.length === 0) return ['none'];
  if (value === '') return ['empty'];
  if (value === false) return ['`false`', 'off'];
  return [`\`${String(value)}\``];
}

it('documents every variable in a row of its own, and only those', () => {
  const documented = rows.flatMap((row) => row.names).sort();
  expect(documented).toEqual(Object.keys(variables).sort());
});

it('shows each default as the schema has it', () => {
  for (const row of rows)
    for (const name of row.names) {
      const schema = variables[name];
      if (!(schema instanceof z.ZodDefault)) continue;
      const value = (schema.def as { defaultValue: unknown }).defaultValue;
      expect({ name, shows: shown(value).some((text) => row.defaults.includes(text)) }).toEqual({
        name,
        shows: true,
      });
    }
});
