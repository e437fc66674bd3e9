/**
 * Playwright fixtures: one sandbox per worker (reset before each test) and a fresh browser profile per test.
 * `driver` is the browser of the project that runs the test (Chromium or Firefox, see `drivers/driver.ts`);
 * `browser_` is Playwright's own Chromium, for the specs that need a Chrome-only API (`*.chromium.spec.ts`).
 */
import { test as base, expect } from '@playwright/test';
import { startSandbox, type StartOptions } from '../sandbox/server';
import { launchWithExtension, type Browser, type Sandbox } from './browser';
import type { Engine, ExtensionBrowser } from './drivers/driver';
import { launchChromium } from './drivers/chromium';
import { launchFirefox } from './drivers/firefox';

export * from './browser';

/** One sandbox per Playwright worker, started with these options (a spec may ask for generated workflows). */
export function sandboxFixture(
  options: Omit<StartOptions, 'port'> = {},
): [(fixtures: object, use: (sandbox: Sandbox) => Promise<void>) => Promise<void>, { scope: 'worker' }] {
  return [
    async ({}, use) => {
      const server = await startSandbox({ ...options, port: 0 });
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
  ];
}

export const test = base.extend<
  { browser_: Browser; driver: ExtensionBrowser },
  { sandbox: Sandbox; engine: Engine }
>({
  engine: ['chromium', { option: true, scope: 'worker' }],
  sandbox: sandboxFixture(),
  browser_: async ({ sandbox, engine }, use) => {
    if (engine !== 'chromium') throw new Error(`A Chromium-only spec ran in the ${engine} project`);
    await sandbox.reset();
    const launched = await launchWithExtension();
    await use(launched);
    await launched.context.close();
  },
  driver: async ({ sandbox, engine }, use) => {
    await sandbox.reset();
    const launched = engine === 'firefox' ? await launchFirefox() : await launchChromium();
    await use(launched);
    await launched.close();
  },
});

export { expect };
