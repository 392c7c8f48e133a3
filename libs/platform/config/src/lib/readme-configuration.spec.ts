// The README's configuration table is generated from the declarations in config-variables.ts; this
// test fails when the README differs. `npm run docs:config` sets UPDATE_README_CONFIGURATION=1 to
// rewrite the table instead.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { configurationTable, withTable } from './configuration-table';

const readmePath = join(__dirname, '../../../../../README.md');

it('shows the configuration table generated from config-variables.ts (`npm run docs:config` rewrites it)', () => {
  const readme = readFileSync(readmePath, 'utf8');
  const generated = withTable(readme, configurationTable());
  if (process.env['UPDATE_README_CONFIGURATION'] === '1') writeFileSync(readmePath, generated);
  else if (generated !== readme) {
    const lines = new Set(readme.split('\n'));
    const missing = generated.split('\n').filter((line) => !lines.has(line));
    throw new Error(
      `README.md's configuration table differs from config-variables.ts; run \`npm run docs:config\`. Rows it lacks:\n${missing.join('\n')}`,
    );
  }
});
