// Component and unit tests run in jsdom; the end-to-end suite (src/e2e) drives real Chromium in node.
const { readFileSync } = require('node:fs');
const { join } = require('node:path');

const swcrc = JSON.parse(readFileSync(join(__dirname, '../../.swcrc'), 'utf8'));
delete swcrc.$schema;
const swcTsx = {
  ...swcrc,
  swcrc: false,
  jsc: {
    ...swcrc.jsc,
    parser: { ...swcrc.jsc.parser, tsx: true },
    transform: { react: { runtime: 'automatic' } },
  },
};

module.exports = {
  displayName: 'web',
  preset: '../../jest.preset.js',
  testEnvironment: 'jsdom',
  transform: { '^.+\\.tsx?$': ['@swc/jest', swcTsx] },
  moduleFileExtensions: ['ts', 'tsx', 'js', 'json'],
  testMatch: ['**/?(*.)+(spec|e2e-spec).ts?(x)'],
  globalSetup: undefined,
  globalTeardown: undefined,
};
