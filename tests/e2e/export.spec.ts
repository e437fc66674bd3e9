import { execFileSync } from 'node:child_process';
import { unzipSync } from 'fflate';
import { test, expect } from './fixtures';
import {
  ALERT,
  CONFIRM,
  PANEL,
  confirmIfAsked,
  expectCleanPackage,
  exportAndConfirm,
  exportedFile,
  finished,
  inPanel,
  login,
  openAsEditor,
  openConfigurations,
  reads,
  shows,
  startExport,
} from './steps';
import { BANKING_MUST_NOT_LEAK, WORKFLOWS } from '../sandbox/seed';
import { packageFileName } from '../../lib/package/filename';

const VERSION_ROUTE = '/api/workflows/:workflowId/versions/:versionId';
const ALL_BANKING_SECRETS = Object.values(BANKING_MUST_NOT_LEAK).flat();
const VERSION = inPanel('combobox', 'Version');
const EXPORT = inPanel('button', 'Export');
const RETRY = inPanel('button', 'Retry');

test.describe('an editor exports each Banking Assistant version', () => {
  for (const version of [/v1 initial/, /v2 loan intents/, /v3 fraud checks/]) {
    test(`${version.source}`, async ({ driver, sandbox }) => {
      const { tab } = driver;
      await openAsEditor(tab, sandbox.url, WORKFLOWS.banking.id);
      await exportAndConfirm(tab, { version });
      await shows(tab, finished('Banking Assistant.zip'), 1, 60_000);
      await shows(tab, inPanel('text', /\d+ items were redacted/));

      const file = await exportedFile(driver);
      expect(file.name).toBe('Banking Assistant.zip');
      execFileSync('unzip', ['-t', file.path], { stdio: 'pipe' });
      const text = expectCleanPackage(file.bytes, ALL_BANKING_SECRETS);
      expect(text).not.toMatch(/"(apiKeys|sharing|auditLogs|endpoint|accessToken)"/);
      const app = JSON.parse(new TextDecoder().decode(unzipSync(file.bytes)['app_definition.json']));
      expect(app.version.name).toMatch(version);
      if (version.source.includes('v3')) {
        // The inline secrets became references to new secure variables that the importer fills in.
        expect(text).toMatch(/Bearer \{\{context\.env\.[A-Z0-9_]+\}\}/);
      }
    });
  }
});

test('the deployed version is the default, and the version is locked while the export runs', async ({
  driver,
  sandbox,
}) => {
  const { tab } = driver;
  await openAsEditor(tab, sandbox.url, WORKFLOWS.banking.id);
  await expect.poll(() => tab.selected(VERSION)).toMatch(/v2 loan intents \(Deployed\)/);

  await startExport(tab, {
    faults: () => sandbox.faults([{ method: 'GET', path: VERSION_ROUTE, delayMs: 2500, times: 1 }]),
  });
  await shows(tab, inPanel('progressbar', 'Export progress'));
  expect(await tab.disabled(VERSION)).toBe(true);
  expect(await tab.disabled(EXPORT)).toBe(true);
  // The version stays locked through the dependency check too: the export has begun.
  await shows(tab, CONFIRM, 1, 30_000);
  expect(await tab.disabled(VERSION)).toBe(true);
  await confirmIfAsked(tab);
  await shows(tab, finished('Banking Assistant.zip'), 1, 60_000);
  await expect.poll(() => tab.disabled(VERSION)).toBe(false);
  const file = await exportedFile(driver);
  expect(
    JSON.parse(new TextDecoder().decode(unzipSync(file.bytes)['app_definition.json'])).version.name,
  ).toBe('v2 loan intents');
});

test('a viewer sees why they cannot export; a role taken away meanwhile is reported too', async ({
  driver,
  sandbox,
}) => {
  const { tab } = driver;
  await login(tab, sandbox.url, 'viewer@sandbox.test');
  await openConfigurations(tab, sandbox.url, WORKFLOWS.banking.id);
  await shows(tab, inPanel('text', /tool viewer.*cannot export/));
  expect(await tab.disabled(EXPORT)).toBe(true);

  await driver.clearCookies();
  await openAsEditor(tab, sandbox.url, WORKFLOWS.banking.id);
  await startExport(tab, {
    faults: () => sandbox.faults([{ method: 'GET', path: VERSION_ROUTE, status: 403 }]),
  });
  await reads(tab, ALERT, /does not allow exporting/);
  expect(await driver.downloads()).toHaveLength(0);
});

test('a session that expires mid-export says to log in again', async ({ driver, sandbox }) => {
  const { tab } = driver;
  await openAsEditor(tab, sandbox.url, WORKFLOWS.banking.id);
  await startExport(tab, {
    faults: () => sandbox.faults([{ method: 'GET', path: VERSION_ROUTE, expireSession: true }]),
  });
  await reads(tab, ALERT, /session has expired.*Log in again/);
  await shows(tab, RETRY, 0);
  expect(await driver.downloads()).toHaveLength(0);
});

test('a platform error, then success on Retry', async ({ driver, sandbox }) => {
  const { tab } = driver;
  await openAsEditor(tab, sandbox.url, WORKFLOWS.banking.id);
  await startExport(tab, {
    faults: () => sandbox.faults([{ method: 'GET', path: VERSION_ROUTE, status: 500, times: 1 }]),
  });
  await reads(tab, ALERT, /internal error/);
  await tab.click(RETRY);
  await confirmIfAsked(tab);
  await shows(tab, finished('Banking Assistant.zip'), 1, 60_000);
  expect((await exportedFile(driver)).name).toBe('Banking Assistant.zip');
});

test('a platform that does not answer: offline message with Retry', async ({ driver, sandbox }) => {
  const { tab } = driver;
  await openAsEditor(tab, sandbox.url, WORKFLOWS.banking.id);
  await startExport(tab, {
    faults: () => sandbox.faults([{ method: 'GET', path: VERSION_ROUTE, dropConnection: true }]),
  });
  await reads(tab, ALERT, /could not be reached/);
  await sandbox.clearFaults();
  await tab.click(RETRY);
  await confirmIfAsked(tab);
  await shows(tab, finished('Banking Assistant.zip'), 1, 60_000);
});

test('the hostile workflow name becomes a file name every file system accepts', async ({
  driver,
  sandbox,
}) => {
  const { tab } = driver;
  await openAsEditor(tab, sandbox.url, WORKFLOWS.onboarding.id);
  await exportAndConfirm(tab);
  const expected = packageFileName(WORKFLOWS.onboarding.name);
  await shows(tab, finished(expected), 1, 60_000);
  const file = await exportedFile(driver);
  expect(file.name).toBe(expected);
  expect(file.name).not.toMatch(/[<>:"/\\|?*]/);
  expectCleanPackage(file.bytes, []);
});

test('the 2,000-node workflow exports', async ({ driver, sandbox }) => {
  const { tab } = driver;
  await openAsEditor(tab, sandbox.url, WORKFLOWS.claims.id);
  await exportAndConfirm(tab);
  await shows(tab, finished('Claims Flow 2000.zip'), 1, 90_000);
  const file = await exportedFile(driver);
  const flow = JSON.parse(new TextDecoder().decode(unzipSync(file.bytes)['flow_definition.json']));
  expect(flow.nodes.length).toBeGreaterThanOrEqual(1900);
});

test('a never-deployed workflow defaults to its in-development version; one that needs nothing skips the check', async ({
  driver,
  sandbox,
}) => {
  const { tab } = driver;
  await openAsEditor(tab, sandbox.url, WORKFLOWS.invoice.id);
  await expect.poll(() => tab.selected(VERSION)).toMatch(/\(In development\)/);

  await openConfigurations(tab, sandbox.url, WORKFLOWS.empty.id);
  await tab.click(EXPORT);
  await shows(tab, finished('Empty Start.zip'), 1, 60_000);
  await shows(tab, CONFIRM, 0);
  expectCleanPackage((await exportedFile(driver)).bytes, []);
});

test('where the browser withholds the session cookie from the worker, the export goes through the page', async ({
  driver,
  sandbox,
}) => {
  const { tab } = driver;
  // Every request the worker makes itself arrives without cookies, as with third-party cookies blocked: from the
  // start, since the dashboard's import entry already asks the worker on the page a login lands on.
  await sandbox.faults([{ method: '*', path: '/api/*', fromExtension: true, withoutCookies: true }]);
  await login(tab, sandbox.url, 'editor@sandbox.test');
  await openConfigurations(tab, sandbox.url, WORKFLOWS.banking.id);
  await exportAndConfirm(tab);
  await shows(tab, finished('Banking Assistant.zip'), 1, 60_000);
  expectCleanPackage((await exportedFile(driver)).bytes, ALL_BANKING_SECRETS);
  // The worker did try on its own first, and was refused.
  const { faults } = (await (await fetch(`${sandbox.url}/__sandbox/faults`)).json()) as {
    faults: { hits: number }[];
  };
  expect(faults[0]!.hits).toBeGreaterThan(0);
});

test('"Let me check" stops the export: nothing saved, nothing downloaded, the version free again', async ({
  driver,
  sandbox,
}) => {
  const { tab } = driver;
  await openAsEditor(tab, sandbox.url, WORKFLOWS.banking.id);
  await startExport(tab, { version: /v3 fraud checks/ });
  const check = inPanel('group', 'Before you export');
  for (const needed of [/AI models/, /Custom scripts/, /kyc-utils/]) await reads(tab, check, needed);
  await tab.click(inPanel('button', 'Let me check'));
  await shows(tab, check, 0);
  await expect.poll(() => tab.disabled(VERSION)).toBe(false);
  await new Promise((resolve) => setTimeout(resolve, 1500));
  expect(await driver.downloads()).toHaveLength(0);
  // No result: the panel's live region is empty.
  expect(await tab.text(inPanel('status'))).toBe('');
});

test('a panel that comes back after an in-app navigation shows the export that went on without it', async ({
  driver,
  sandbox,
}) => {
  const { tab } = driver;
  await openAsEditor(tab, sandbox.url, WORKFLOWS.claims.id);
  await exportAndConfirm(tab);
  // Away through the left navigation while the export runs, then back.
  await tab.click({ role: 'link', name: 'Audit logs', within: { role: 'navigation' } });
  await shows(tab, { role: 'heading', name: 'Audit logs', level: 1 });
  await shows(tab, PANEL, 0);
  await tab.click({ role: 'link', name: 'Configurations', within: { role: 'navigation' } });
  await shows(tab, finished('Claims Flow 2000.zip'), 1, 60_000);
  await expect.poll(async () => (await driver.downloads()).length).toBe(1);
});

test('exporting the same version twice names the file the browser really saved', async ({
  driver,
  sandbox,
}) => {
  const { tab } = driver;
  await openAsEditor(tab, sandbox.url, WORKFLOWS.banking.id);
  await exportAndConfirm(tab);
  await shows(tab, finished('Exported Banking Assistant.zip'), 1, 60_000);
  await exportAndConfirm(tab);
  // Each browser names the second file its own way: Chromium "… (1).zip", Firefox "…(1).zip".
  await expect.poll(async () => (await driver.downloads()).length, { timeout: 60_000 }).toBe(2);
  const [first, second] = await driver.downloads();
  expect(first!.name).toBe('Banking Assistant.zip');
  expect(second!.name).toMatch(/^Banking Assistant ?\(1\)\.zip$/);
  await shows(tab, finished(`Exported ${second!.name}`), 1, 60_000);
});
