import { defineConfig } from 'wxt';
import preact from '@preact/preset-vite';
import { OPTIONAL_MATCHES, PRODUCT_MATCHES, SANDBOX_MATCHES } from './lib/hosts';
import { zodWithoutEval } from './scripts/zod-without-eval';
import { EXTENSION_PAGES_CSP } from './lib/csp';

// `npm run build` is the store build: the product's hosts only. `npm run build:sandbox` writes the same extension
// with the sandbox's loopback hosts added, for `npm start`, the demo and the end-to-end tests.
const sandbox = process.env.AFP_SANDBOX === '1';
// MV3 with optional_host_permissions and persistent registered content scripts needs Firefox 128; the
// data_collection_permissions that new listings must declare, 140 (the current ESR; Firefox for Android: 142).
const FIREFOX_MIN_VERSION = '140.0';
const FIREFOX_ANDROID_MIN_VERSION = '142.0';

export default defineConfig({
  modules: ['@wxt-dev/webextension-polyfill'],
  outDir: process.env.PORTER_OUT_DIR ?? '.output',
  manifest: ({ browser }) => ({
    name: 'AFP Porter',
    description:
      'Export AI for Process workflows as redacted packages, keep them, inspect them offline and re-import them.',
    permissions: [
      'unlimitedStorage',
      'alarms',
      'downloads',
      'scripting',
      ...(browser === 'chrome' ? ['offscreen'] : []),
    ],
    host_permissions: [...PRODUCT_MATCHES, ...(sandbox ? SANDBOX_MATCHES : [])],
    optional_host_permissions: OPTIONAL_MATCHES,
    action: { default_title: 'AFP Porter' },
    // Stricter than MV3's default: scripts from the package only (no wasm either), no plugins, no <base>, no form
    // posts, and no page may frame the extension's.
    content_security_policy: { extension_pages: EXTENSION_PAGES_CSP },
    ...(browser === 'firefox' && {
      browser_specific_settings: {
        gecko: {
          id: 'afp-porter@porter.dev',
          strict_min_version: FIREFOX_MIN_VERSION,
          data_collection_permissions: { required: ['none'] },
        },
        gecko_android: { strict_min_version: FIREFOX_ANDROID_MIN_VERSION },
      },
    }),
  }),
  hooks: {
    'build:manifestGenerated': (_wxt, manifest) => {
      if (!sandbox) return;
      for (const script of manifest.content_scripts ?? []) {
        script.matches = [...new Set([...(script.matches ?? []), ...SANDBOX_MATCHES])];
      }
    },
  },
  vite: () => ({
    plugins: [preact({ prefreshEnabled: false, reactAliasesEnabled: false }), zodWithoutEval()],
    // Web Workers (the viewer's package reader and layout) are bundled apart, with plugins of their own.
    worker: { format: 'es', plugins: () => [zodWithoutEval()] },
  }),
});
