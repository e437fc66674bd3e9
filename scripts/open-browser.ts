/**
 * The interactive half of `npm start`: the sandbox on port 4780 (or a free one) and a Chromium window with the
 * sandbox build of the extension, at the login page. Closing the window stops both.
 */
import { chromium } from '@playwright/test';
import path from 'node:path';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { startSandbox } from '../tests/sandbox/server';
import { findChromium } from './chromium.mjs';

const extension = path.resolve('.output/chrome-mv3');
const sandbox = await startSandbox({ port: 4780 }).catch(() => startSandbox({ port: 0 }));
console.log(`AFP sandbox listening on ${sandbox.url}`);
console.log('Log in as editor@sandbox.test (or owner@, manager@, viewer@) with the password sandbox-pass.');

const context = await chromium.launchPersistentContext(mkdtempSync(path.join(tmpdir(), 'porter-start-')), {
  executablePath: findChromium()!,
  headless: false,
  viewport: null,
  args: [`--disable-extensions-except=${extension}`, `--load-extension=${extension}`, '--no-first-run'],
});
const page = context.pages()[0] ?? (await context.newPage());
await page.goto(`${sandbox.url}/login`);

const stop = async () => {
  await context.close().catch(() => undefined);
  await sandbox.close();
  process.exit(0);
};
context.on('close', () => void stop());
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
