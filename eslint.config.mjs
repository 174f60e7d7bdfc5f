// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { importX, createNodeResolver } from 'eslint-plugin-import-x';

// The direction of src/: each folder imports only from folders on earlier rows, never from
// another folder of its own row (engine/ and registry/ meet in image/). context.ts is what the
// shell (views/, the webview bundle) shares; extension.ts wires it all.
const LAYERS = [
  ['util'],
  ['image'],
  ['dockerConfig'],
  ['engine', 'registry', 'dockerfile'],
  ['layers', 'pinning'],
  ['context.ts'],
  ['views', 'webview'],
  ['extension.ts'],
];
const DIRECTION = 'util <- image <- dockerConfig <- engine/registry/dockerfile <- layers/pinning <- context.ts <- views/webview';
const layerZones = [
  ...LAYERS.slice(0, -1).flatMap((row, rank) =>
    row.map((folder) => ({
      target: `./src/${folder}`,
      from: LAYERS.slice(rank).flat().filter((other) => other !== folder && !(folder === 'webview' && other === 'views')).map((other) => `./src/${other}`),
      message: `src/${folder} sits below these in the direction ${DIRECTION}: move the shared part down instead.`,
    })),
  ),
  // A webview bundle and its host share exactly one file: the panel's message protocol.
  { target: './src/webview', from: './src/views', except: ['./layers/protocol.ts'], message: 'The webview bundle imports only the message protocol from views/ (views/<feature>/protocol.ts).' },
];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'out/**', '.cache/**', '.tmp/**', 'test/e2e/screenshots/**'] },
  js.configs.recommended,
  {
    files: ['**/*.ts'],
    extends: [...tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': ['error', {
        // node:test's test()/describe() return promises the runner itself awaits.
        allowForKnownSafeCalls: [{ from: 'package', package: 'node:test', name: ['test', 'describe', 'it', 'suite', 'before', 'after', 'beforeEach', 'afterEach'] }],
      }],
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'eqeqeq': ['error', 'always', { null: 'ignore' }],
    },
  },
  {
    files: ['src/**/*.ts'],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.js', '.json'] })],
      'import-x/extensions': ['.ts', '.js'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
    },
    rules: {
      // Type-only imports count too: a type cycle is still two files that cannot be read apart.
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      'import-x/no-restricted-paths': ['error', { zones: layerZones }],
    },
  },
  {
    files: ['src/engine/**/*.ts', 'src/registry/**/*.ts', 'src/dockerfile/**/*.ts', 'src/util/**/*.ts'],
    rules: {
      // The pure core is tested without VS Code: type-only imports at most.
      '@typescript-eslint/no-restricted-imports': ['error', {
        paths: [{ name: 'vscode', message: 'The core (engine/, registry/, dockerfile/, util/) must not import vscode values.', allowTypeImports: true }],
      }],
    },
  },
  {
    files: ['**/*.mjs', '**/*.js'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', Buffer: 'readonly', fetch: 'readonly', AbortController: 'readonly' } },
  },
);
