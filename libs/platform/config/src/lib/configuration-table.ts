import { z } from 'zod';
import { CONFIG_VARIABLES, type ConfigVariable, DEPLOYABLES } from './config-variables';

/** The lines around the generated table in the README's "Configuration" section. */
const TABLE_START =
  '<!-- Generated from libs/platform/config/src/lib/config-variables.ts by `npm run docs:config`: edit there. -->';
const TABLE_END = '<!-- End of the generated configuration table. -->';

/** The README's configuration table: one row per declared variable, in declaration order. */
export function configurationTable(declarations: Record<string, ConfigVariable> = CONFIG_VARIABLES): string {
  const rows = Object.entries(declarations).map(
    ([name, declaration]) =>
      `| \`${name}\`${declaration.secret ? ' (secret)' : ''} | ${shownDefault(declaration)} | ${readers(declaration)} | ${declaration.description} |`,
  );
  return [
    TABLE_START,
    '| variable | default | read by | meaning |',
    '| --- | --- | --- | --- |',
    ...rows,
    TABLE_END,
  ].join('\n');
}

function shownDefault({ schema, defaultNote }: ConfigVariable): string {
  const value =
    schema instanceof z.ZodDefault ? shownValue((schema.def as { defaultValue: unknown }).defaultValue) : '—';
  return defaultNote ? `${value} (${defaultNote})` : value;
}

function shownValue(value: unknown): string {
  if (Array.isArray(value) && value.length === 0) return 'none';
  if (value === '') return 'empty';
  return `\`${String(value)}\``;
}

function readers({ apps }: ConfigVariable): string {
  return DEPLOYABLES.every((app) => apps.includes(app)) ? 'every app' : apps.join(', ');
}

/** `readme` with its generated table replaced by `table`. */
export function withTable(readme: string, table: string): string {
  const start = readme.indexOf(TABLE_START);
  const end = readme.indexOf(TABLE_END);
  if (start < 0 || end < start)
    throw new Error(`README.md: the lines ${TABLE_START} and ${TABLE_END} are missing`);
  return readme.slice(0, start) + table + readme.slice(end + TABLE_END.length);
}
