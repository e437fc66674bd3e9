/**
 * Browser helpers shared by the end-to-end tests, the demo and the benchmarks: the real sandbox and the built extension (`npm run build:sandbox`) in Debian's Chromium.
 *
 * Downloads are handed back to Chromium (CDP `Browser.setDownloadBehavior: default` plus the profile's download
 * directory) so that files keep the name the extension gave them, as they would for a user.
 */
import { chromium, expect, type BrowserContext, type Page, type Worker } from '@playwright/test';
import { mkdtempSync, mkdirSync, writeFileSync, readdirSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { findChromium, CHROMIUM_HELP } from '../../scripts/chromium.mjs';

export const EXTENSION_DIR = path.resolve('.output/chrome-mv3');
export const PASSWORD = 'sandbox-pass';

export interface Sandbox {
  url: string;
  reset(): Promise<void>;
  faults(rules: unknown[]): Promise<void>;
  clearFaults(): Promise<void>;
}

export interface Browser {
  context: BrowserContext;
  page: Page;
  worker: Worker;
  extensionId: string;
  downloadDir: string;
}

/**
 * `args` are Chromium switches beyond those every launch needs; `extensionDir` another build (the bulk bench
 * compares an earlier one in the same run).
 */
export async function launchWithExtension(
  options: { args?: string[]; extensionDir?: string } = {},
): Promise<Browser> {
  const { args = [], extensionDir = EXTENSION_DIR } = options;
  const executablePath = findChromium();
  if (!executablePath) throw new Error(CHROMIUM_HELP);
  if (!existsSync(path.join(extensionDir, 'manifest.json'))) {
    throw new Error(`No built extension in ${extensionDir}: run \`npm run build:sandbox\` first.`);
  }
  const profile = mkdtempSync(path.join(tmpdir(), 'porter-profile-'));
  const downloadDir = mkdtempSync(path.join(tmpdir(), 'porter-downloads-'));
  mkdirSync(path.join(profile, 'Default'), { recursive: true });
  writeFileSync(
    path.join(profile, 'Default', 'Preferences'),
    JSON.stringify({
      download: { default_directory: downloadDir, prompt_for_download: false, directory_upgrade: true },
    }),
  );
  const context = await chromium.launchPersistentContext(profile, {
    executablePath,
    headless: true,
    acceptDownloads: true,
    args: [
      `--disable-extensions-except=${extensionDir}`,
      `--load-extension=${extensionDir}`,
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      ...args,
    ],
  });
  const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
  const extensionId = new URL(worker.url()).host;
  const page = context.pages()[0] ?? (await context.newPage());
  const cdp = await context.newCDPSession(page);
  await cdp.send('Browser.setDownloadBehavior', { behavior: 'default' });
  return { context, page, worker, extensionId, downloadDir };
}

export async function login(page: Page, sandboxUrl: string, email: string): Promise<void> {
  await page.goto(`${sandboxUrl}/login`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page.getByRole('heading', { name: 'Workflows', level: 1 })).toBeVisible();
}

export async function openConfigurations(page: Page, sandboxUrl: string, workflowId: string): Promise<void> {
  await page.goto(`${sandboxUrl}/workflows/${workflowId}/configurations`);
  await expect(page.getByRole('heading', { name: 'Configurations', level: 1 })).toBeVisible();
}

export function exportPanel(page: Page) {
  return page.getByRole('region', { name: 'Porter: Export workflow' });
}

/** Completed downloads as the browser records them (Playwright cannot see files saved by the extension). */
export async function completedDownloads(worker: Worker): Promise<{ filename: string; fileSize: number }[]> {
  return worker.evaluate(async () => {
    const items = await chrome.downloads.search({ state: 'complete' });
    return items.map((item) => ({ filename: item.filename, fileSize: item.fileSize }));
  });
}

export async function offscreenDocuments(worker: Worker): Promise<number> {
  return worker.evaluate(async () => {
    // getContexts (Chrome 116) is missing from the installed chrome typings.
    const runtime = chrome.runtime as unknown as {
      getContexts(filter: { contextTypes: string[] }): Promise<unknown[]>;
    };
    return (await runtime.getContexts({ contextTypes: ['OFFSCREEN_DOCUMENT'] })).length;
  });
}

export function filesIn(dir: string): string[] {
  return readdirSync(dir).filter((name) => !name.endsWith('.crdownload'));
}

/** The common start of an export test: an editor on a workflow's Configurations page. */
export async function openAsEditor(page: Page, sandboxUrl: string, workflowId: string): Promise<void> {
  await login(page, sandboxUrl, 'editor@sandbox.test');
  await openConfigurations(page, sandboxUrl, workflowId);
}
