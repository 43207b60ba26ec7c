import nx from '@nx/eslint-plugin';
import prettier from 'eslint-config-prettier';

/** Packages a shared library may not use: they are framework-free and run in the gateway and the console. */
const SERVER_AND_FRAMEWORK = [
  '@nestjs/*',
  '@angular/*',
  'fastify',
  'typeorm',
  'ioredis',
  'pg',
  'better-sqlite3',
  'undici',
  'passport*',
];

/** Test support: never imported by code that ships. */
const TEST_SUPPORT = ['@synapse/testing', '@synapse/*/testing', '@nestjs/testing', '**/testing/**', '**/testing'];

export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  prettier,
  {
    ignores: ['**/dist', '**/node_modules', '**/.nx', '**/.angular', 'tmp', 'coverage'],
  },
  {
    files: ['**/*.ts'],
    rules: {
      /*
       * The layering (docs/architecture.md): shared libraries stand alone; the console never reaches
       * into the gateway; within the gateway a kind of library imports only kinds below it, and the
       * feature libraries only the features beneath them. Cycles are refused by the rule itself.
       */
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: true,
          allow: [],
          depConstraints: [
            { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
            { sourceTag: 'scope:admin', onlyDependOnLibsWithTags: ['scope:admin', 'scope:shared'] },
            { sourceTag: 'scope:gateway', onlyDependOnLibsWithTags: ['scope:gateway', 'scope:shared'] },
            { sourceTag: 'type:util', onlyDependOnLibsWithTags: ['type:util', 'type:testing'] },
            {
              sourceTag: 'type:data-access',
              onlyDependOnLibsWithTags: ['type:data-access', 'type:util', 'type:testing'],
            },
            {
              sourceTag: 'type:feature',
              onlyDependOnLibsWithTags: ['type:feature', 'type:data-access', 'type:util', 'type:testing'],
            },
            { sourceTag: 'type:testing', onlyDependOnLibsWithTags: ['type:util', 'type:testing'] },
            {
              sourceTag: 'layer:audit',
              notDependOnLibsWithTags: [
                'layer:auth',
                'layer:proxy',
                'layer:provisioning',
                'layer:alerts',
                'layer:monitoring',
                'layer:retention',
                'layer:usage',
                'layer:admin-api',
              ],
            },
            {
              sourceTag: 'layer:auth',
              notDependOnLibsWithTags: [
                'layer:proxy',
                'layer:provisioning',
                'layer:alerts',
                'layer:monitoring',
                'layer:retention',
                'layer:usage',
                'layer:admin-api',
              ],
            },
            {
              sourceTag: 'layer:proxy',
              notDependOnLibsWithTags: [
                'layer:auth',
                'layer:provisioning',
                'layer:alerts',
                'layer:monitoring',
                'layer:retention',
                'layer:usage',
                'layer:admin-api',
              ],
            },
            {
              sourceTag: 'layer:provisioning',
              notDependOnLibsWithTags: ['layer:proxy', 'layer:alerts', 'layer:monitoring', 'layer:admin-api'],
            },
            {
              sourceTag: 'layer:retention',
              notDependOnLibsWithTags: [
                'layer:auth',
                'layer:proxy',
                'layer:provisioning',
                'layer:alerts',
                'layer:monitoring',
                'layer:usage',
                'layer:admin-api',
              ],
            },
            {
              sourceTag: 'layer:usage',
              notDependOnLibsWithTags: [
                'layer:auth',
                'layer:proxy',
                'layer:provisioning',
                'layer:alerts',
                'layer:monitoring',
                'layer:retention',
                'layer:admin-api',
              ],
            },
            // Alerting reads routing and limits (proxy) and is managed through the admin API above it.
            {
              sourceTag: 'layer:alerts',
              notDependOnLibsWithTags: ['layer:auth', 'layer:provisioning', 'layer:monitoring', 'layer:admin-api'],
            },
            // Live monitoring reads what the proxy records; the admin API serves it.
            {
              sourceTag: 'layer:monitoring',
              notDependOnLibsWithTags: ['layer:auth', 'layer:provisioning', 'layer:alerts', 'layer:admin-api'],
            },
            { sourceTag: 'scope:shared', bannedExternalImports: SERVER_AND_FRAMEWORK },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.ts'],
    rules: {
      // `_name` marks a parameter a signature needs and the body does not.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // A `let` read by a closure before its one assignment (a handler plugged in later) stays a `let`.
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
    },
  },
  {
    // Code that ships imports no test support (specs, test apps and testing folders may).
    files: ['apps/gateway/src/**/*.ts', 'apps/admin/src/**/*.ts', 'libs/**/src/**/*.ts'],
    ignores: ['**/*.spec.ts', '**/testing/**', '**/testing.ts', '**/test-setup.ts', 'libs/testing/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: TEST_SUPPORT, message: 'Test support is for specs and test apps only.' }] },
      ],
    },
  },
];
