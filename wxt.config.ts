import { defineConfig } from 'wxt';
import preact from '@preact/preset-vite';
import { OPTIONAL_MATCHES, PRODUCT_MATCHES, SANDBOX_MATCHES } from './lib/hosts';

// `npm run build` is the store build: the product's hosts only. `npm run build:sandbox` writes the same extension
// with the sandbox's loopback hosts added, for `npm start`, the demo and the end-to-end tests.
const sandbox = process.env.AFP_SANDBOX === '1';

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
    ...(browser === 'firefox' && {
      browser_specific_settings: {
        gecko: { id: 'afp-porter@porter.dev', data_collection_permissions: { required: ['none'] } },
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
  vite: () => ({ plugins: [preact({ prefreshEnabled: false, reactAliasesEnabled: false })] }),
});
