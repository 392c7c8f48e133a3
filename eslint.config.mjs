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

export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  prettier,
  { ignores: ['**/dist', '**/node_modules', '**/.nx', '**/.data', '**/coverage'] },
  {
    files: ['**/*.ts', '**/*.js'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: true,
          allow: [],
          depConstraints: [
            {
              sourceTag: 'type:app',
              onlyDependOnLibsWithTags: [
                'type:composition',
                'type:infra',
                'type:feature',
                'type:domain',
                'type:util',
                'type:testing',
              ],
            },
            {
              sourceTag: 'type:composition',
              onlyDependOnLibsWithTags: [
                'type:infra',
                'type:feature',
                'type:domain',
                'type:util',
                'type:testing',
              ],
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
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
    },
  },
  {
    // Build configuration shares tools/webpack; it is not module code.
    files: ['**/webpack.config.js'],
    rules: { '@nx/enforce-module-boundaries': 'off' },
  },
  {
    // Test helpers may be imported by tests, test-support folders (src/lib/testing) and benchmarks only.
    files: ['**/*.ts'],
    ignores: [
      '**/*.spec.ts',
      '**/*.int-spec.ts',
      'libs/platform/testing/**',
      'libs/*/src/lib/testing/**',
      'bench/**',
    ],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: '@todo/testing', message: 'test helpers are for *.spec.ts / *.int-spec.ts files only' },
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
