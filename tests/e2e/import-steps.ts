/**
 * Steps the import scenarios share (Chromium: they choose files through the page's file input, which the
 * cross-browser driver does not offer yet): export with the panel, import through the dialog, read the account
 * through the sandbox's API as a given user.
 */
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from '@playwright/test';
import {
  expect,
  completedDownloads,
  exportPanel,
  openConfigurations,
  PASSWORD,
  type Browser,
} from './fixtures';

export const DIALOG = (page: Page) => page.getByRole('dialog');

/** Exports the panel's default version; resolves with the newest completed download once it is there. */
export async function exportWithPanel(browser: Browser, sandboxUrl: string, workflowId: string) {
  const { page } = browser;
  const before = await completedDownloads(browser.worker);
  await openConfigurations(page, sandboxUrl, workflowId);
  const panel = exportPanel(page);
  await expect(panel.getByRole('button', { name: 'Export' })).toBeEnabled();
  await panel.getByRole('button', { name: 'Export' }).click();
  const confirm = panel.getByRole('button', { name: 'Yes, I will take care' });
  const finished = panel.getByRole('status').filter({ hasText: '.zip' });
  await expect(confirm.or(finished).first()).toBeVisible({ timeout: 60_000 });
  if (await confirm.isVisible()) await confirm.click();
  await expect(finished).toBeVisible({ timeout: 60_000 });
  return newestDownload(browser, before);
}

/** The one file downloaded since `before` was listed. */
export async function newestDownload(browser: Browser, before: { filename: string }[]) {
  const known = new Set(before.map((file) => file.filename));
  const fresh = async () =>
    (await completedDownloads(browser.worker)).filter((file) => !known.has(file.filename));
  await expect.poll(async () => (await fresh()).length, { timeout: 60_000 }).toBe(1);
  const [file] = await fresh();
  return { path: file!.filename, name: path.basename(file!.filename), bytes: readFileSync(file!.filename) };
}

/** Writes files for the file chooser (a broken zip, hand-made JSON files). */
export function scratchFiles(files: Record<string, Uint8Array | string>): string[] {
  const dir = mkdtempSync(path.join(tmpdir(), 'porter-import-'));
  return Object.entries(files).map(([name, data]) => {
    const file = path.join(dir, name);
    writeFileSync(file, data);
    return file;
  });
}

/** Opens the dialog from an entry point and gives it `files`; resolves once the check answered. */
export async function chooseInDialog(page: Page, entry: string, files: string[]) {
  const region = page.getByRole('region', { name: `Porter: ${entry}` });
  await expect(region.getByRole('button', { name: entry })).toBeEnabled({ timeout: 15_000 });
  await region.getByRole('button', { name: entry }).click();
  const dialog = DIALOG(page);
  await dialog.locator('input[type="file"]').setInputFiles(files);
  await expect(
    dialog.getByRole('button', { name: 'Import' }).or(dialog.getByRole('alert')).first(),
  ).toBeVisible({ timeout: 30_000 });
  return dialog;
}

/** The sandbox's session API as one user, from Node: what the server really holds, whatever the extension says. */
export async function apiAs(sandboxUrl: string, email: string) {
  const login = await fetch(`${sandboxUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: PASSWORD }),
  });
  expect(login.ok).toBe(true);
  const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
  const session = (await (await fetch(`${sandboxUrl}/api/session`, { headers: { cookie } })).json()) as {
    csrfToken: string;
  };
  const get = async <T>(route: string): Promise<T> => {
    const response = await fetch(`${sandboxUrl}${route}`, { headers: { cookie } });
    expect(response.ok, `GET ${route}`).toBe(true);
    return (await response.json()) as T;
  };
  return {
    cookie,
    csrfToken: session.csrfToken,
    get,
    workflows: async () =>
      (await get<{ workflows: { id: string; name: string }[] }>('/api/workflows')).workflows,
    post: (route: string, body: unknown) =>
      fetch(`${sandboxUrl}${route}`, {
        method: 'POST',
        headers: { cookie, 'content-type': 'application/json', 'x-csrf-token': session.csrfToken },
        body: JSON.stringify(body),
      }),
  };
}

/** Stops the extension's service worker the way Chrome does when it idles out. */
export async function stopWorker(browser: Browser) {
  const cdp = await browser.context.newCDPSession(browser.page);
  const { targetInfos } = (await cdp.send('Target.getTargets')) as {
    targetInfos: { targetId: string; type: string; url: string }[];
  };
  const worker = targetInfos.find((t) => t.type === 'service_worker' && t.url.endsWith('/background.js'));
  expect(worker).toBeTruthy();
  await cdp.send('Target.closeTarget', { targetId: worker!.targetId });
}
