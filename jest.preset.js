// Shared Jest settings for every project: SWC transpiles TypeScript with decorator metadata
// (Nest's dependency injection needs it); type checking is done once by `npm run typecheck`.
const { readFileSync } = require('node:fs');
const { join } = require('node:path');

const swcrc = JSON.parse(readFileSync(join(__dirname, '.swcrc'), 'utf8'));
delete swcrc.$schema;

module.exports = {
  testEnvironment: 'node',
  transform: {
    '^.+\\.ts$': ['@swc/jest', { ...swcrc, swcrc: false }],
    // ESM-only dependencies (Node loads them natively; Jest's sandbox needs them as CommonJS).
    '/node_modules/content-disposition/.+\\.js$': ['@swc/jest', { ...swcrc, swcrc: false }],
  },
  transformIgnorePatterns: ['/node_modules/(?!content-disposition/)'],
  moduleFileExtensions: ['ts', 'js', 'json'],
  testMatch: ['**/?(*.)+(spec|int-spec).ts'],
  moduleNameMapper: require('./tools/jest/module-name-mapper')(),
  // Integration suites share one embedded PostgreSQL per Jest run; each suite gets its own database.
  globalSetup: join(__dirname, 'tools/jest/global-setup.ts'),
  globalTeardown: join(__dirname, 'tools/jest/global-teardown.ts'),
  testTimeout: 30000,
  clearMocks: true,
};
