import { defineConfig } from '@playwright/test';
import type { Engine } from './tests/e2e/drivers/driver';

// Two cores: one browser at a time keeps the sandbox, the browser and the extension's worker from starving each other.
// Every scenario runs in both browsers through the driver layer; `*.chromium.spec.ts` need a Chrome-only API.
export default defineConfig<{ engine: Engine }>({
  testDir: 'tests/e2e',
  workers: 1,
  fullyParallel: false,
  timeout: 90_000,
  expect: { timeout: 15_000 },
  retries: process.env.CI ? 1 : 0,
  reporter: [['list']],
  use: { trace: 'retain-on-failure' },
  projects: [
    { name: 'chromium', use: { engine: 'chromium' } },
    { name: 'firefox', use: { engine: 'firefox' }, testIgnore: /\.chromium\.spec\.ts$/ },
  ],
});
