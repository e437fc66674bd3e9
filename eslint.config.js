import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

export default tseslint.config(
  {
    ignores: [
      'node_modules',
      '.output',
      '.wxt',
      'demo-output',
      'test-results',
      '.test-results',
      'tests/fixtures',
      'bench/results',
      'dist',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
    },
  },
  // Playwright fixtures must destructure their (possibly empty) dependencies.
  { files: ['tests/e2e/**'], rules: { 'no-empty-pattern': 'off' } },
);
