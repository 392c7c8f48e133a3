import nx from '@nx/eslint-plugin';
import prettier from 'eslint-config-prettier';

/**
 * Module boundaries (enforced, not advisory):
 *   type:app         -> composition, infra, feature, domain, util (apps never import apps)
 *   type:composition -> infra, feature, domain, util            (wires features into a service)
 *   type:infra       -> domain, util                            (event transports, outbox relay)
 *   type:feature     -> domain, util                            (transports: REST, GraphQL, consumers)
 *   type:domain      -> domain, util; no HTTP/GraphQL frameworks, no broker clients
 *   type:util        -> util
 *   type:testing     -> util                                    (test helpers; only test files may import them)
 *   type:test-composition -> infra, feature, domain, util, testing (slices of the app for integration
 *                    suites; no production rule lists it, so only *.int-spec.ts files may import it)
 *
 * Bounded contexts (scope:*): each may use only the contexts listed in `scopeRules`, so an import that
 * crosses into a context it has no business with (the scheduler parsing natural language, audit calling
 * the assistant) fails lint. Apps and compositions name exactly the contexts they compose.
 */
const transportPackages = [
  '@nestjs/graphql',
  '@nestjs/mercurius',
  '@nestjs/platform-fastify',
  '@nestjs/swagger',
  'fastify',
  'mercurius',
  'kafkajs',
  '@dapr/dapr',
];

const platform = ['scope:platform'];
/** What a composition (a deployable's, or a test's slice of the app) may put together. */
const composable = ['type:infra', 'type:feature', 'type:domain', 'type:util', 'type:testing'];
/** Which bounded contexts each context may import (itself included). */
const scopeRules = {
  'scope:platform': platform,
  'scope:reminders': ['scope:reminders', ...platform],
  'scope:events': ['scope:events', ...platform],
  'scope:accounts': ['scope:accounts', 'scope:reminders', ...platform],
  'scope:tasks': ['scope:tasks', 'scope:reminders', 'scope:events', ...platform],
  'scope:scheduling': ['scope:scheduling', 'scope:tasks', 'scope:reminders', 'scope:events', ...platform],
  'scope:audit': ['scope:audit', 'scope:tasks', 'scope:events', ...platform],
  'scope:assistant': ['scope:assistant', 'scope:tasks', 'scope:reminders', ...platform],
  'scope:notifications': ['scope:notifications', 'scope:events', ...platform],
  'scope:realtime': ['scope:realtime', 'scope:events', ...platform],
  // Deployables and the gateway's composition (libs/gateway-composition; its tests drive the scheduler too).
  // A deployable's scope is `<name>-service` where its name is also a bounded context's (apps/audit).
  'scope:audit-service': ['scope:audit', 'scope:events', ...platform],
  'scope:realtime-service': ['scope:realtime', 'scope:accounts', 'scope:events', ...platform],
  // `nx start distributed` and its end-to-end suite: processes, HTTP and the realtime test client.
  'scope:distributed': ['scope:distributed', 'scope:realtime', ...platform],
  'scope:scheduler-service': [
    'scope:scheduling',
    'scope:notifications',
    'scope:accounts',
    'scope:tasks',
    'scope:reminders',
    'scope:events',
    ...platform,
  ],
  'scope:chat-agent': [
    'scope:assistant',
    'scope:accounts',
    'scope:tasks',
    'scope:reminders',
    'scope:events',
    ...platform,
  ],
  'scope:gateway': [
    'scope:gateway',
    'scope:accounts',
    'scope:tasks',
    'scope:reminders',
    'scope:events',
    'scope:audit',
    'scope:assistant',
    'scope:scheduling',
    'scope:notifications',
    'scope:realtime',
    ...platform,
  ],
};
// The browser app imports the contracts of the API it calls (types only: nothing of the server ships).
scopeRules['scope:web'] = [
  'scope:web',
  'scope:accounts',
  'scope:audit',
  'scope:assistant',
  'scope:events',
  'scope:tasks',
  'scope:realtime',
  'scope:notifications',
];
// Test compositions for integration suites (libs/integration-testing): they join contexts, like a deployable.
scopeRules['scope:integration-testing'] = [
  ...scopeRules['scope:gateway'].filter((scope) => scope !== 'scope:gateway'),
  'scope:integration-testing',
];
scopeRules['scope:standalone'] = [...scopeRules['scope:gateway'], 'scope:standalone'];
scopeRules['scope:bench'] = [...scopeRules['scope:standalone'], 'scope:bench'];
// The Kubernetes charts read the event contract (topics), the platform's config schema and helpers,
// and their smoke test speaks the realtime contract.
scopeRules['scope:deployment'] = ['scope:deployment', 'scope:events', 'scope:realtime', ...platform];

/**
 * Integration suites (`*.int-spec.ts`) live next to the library they exercise and compose the real
 * neighbours it needs (accounts to sign in, the event transport to deliver, the audit log to read
 * history): they may import a library of any context, but never a composition or an app. A suite that
 * needs the whole composed service therefore stays in that composition's project.
 */
const reusableLibraries = [...composable, 'type:test-composition'];
const integrationSuiteConstraints = [
  { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:composition', ...reusableLibraries] },
  ...['type:composition', ...reusableLibraries].map((sourceTag) => ({
    sourceTag,
    onlyDependOnLibsWithTags: reusableLibraries,
  })),
];

const moduleBoundaries = (depConstraints) => [
  'error',
  { enforceBuildableLibDependency: true, allow: [], depConstraints },
];

export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  prettier,
  { ignores: ['**/dist', '**/node_modules', '**/.nx', '**/.data', '**/coverage'] },
  {
    files: ['**/*.ts', '**/*.tsx', '**/*.js'],
    rules: {
      '@nx/enforce-module-boundaries': moduleBoundaries([
        {
          sourceTag: 'type:app',
          onlyDependOnLibsWithTags: ['type:composition', ...composable],
        },
        {
          sourceTag: 'type:composition',
          onlyDependOnLibsWithTags: composable,
        },
        {
          sourceTag: 'type:infra',
          onlyDependOnLibsWithTags: ['type:domain', 'type:util', 'type:testing'],
        },
        {
          sourceTag: 'type:feature',
          onlyDependOnLibsWithTags: ['type:domain', 'type:util', 'type:testing'],
        },
        {
          sourceTag: 'type:domain',
          onlyDependOnLibsWithTags: ['type:domain', 'type:util', 'type:testing'],
          bannedExternalImports: transportPackages,
        },
        { sourceTag: 'type:util', onlyDependOnLibsWithTags: ['type:util'] },
        { sourceTag: 'type:testing', onlyDependOnLibsWithTags: ['type:util'] },
        // Slices of the app for integration suites; no production code may import them (no rule above lists the tag).
        {
          sourceTag: 'type:test-composition',
          onlyDependOnLibsWithTags: composable,
        },
        ...Object.entries(scopeRules).map(([sourceTag, allowed]) => ({
          sourceTag,
          onlyDependOnLibsWithTags: allowed,
        })),
      ]),
    },
  },
  {
    files: ['**/*.int-spec.ts'],
    rules: { '@nx/enforce-module-boundaries': moduleBoundaries(integrationSuiteConstraints) },
  },
  {
    files: ['**/*.ts', '**/*.tsx'],
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
    },
  },
  {
    // Build and test configuration shares tools/webpack and jest.preset.js; it is not module code.
    files: ['**/webpack.config.js', '**/jest.config.js'],
    rules: { '@nx/enforce-module-boundaries': 'off' },
  },
  {
    // Test helpers (@todo/testing and every `@todo/<lib>/testing` entry point) may be imported by tests,
    // test-support folders (src/lib/testing), benchmarks, the assistant evaluation (it reads the test
    // corpus) and the local distributed launcher (it runs the same kcat mock Kafka cluster) only.
    files: ['**/*.ts'],
    ignores: [
      '**/*.spec.ts',
      '**/*.int-spec.ts',
      'libs/platform/testing/**',
      'libs/integration-testing/**',
      'libs/*/src/lib/testing/**',
      'libs/*/*/src/lib/testing/**',
      'bench/**',
      'tools/distributed/**',
      'tools/assistant-eval/**',
    ],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: '@todo/testing', message: 'test helpers are for *.spec.ts / *.int-spec.ts files only' },
          ],
          patterns: [
            {
              group: ['@todo/*/testing'],
              message: 'test helpers are for *.spec.ts / *.int-spec.ts files only',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.js', '**/*.cjs'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: { require: 'readonly', module: 'writable', __dirname: 'readonly', process: 'readonly' },
    },
  },
];
