import { defineConfig } from 'wxt';
import preact from '@preact/preset-vite';

// The store build asks only for Kore.ai's hosts; the sandbox build adds loopback for the local stand-in.
const SANDBOX_HOSTS = ['http://127.0.0.1/*', 'http://localhost/*'];
const PRODUCT_HOSTS = ['https://*.kore.ai/*'];
const sandbox = process.env.AFP_SANDBOX === '1';

export default defineConfig({
  modules: ['@wxt-dev/webextension-polyfill'],
  manifest: ({ browser }) => ({
    name: 'AFP Porter',
    description: 'Export AI for Process workflows as redacted packages, keep them, inspect them offline and re-import them.',
    permissions: ['storage', 'downloads', 'unlimitedStorage', ...(browser === 'chrome' ? ['offscreen'] : [])],
    host_permissions: [...PRODUCT_HOSTS, ...(sandbox ? SANDBOX_HOSTS : [])],
    ...(browser === 'firefox' && {
      browser_specific_settings: {
        gecko: { id: 'afp-porter@porter.dev', data_collection_permissions: { required: ['none'] } },
      },
    }),
  }),
  vite: () => ({ plugins: [preact({ prefreshEnabled: false, reactAliasesEnabled: false })] }),
});
