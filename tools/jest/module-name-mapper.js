// Maps the workspace's TypeScript path aliases (tsconfig.base.json) to source files for Jest.
const { readFileSync } = require('node:fs');
const { join } = require('node:path');

module.exports = function moduleNameMapper() {
  const root = join(__dirname, '..', '..');
  const { compilerOptions } = JSON.parse(readFileSync(join(root, 'tsconfig.base.json'), 'utf8'));
  return Object.fromEntries(
    Object.entries(compilerOptions.paths).map(([alias, [target]]) => [`^${alias}$`, join(root, target)]),
  );
};
