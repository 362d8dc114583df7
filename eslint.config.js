// ESLint flat config: @eslint/js and typescript-eslint (type-aware) recommendations, with the
// project's own rules on top; eslint-config-prettier last, so that Prettier alone owns layout.
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

export default defineConfig(
  globalIgnores([
    'node_modules/',
    'dist/',
    'build/',
    'scratch/',
    'tmp/',
    'test/fixtures/',
    'data/',
    // AssemblyScript (i32, usize, @inline, load<T>): not TypeScript for Node; asc checks it.
    'src/kernels/',
  ]),

  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: {
          // Files outside tsconfig.json's include get a default program.
          allowDefaultProject: ['*.js', 'bin/*.js', 'tools/*.ts'],
        },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        {
          args: 'after-used',
          argsIgnorePattern: '^_',
          varsIgnorePattern: '^_',
          caughtErrorsIgnorePattern: '^_',
          destructuredArrayIgnorePattern: '^_',
          ignoreRestSiblings: true,
        },
      ],
      '@typescript-eslint/consistent-type-imports': [
        'error',
        { prefer: 'type-imports', fixStyle: 'inline-type-imports' },
      ],
      '@typescript-eslint/no-floating-promises': [
        'error',
        {
          // node:test's test()/describe() return promises the runner itself awaits.
          allowForKnownSafeCalls: [
            { from: 'package', package: 'node:test', name: ['test', 'it', 'describe', 'suite'] },
          ],
        },
      ],
      // The code indexes arrays with `xs[i]!` as if noUncheckedIndexedAccess were on; without that
      // compiler option this rule calls every such `!` unnecessary (and --fix would strip them all).
      // Turn it back on together with "noUncheckedIndexedAccess": true in tsconfig.json.
      '@typescript-eslint/no-unnecessary-type-assertion': 'off',
      // Numeric enums mirror the kernel ABI; their values arrive as plain numbers (Int32Array words).
      '@typescript-eslint/no-unsafe-enum-comparison': 'off',
      // `run(async () => { ... })`: async on purpose, so that a synchronous throw becomes a rejection.
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    // commander types every command's options object as `any`. Until each command declares an
    // options interface (or uses @commander-js/extra-typings), the any-propagation rules are off here.
    files: ['src/cli/commands/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  {
    // Tests read JSON.parse output and child-process results (any) and assert on them directly,
    // and spy on methods by swapping them on the prototype.
    files: ['test/**/*.ts'],
    rules: {
      '@typescript-eslint/unbound-method': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  {
    // Plain JavaScript (bin/, this file): no type information, Node globals.
    files: ['**/*.js'],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: {
      globals: { process: 'readonly', console: 'readonly', URL: 'readonly' },
    },
  },

  prettier,
);
