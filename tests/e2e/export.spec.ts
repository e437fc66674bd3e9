import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { unzipSync } from 'fflate';
import type { Page } from '@playwright/test';
import {
  test,
  expect,
  login,
  openConfigurations,
  openAsEditor,
  exportPanel,
  completedDownloads,
  offscreenDocuments,
  type Browser,
} from './fixtures';
import { BANKING_MUST_NOT_LEAK, WORKFLOWS } from '../sandbox/seed';
import { packageFileName } from '../../lib/package/filename';

const VERSION_ROUTE = '/api/workflows/:workflowId/versions/:versionId';
const ALL_BANKING_SECRETS = Object.values(BANKING_MUST_NOT_LEAK).flat();

/**
 * Picks a version and clicks Export, after setting `faults` (the export's own read of the version is the only one, so
 * a fault hits it), then answers the dependency check, which appears once the version is read.
 */
async function startExport(page: Page, options: { version?: RegExp; faults?: () => Promise<void> } = {}) {
  const panel = exportPanel(page);
  const version = panel.getByRole('combobox', { name: 'Version' });
  await expect(version).toBeEnabled();
  if (options.version) {
    const value = await version.locator('option', { hasText: options.version }).getAttribute('value');
    await version.selectOption(value!);
  }
  await options.faults?.();
  await panel.getByRole('button', { name: 'Export' }).click();
  return panel;
}

/** Answers "Yes, I will take care" when the check appears; stops early on an error or a finished export. */
async function confirmIfAsked(panel: ReturnType<typeof exportPanel>) {
  const confirm = panel.getByRole('button', { name: 'Yes, I will take care' });
  const finished = panel.getByRole('status').filter({ hasText: '.zip' });
  await expect(confirm.or(panel.getByRole('alert')).or(finished).first()).toBeVisible({ timeout: 60_000 });
  if (await confirm.isVisible()) await confirm.click();
}

async function exportAndConfirm(page: Page, options: { version?: RegExp } = {}) {
  const panel = await startExport(page, options);
  await confirmIfAsked(panel);
  return panel;
}

async function exportedFile(browser: Browser) {
  await expect
    .poll(async () => (await completedDownloads(browser.worker)).length, { timeout: 60_000 })
    .toBe(1);
  const [download] = await completedDownloads(browser.worker);
  return {
    name: path.basename(download!.filename),
    path: download!.filename,
    bytes: readFileSync(download!.filename),
  };
}

function expectCleanPackage(bytes: Uint8Array, secrets: readonly string[]) {
  const entries = unzipSync(bytes);
  expect(Object.keys(entries).sort()).toEqual([
    'app_definition.json',
    'env_variables.json',
    'flow_definition.json',
  ]);
  const text = Object.values(entries)
    .map((data) => new TextDecoder().decode(data))
    .join('\n');
  for (const secret of secrets) expect(text, `the package holds a secret`).not.toContain(secret);
  for (const data of Object.values(entries)) JSON.parse(new TextDecoder().decode(data));
  return text;
}

test.describe('an editor exports each Banking Assistant version', () => {
  for (const version of [/v1 initial/, /v2 loan intents/, /v3 fraud checks/]) {
    test(`${version.source}`, async ({ browser_, sandbox }) => {
      const { page } = browser_;
      await login(page, sandbox.url, 'editor@sandbox.test');
      await openConfigurations(page, sandbox.url, WORKFLOWS.banking.id);
      const panel = await exportAndConfirm(page, { version });
      await expect(panel.getByRole('status').filter({ hasText: 'Banking Assistant.zip' })).toBeVisible({
        timeout: 60_000,
      });
      await expect(panel.getByText(/\d+ items were redacted/)).toBeVisible();

      const file = await exportedFile(browser_);
      expect(file.name).toBe('Banking Assistant.zip');
      execFileSync('unzip', ['-t', file.path], { stdio: 'pipe' });
      const text = expectCleanPackage(file.bytes, ALL_BANKING_SECRETS);
      expect(text).not.toMatch(/"(apiKeys|sharing|auditLogs|endpoint|accessToken)"/);
      if (version.source.includes('v1')) {
        // The hidden page that made the blob URL is closed once no download has needed it for a while.
        await expect.poll(() => offscreenDocuments(browser_.worker), { timeout: 30_000 }).toBe(0);
      }
      if (version.source.includes('v3')) {
        // The inline secrets became references to new secure variables that the importer fills in.
        expect(text).toMatch(/Bearer \{\{context\.env\.[A-Z0-9_]+\}\}/);
      }
    });
  }
});

test('the deployed version is the default, and the version is locked while the export runs', async ({
  browser_,
  sandbox,
}) => {
  const { page } = browser_;
  await openAsEditor(page, sandbox.url, WORKFLOWS.banking.id);
  const version = exportPanel(page).getByRole('combobox', { name: 'Version' });
  await expect(version.locator('option:checked')).toHaveText(/v2 loan intents \(Deployed\)/);

  const panel = await startExport(page, {
    faults: () => sandbox.faults([{ method: 'GET', path: VERSION_ROUTE, delayMs: 2500, times: 1 }]),
  });
  await expect(panel.getByRole('progressbar', { name: 'Export progress' })).toBeVisible();
  await expect(version).toBeDisabled();
  await expect(panel.getByRole('button', { name: 'Export' })).toBeDisabled();
  // The version stays locked through the dependency check too: the export has begun.
  await expect(panel.getByRole('button', { name: 'Yes, I will take care' })).toBeVisible({ timeout: 30_000 });
  await expect(version).toBeDisabled();
  await confirmIfAsked(panel);
  await expect(panel.getByRole('status').filter({ hasText: 'Banking Assistant.zip' })).toBeVisible({
    timeout: 60_000,
  });
  await expect(version).toBeEnabled();
  const file = await exportedFile(browser_);
  expect(
    JSON.parse(new TextDecoder().decode(unzipSync(file.bytes)['app_definition.json'])).version.name,
  ).toBe('v2 loan intents');
});

test('a viewer sees why they cannot export; a role taken away meanwhile is reported too', async ({
  browser_,
  sandbox,
}) => {
  const { page } = browser_;
  await login(page, sandbox.url, 'viewer@sandbox.test');
  await openConfigurations(page, sandbox.url, WORKFLOWS.banking.id);
  const panel = exportPanel(page);
  await expect(panel.getByRole('button', { name: 'Export' })).toBeDisabled();
  await expect(panel.getByText(/tool viewer.*cannot export/)).toBeVisible();

  await browser_.context.clearCookies();
  await openAsEditor(page, sandbox.url, WORKFLOWS.banking.id);
  await startExport(page, {
    faults: () => sandbox.faults([{ method: 'GET', path: VERSION_ROUTE, status: 403 }]),
  });
  await expect(exportPanel(page).getByRole('alert')).toContainText(/does not allow exporting/);
  expect(await completedDownloads(browser_.worker)).toHaveLength(0);
});

test('a session that expires mid-export says to log in again', async ({ browser_, sandbox }) => {
  const { page } = browser_;
  await openAsEditor(page, sandbox.url, WORKFLOWS.banking.id);
  const panel = await startExport(page, {
    faults: () => sandbox.faults([{ method: 'GET', path: VERSION_ROUTE, expireSession: true }]),
  });
  await expect(panel.getByRole('alert')).toContainText(/session has expired.*Log in again/);
  await expect(panel.getByRole('button', { name: 'Retry' })).toHaveCount(0);
  expect(await completedDownloads(browser_.worker)).toHaveLength(0);
});

test('a platform error, then success on Retry', async ({ browser_, sandbox }) => {
  const { page } = browser_;
  await openAsEditor(page, sandbox.url, WORKFLOWS.banking.id);
  const panel = await startExport(page, {
    faults: () => sandbox.faults([{ method: 'GET', path: VERSION_ROUTE, status: 500, times: 1 }]),
  });
  await expect(panel.getByRole('alert')).toContainText(/internal error/);
  await panel.getByRole('button', { name: 'Retry' }).click();
  await confirmIfAsked(panel);
  await expect(panel.getByRole('status').filter({ hasText: 'Banking Assistant.zip' })).toBeVisible({
    timeout: 60_000,
  });
  expect((await exportedFile(browser_)).name).toBe('Banking Assistant.zip');
});

test('a platform that does not answer: offline message with Retry', async ({ browser_, sandbox }) => {
  const { page } = browser_;
  await openAsEditor(page, sandbox.url, WORKFLOWS.banking.id);
  const panel = await startExport(page, {
    faults: () => sandbox.faults([{ method: 'GET', path: VERSION_ROUTE, dropConnection: true }]),
  });
  await expect(panel.getByRole('alert')).toContainText(/could not be reached/);
  await sandbox.clearFaults();
  await panel.getByRole('button', { name: 'Retry' }).click();
  await confirmIfAsked(panel);
  await expect(panel.getByRole('status').filter({ hasText: 'Banking Assistant.zip' })).toBeVisible({
    timeout: 60_000,
  });
});

test('the hostile workflow name becomes a file name every file system accepts', async ({
  browser_,
  sandbox,
}) => {
  const { page } = browser_;
  await openAsEditor(page, sandbox.url, WORKFLOWS.onboarding.id);
  const panel = await exportAndConfirm(page);
  const expected = packageFileName(WORKFLOWS.onboarding.name);
  await expect(panel.getByRole('status').filter({ hasText: expected })).toBeVisible({ timeout: 60_000 });
  const file = await exportedFile(browser_);
  expect(file.name).toBe(expected);
  expect(file.name).not.toMatch(/[<>:"/\\|?*]/);
  expectCleanPackage(file.bytes, []);
});

test('the 2,000-node workflow exports', async ({ browser_, sandbox }) => {
  const { page } = browser_;
  await openAsEditor(page, sandbox.url, WORKFLOWS.claims.id);
  const panel = await exportAndConfirm(page);
  await expect(panel.getByRole('status').filter({ hasText: 'Claims Flow 2000.zip' })).toBeVisible({
    timeout: 90_000,
  });
  const file = await exportedFile(browser_);
  const flow = JSON.parse(new TextDecoder().decode(unzipSync(file.bytes)['flow_definition.json']));
  expect(flow.nodes.length).toBeGreaterThanOrEqual(1900);
});

test('a worker stopped mid-export: the job resumes and saves exactly one package', async ({
  browser_,
  sandbox,
}) => {
  const { page, context } = browser_;
  await openAsEditor(page, sandbox.url, WORKFLOWS.banking.id);
  const panel = await startExport(page, {
    faults: () => sandbox.faults([{ method: 'GET', path: VERSION_ROUTE, delayMs: 4000, times: 1 }]),
  });
  await expect(panel.getByText(/Step 1 of 6/)).toBeVisible();

  // Stop the service worker the way Chrome does when it idles out.
  const cdp = await context.newCDPSession(page);
  const { targetInfos } = (await cdp.send('Target.getTargets')) as {
    targetInfos: { targetId: string; type: string; url: string }[];
  };
  const worker = targetInfos.find((t) => t.type === 'service_worker' && t.url.endsWith('/background.js'));
  expect(worker).toBeTruthy();
  await cdp.send('Target.closeTarget', { targetId: worker!.targetId });
  // The woken worker reads the version again and asks again.
  await confirmIfAsked(panel);

  await expect(panel.getByRole('status').filter({ hasText: 'Banking Assistant.zip' })).toBeVisible({
    timeout: 60_000,
  });
  const sw = context.serviceWorkers().at(-1) ?? (await context.waitForEvent('serviceworker'));
  await expect.poll(async () => (await completedDownloads(sw)).length, { timeout: 30_000 }).toBe(1);
  const packages = await sw.evaluate(
    () =>
      new Promise<number>((resolve, reject) => {
        const open = indexedDB.open('afp-porter');
        open.onsuccess = () => {
          const count = open.result.transaction('packages').objectStore('packages').count();
          count.onsuccess = () => resolve(count.result);
          count.onerror = () => reject(count.error);
        };
        open.onerror = () => reject(open.error);
      }),
  );
  expect(packages).toBe(1);
});

test('a never-deployed workflow defaults to its in-development version; one that needs nothing skips the check', async ({
  browser_,
  sandbox,
}) => {
  const { page } = browser_;
  await openAsEditor(page, sandbox.url, WORKFLOWS.invoice.id);
  const version = exportPanel(page).getByRole('combobox', { name: 'Version' });
  await expect(version.locator('option:checked')).toHaveText(/\(In development\)/);

  await openConfigurations(page, sandbox.url, WORKFLOWS.empty.id);
  const panel = exportPanel(page);
  await panel.getByRole('button', { name: 'Export' }).click();
  await expect(panel.getByRole('status').filter({ hasText: 'Empty Start.zip' })).toBeVisible({
    timeout: 60_000,
  });
  await expect(panel.getByRole('button', { name: 'Yes, I will take care' })).toHaveCount(0);
  expectCleanPackage((await exportedFile(browser_)).bytes, []);
});

test('where the browser withholds the session cookie from the worker, the export goes through the page', async ({
  browser_,
  sandbox,
}) => {
  const { page } = browser_;
  // Every request the worker makes itself arrives without cookies, as with third-party cookies blocked; from the
  // start, since a dashboard feature may already ask the worker something before Configurations opens.
  await sandbox.faults([{ method: '*', path: '/api/*', fetchSite: 'none', withoutCookies: true }]);
  await login(page, sandbox.url, 'editor@sandbox.test');
  await openConfigurations(page, sandbox.url, WORKFLOWS.banking.id);
  const panel = await exportAndConfirm(page);
  await expect(panel.getByRole('status').filter({ hasText: 'Banking Assistant.zip' })).toBeVisible({
    timeout: 60_000,
  });
  expectCleanPackage((await exportedFile(browser_)).bytes, ALL_BANKING_SECRETS);
  // The worker did try on its own first, and was refused.
  const { faults } = (await (await fetch(`${sandbox.url}/__sandbox/faults`)).json()) as {
    faults: { hits: number }[];
  };
  expect(faults[0]!.hits).toBeGreaterThan(0);
});

test('"Let me check" stops the export: nothing saved, nothing downloaded, the version free again', async ({
  browser_,
  sandbox,
}) => {
  const { page } = browser_;
  await openAsEditor(page, sandbox.url, WORKFLOWS.banking.id);
  const panel = await startExport(page, { version: /v3 fraud checks/ });
  const check = panel.getByRole('group', { name: 'Before you export' });
  await expect(check).toContainText('AI models');
  await expect(check).toContainText('Custom scripts');
  await expect(check).toContainText('kyc-utils');
  await panel.getByRole('button', { name: 'Let me check' }).click();
  await expect(check).toHaveCount(0);
  await expect(panel.getByRole('combobox', { name: 'Version' })).toBeEnabled();
  await page.waitForTimeout(1500);
  expect(await completedDownloads(browser_.worker)).toHaveLength(0);
  // No result: the panel's live region is empty.
  await expect(panel.getByRole('status')).toHaveText('');
});

test('a panel that comes back after an in-app navigation shows the export that went on without it', async ({
  browser_,
  sandbox,
}) => {
  const { page } = browser_;
  await openAsEditor(page, sandbox.url, WORKFLOWS.claims.id);
  const panel = await exportAndConfirm(page);
  // Away through the left navigation while the export runs, then back.
  await page.getByRole('navigation').getByRole('link', { name: 'Audit logs' }).click();
  await expect(page.getByRole('heading', { name: 'Audit logs', level: 1 })).toBeVisible();
  await expect(exportPanel(page)).toHaveCount(0);
  await page.getByRole('navigation').getByRole('link', { name: 'Configurations' }).click();
  await expect(panel.getByRole('status')).toContainText('Claims Flow 2000.zip', { timeout: 60_000 });
  expect(await completedDownloads(browser_.worker)).toHaveLength(1);
});

test('exporting the same version twice names the file the browser really saved', async ({
  browser_,
  sandbox,
}) => {
  const { page } = browser_;
  await openAsEditor(page, sandbox.url, WORKFLOWS.banking.id);
  const panel = await exportAndConfirm(page);
  await expect(panel.getByRole('status')).toContainText('Exported Banking Assistant.zip', {
    timeout: 60_000,
  });
  await exportAndConfirm(page);
  await expect(panel.getByRole('status')).toContainText('Exported Banking Assistant (1).zip', {
    timeout: 60_000,
  });
  const saved = (await completedDownloads(browser_.worker)).map((d) => path.basename(d.filename)).sort();
  expect(saved).toEqual(['Banking Assistant (1).zip', 'Banking Assistant.zip']);
});
