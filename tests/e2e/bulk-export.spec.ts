/**
 * Bulk export end to end, in both browsers: on the sandbox's Workflows dashboard with generated workflows
 * (tests/sandbox/scale.ts) whose roles differ: the viewer is a tool editor on numbers 1 and 5, and a tool viewer on
 * the seeded Banking Assistant.
 */
import { unzipSync } from 'fflate';
import { test as base, expect, sandboxFixture, type Sandbox } from './fixtures';
import type { ExtensionBrowser, Role, Tab, Target } from './drivers/driver';
import type { BulkIndex } from '../../lib/bulk/archive';
import { safeFileStem } from '../../lib/package/filename';
import { generatedWorkflowPlan } from '../sandbox/scale';
import { WORKFLOWS } from '../sandbox/seed';
import { exactly, exportWithPanel, login, reads, shows } from './steps';

const GEN1 = generatedWorkflowPlan(1);
const GEN5 = generatedWorkflowPlan(5);

/** The shared fixtures, with a sandbox that also holds 12 generated workflows. */
const test = base.extend<object, { sandbox: Sandbox }>({ sandbox: sandboxFixture({ workflows: 12 }) });

const BULK: Target = { role: 'region', name: 'Porter: Export several workflows' };
const inBulk = (role: Role, name?: string | RegExp, more: Partial<Target> = {}): Target => ({
  role,
  name,
  ...more,
  within: BULK,
});
const box = (workflow: string) => inBulk('checkbox', exactly(`Export ${workflow}`));
const FILTER = inBulk('searchbox', 'Filter');
const SELECT_ALL = inBulk('checkbox', 'Select all');
const SAVED = inBulk('status', undefined, { hasText: /Saved “Sandbox Bank workflows/ });
const EXPORTED = inBulk('list', exactly('Exported'));
const NOT_EXPORTED = inBulk('list', exactly('Not exported'));

async function pick(tab: Tab, names: string[]): Promise<void> {
  await tab.click(inBulk('button', 'Export several…'));
  for (const name of names) await tab.check(box(name));
  await tab.click(inBulk('button', `Export ${names.length} workflows`));
}

/** The one archive the browser saved: its name, its files and its index. */
async function archiveOf(driver: ExtensionBrowser) {
  await expect.poll(async () => (await driver.downloads()).length, { timeout: 60_000 }).toBe(1);
  const [download] = await driver.downloads();
  const files = unzipSync(download!.bytes);
  const index = JSON.parse(new TextDecoder().decode(files['porter-index.json'])) as BulkIndex;
  return { name: download!.name, files, index };
}

const folders = (files: Record<string, Uint8Array>) =>
  [
    ...new Set(
      Object.keys(files)
        .filter((n) => n.includes('/'))
        .map((n) => n.split('/')[0]!),
    ),
  ].sort();

/** How many packages the extension's cache holds, counted in one of its own pages. */
async function cachedPackages(driver: ExtensionBrowser): Promise<number> {
  const page = await driver.openExtensionPage('popup.html');
  const count = await page.evaluate(
    () =>
      new Promise<number>((resolve, reject) => {
        const open = indexedDB.open('afp-porter');
        open.onsuccess = () => {
          const counted = open.result.transaction('packages').objectStore('packages').count();
          counted.onsuccess = () => resolve(counted.result);
          counted.onerror = () => reject(counted.error);
        };
        open.onerror = () => reject(open.error);
      }),
    undefined,
  );
  await page.close();
  return count;
}

test('a viewer sees every workflow but may select only those their role lets them export', async ({
  driver,
  sandbox,
}) => {
  const { tab } = driver;
  await login(tab, sandbox.url, 'viewer@sandbox.test');
  await tab.click(inBulk('button', 'Export several…'));
  expect(await tab.disabled(box('Banking Assistant'))).toBe(true);
  await reads(tab, inBulk('row', /Banking Assistant/), /tool viewer/);
  await shows(tab, inBulk('text', /Your role \(tool viewer\) may not export this workflow/));

  // The filter narrows the list; select all takes only what may be exported.
  await tab.fill(FILTER, 'Router 00');
  await shows(tab, box('Banking Assistant'), 0);
  await tab.check(SELECT_ALL);
  expect(await tab.checked(box(GEN1.name))).toBe(true);
  await tab.check(SELECT_ALL, false);
  await tab.fill(FILTER, '');
  await shows(tab, box('Banking Assistant'), 1);

  await tab.check(box(GEN1.name));
  await tab.check(box(GEN5.name));
  await tab.click(inBulk('button', 'Export 2 workflows'));
  await shows(tab, SAVED, 1, 60_000);
  const { files, index } = await archiveOf(driver);
  expect(folders(files)).toEqual([GEN1.name, GEN5.name].sort());
  expect(index.summary).toMatchObject({ requested: 2, exported: 2, failed: 0 });
});

test('an editor exports three workflows: one archive whose folders are each workflow’s own export', async ({
  driver,
  sandbox,
}) => {
  const { tab } = driver;
  await login(tab, sandbox.url, 'editor@sandbox.test');
  await pick(tab, ['Banking Assistant', GEN1.name, GEN5.name]);
  await shows(
    tab,
    inBulk('status', undefined, { hasText: /Saved “Sandbox Bank workflows \d{4}-\d\d-\d\d\.zip”/ }),
    1,
    60_000,
  );
  await shows(tab, { role: 'listitem', within: EXPORTED }, 3);
  await reads(tab, EXPORTED, /Banking Assistant: version “v2 loan intents”/);
  const { name, files, index } = await archiveOf(driver);
  expect(name).toMatch(/^Sandbox Bank workflows \d{4}-\d\d-\d\d\.zip$/);
  expect(Object.keys(files).sort()).toEqual(
    ['Banking Assistant', GEN1.name, GEN5.name]
      .flatMap((folder) =>
        ['app_definition.json', 'env_variables.json', 'flow_definition.json'].map((f) => `${folder}/${f}`),
      )
      .concat('porter-index.json')
      .sort(),
  );
  expect(index.workflows.map((w) => w.status)).toEqual(['exported', 'exported', 'exported']);
  // Each package is in the cache on its own, for the library.
  expect(await cachedPackages(driver)).toBe(3);

  // The single export of each, through the Configurations panel, has the very same files.
  for (const workflow of [
    { id: WORKFLOWS.banking.id, name: 'Banking Assistant' },
    { id: GEN1.id, name: GEN1.name },
    { id: GEN5.id, name: GEN5.name },
  ]) {
    const single = await exportWithPanel(driver, sandbox.url, workflow.id);
    expect(single.name).toBe(`${workflow.name}.zip`);
    const own = unzipSync(single.bytes);
    for (const [file, bytes] of Object.entries(own)) expect(files[`${workflow.name}/${file}`]).toEqual(bytes);
  }
});

test('cancel half-way: nothing is downloaded, and the summary says what was exported before it', async ({
  driver,
  sandbox,
}) => {
  const { tab } = driver;
  await login(tab, sandbox.url, 'owner@sandbox.test');
  // The third one is slow, so the cancel comes while it is being exported.
  await sandbox.faults([
    {
      method: 'GET',
      path: `/api/workflows/${generatedWorkflowPlan(3).id}/versions/:versionId`,
      delayMs: 5000,
    },
  ]);
  const names = [1, 2, 3, 4, 5, 6].map((i) => generatedWorkflowPlan(i).name);
  await pick(tab, names);
  await shows(tab, inBulk('text', /[12] of 6 done/), undefined, 30_000);
  await tab.click(inBulk('button', exactly('Cancel')));
  await shows(tab, inBulk('status', undefined, { hasText: 'Cancelled: nothing was downloaded' }));
  await reads(tab, NOT_EXPORTED, new RegExp(names[5]!));
  expect(await driver.downloads()).toHaveLength(0);
});

test('a background stopped half-way resumes: every workflow exported once, one download', async ({
  driver,
  sandbox,
}) => {
  const { tab } = driver;
  await login(tab, sandbox.url, 'owner@sandbox.test');
  const slow = generatedWorkflowPlan(4);
  await sandbox.faults([
    { method: 'GET', path: `/api/workflows/${slow.id}/versions/:versionId`, delayMs: 4000, times: 1 },
  ]);
  const names = [1, 2, 4, 6, 7].map((i) => generatedWorkflowPlan(i).name);
  await pick(tab, names);
  await shows(tab, inBulk('text', /2 of 5 done/), undefined, 30_000);
  await driver.stopBackground();

  await shows(tab, SAVED, 1, 90_000);
  const { files, index } = await archiveOf(driver);
  expect(folders(files)).toEqual(names.map((name) => safeFileStem(name)).sort());
  expect(index.summary).toMatchObject({ requested: 5, exported: 5, failed: 0 });
  expect(await cachedPackages(driver)).toBe(5);
});

test('a platform error on one workflow leaves the others exported, and the summary says so', async ({
  driver,
  sandbox,
}) => {
  const { tab } = driver;
  await login(tab, sandbox.url, 'editor@sandbox.test');
  await sandbox.faults([
    { method: 'GET', path: `/api/workflows/${GEN5.id}/versions/:versionId`, status: 500 },
  ]);
  await pick(tab, ['Banking Assistant', GEN1.name, GEN5.name]);
  await shows(tab, inBulk('status', undefined, { hasText: /2 of 3 workflows exported/ }), 1, 60_000);
  await reads(tab, NOT_EXPORTED, new RegExp(`${GEN5.name}: The platform reported an internal error`));
  const { files, index } = await archiveOf(driver);
  expect(folders(files)).toEqual(['Banking Assistant', GEN1.name].sort());
  expect(index.workflows[2]).toMatchObject({ status: 'failed', name: GEN5.name, error: { code: 'SERVER' } });
});
