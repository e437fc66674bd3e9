import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

const HTML_SINKS = [
  "JSXAttribute[name.name='dangerouslySetInnerHTML']",
  'AssignmentExpression > MemberExpression.left[property.name=/^(innerHTML|outerHTML)$/]',
  'CallExpression[callee.property.name=/^(insertAdjacentHTML|createContextualFragment)$/]',
  "CallExpression[callee.object.name='document'][callee.property.name=/^(write|writeln)$/]",
];
const EXTENSION_APIS = ['#imports', 'webextension-polyfill']; // and wxt/*, @wxt-dev/* below
const BROWSER_GLOBALS = [
  'browser',
  'chrome',
  'window',
  'document',
  'navigator',
  'location',
  'localStorage',
  'sessionStorage',
];
const LIB_MESSAGE =
  'lib/ is platform-neutral: take what it needs as a parameter (entrypoints/ wire the browser).';
const COMPONENT_MESSAGE =
  'Components call no platform and no extension API: take a callback or data as a prop.';

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
  // Untrusted text is rendered as text: no HTML sinks in the extension's own code (the one left in the Firefox
  // build, Preact's dangerouslySetInnerHTML support, is never reached because of this rule; see SECURITY.md).
  {
    files: ['lib/**', 'components/**', 'entrypoints/**'],
    rules: {
      'no-restricted-syntax': [
        'error',
        ...HTML_SINKS.map((selector) => ({
          selector,
          message: 'Render untrusted text as text, never as HTML.',
        })),
      ],
    },
  },
  // lib/ is the platform-neutral core, tested in Node: no extension API, no page globals, no UI or entry points.
  {
    files: ['lib/**'],
    rules: {
      'no-restricted-globals': ['error', ...BROWSER_GLOBALS.map((name) => ({ name, message: LIB_MESSAGE }))],
      'no-restricted-imports': [
        'error',
        {
          paths: EXTENSION_APIS.map((name) => ({ name, message: LIB_MESSAGE })),
          patterns: [
            { group: ['wxt/*', '@wxt-dev/*'], message: LIB_MESSAGE },
            {
              group: ['**/components/**', '**/entrypoints/**'],
              message: 'lib/ must not depend on the UI or glue.',
            },
          ],
        },
      ],
    },
  },
  // Components draw and report what the user does: no platform calls, no extension API (entry points wire them).
  {
    files: ['components/**'],
    rules: {
      'no-restricted-globals': [
        'error',
        ...['browser', 'chrome'].map((name) => ({ name, message: COMPONENT_MESSAGE })),
      ],
      'no-restricted-imports': [
        'error',
        {
          paths: EXTENSION_APIS.map((name) => ({ name, message: COMPONENT_MESSAGE })),
          patterns: [
            { group: ['**/lib/platform', '**/lib/platform/*'], message: COMPONENT_MESSAGE },
            { group: ['wxt/*', '@wxt-dev/*'], message: COMPONENT_MESSAGE },
          ],
        },
      ],
    },
  },
  // Playwright fixtures must destructure their (possibly empty) dependencies.
  { files: ['tests/e2e/**'], rules: { 'no-empty-pattern': 'off' } },
);
