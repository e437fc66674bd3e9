/** Playwright fixtures: one sandbox per worker (reset before each test) and a fresh browser profile per test. */
import { test as base, expect } from '@playwright/test';
import { startSandbox } from '../sandbox/server';
import { launchWithExtension, type Browser, type Sandbox } from './browser';

export * from './browser';

export const test = base.extend<{ browser_: Browser }, { sandbox: Sandbox }>({
  sandbox: [
    async ({}, use) => {
      const server = await startSandbox({ port: 0 });
      const call = (method: string, route: string, body?: unknown) =>
        fetch(`${server.url}${route}`, {
          method,
          headers: { 'content-type': 'application/json' },
          body: body === undefined ? undefined : JSON.stringify(body),
        }).then((response) => {
          if (!response.ok) throw new Error(`${method} ${route} → ${response.status}`);
        });
      await use({
        url: server.url,
        reset: () => call('POST', '/__sandbox/reset'),
        faults: (rules) => call('POST', '/__sandbox/faults', rules),
        clearFaults: () => call('DELETE', '/__sandbox/faults'),
      });
      await server.close();
    },
    { scope: 'worker' },
  ],
  browser_: async ({ sandbox }, use) => {
    await sandbox.reset();
    const launched = await launchWithExtension();
    await use(launched);
    await launched.context.close();
  },
});

export { expect };
