/**
 * Bulk export end to end: the built extension in Chromium, on the sandbox's Workflows dashboard with generated
 * workflows (tests/sandbox/scale.ts) whose roles differ: the viewer is a tool editor on numbers 1 and 5, and a tool
 * viewer on the seeded Banking Assistant.
 */
import { readFileSync } from 'node:fs';
import { unzipSync } from 'fflate';
import type { Page, Worker } from '@playwright/test';
import { test as base, expect, completedDownloads, exportPanel, login, openConfigurations } from './fixtures';
import type { Browser, Sandbox } from './browser';
import type { BulkIndex } from '../../lib/bulk/archive';
import { startSandbox } from '../sandbox/server';
import { safeFileStem } from '../../lib/package/filename';
import { generatedWorkflowPlan } from '../sandbox/scale';
import { WORKFLOWS } from '../sandbox/seed';

const GEN1 = generatedWorkflowPlan(1);
const GEN5 = generatedWorkflowPlan(5);

/** The shared fixtures, with a sandbox that also holds 12 generated workflows. */
const test = base.extend<object, { sandbox: Sandbox }>({
  sandbox: [
    async ({}, use) => {
      const server = await startSandbox({ port: 0, workflows: 12 });
      const call = async (method: string, route: string, body?: unknown) => {
        const response = await fetch(`${server.url}${route}`, {
          method,
          headers: { 'content-type': 'application/json' },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
        if (!response.ok) throw new Error(`${method} ${route} → ${response.status}`);
      };
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
});

const bulkPanel = (page: Page) => page.getByRole('region', { name: 'Porter: Export several workflows' });

async function pick(page: Page, names: string[]) {
  const panel = bulkPanel(page);
  await panel.getByRole('button', { name: 'Export several…' }).click();
  for (const name of names) await panel.getByRole('checkbox', { name: `Export ${name}` }).check();
  await panel.getByRole('button', { name: `Export ${names.length} workflows` }).click();
  return panel;
}

async function archiveOf(worker: Worker) {
  await expect.poll(async () => (await completedDownloads(worker)).length, { timeout: 60_000 }).toBe(1);
  const [download] = await completedDownloads(worker);
  const files = unzipSync(new Uint8Array(readFileSync(download!.filename)));
  const index = JSON.parse(new TextDecoder().decode(files['porter-index.json'])) as BulkIndex;
  return { name: download!.filename.split('/').pop()!, files, index };
}

const folders = (files: Record<string, Uint8Array>) =>
  [
    ...new Set(
      Object.keys(files)
        .filter((n) => n.includes('/'))
        .map((n) => n.split('/')[0]!),
    ),
  ].sort();

async function cachedPackages(worker: Worker): Promise<number> {
  return worker.evaluate(
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
}

async function stopWorker(browser: Browser) {
  const cdp = await browser.context.newCDPSession(browser.page);
  const { targetInfos } = (await cdp.send('Target.getTargets')) as {
    targetInfos: { targetId: string; type: string; url: string }[];
  };
  const worker = targetInfos.find((t) => t.type === 'service_worker' && t.url.endsWith('/background.js'));
  expect(worker).toBeTruthy();
  await cdp.send('Target.closeTarget', { targetId: worker!.targetId });
}

test('a viewer sees every workflow but may select only those their role lets them export', async ({
  browser_,
  sandbox,
}) => {
  const { page, worker } = browser_;
  await login(page, sandbox.url, 'viewer@sandbox.test');
  const panel = bulkPanel(page);
  await panel.getByRole('button', { name: 'Export several…' }).click();
  const banking = panel.getByRole('checkbox', { name: 'Export Banking Assistant' });
  await expect(banking).toBeDisabled();
  await expect(panel.getByRole('row', { name: /Banking Assistant/ })).toContainText('tool viewer');
  await expect(
    panel.getByText(/Your role \(tool viewer\) may not export this workflow/).first(),
  ).toBeVisible();

  // The filter narrows the list; select all takes only what may be exported.
  await panel.getByLabel('Filter').fill('Router 00');
  await panel.getByLabel('Select all').check();
  await expect(panel.getByRole('checkbox', { name: `Export ${GEN1.name}` })).toBeChecked();
  await panel.getByLabel('Select all').uncheck();
  await panel.getByLabel('Filter').fill('');

  await panel.getByRole('checkbox', { name: `Export ${GEN1.name}` }).check();
  await panel.getByRole('checkbox', { name: `Export ${GEN5.name}` }).check();
  await panel.getByRole('button', { name: 'Export 2 workflows' }).click();
  await expect(panel.getByRole('status').filter({ hasText: /Saved “Sandbox Bank workflows/ })).toBeVisible({
    timeout: 60_000,
  });
  const { files, index } = await archiveOf(worker);
  expect(folders(files)).toEqual([GEN1.name, GEN5.name].sort());
  expect(index.summary).toMatchObject({ requested: 2, exported: 2, failed: 0 });
});

test('an editor exports three workflows: one archive whose folders are each workflow’s own export', async ({
  browser_,
  sandbox,
}) => {
  const { page, worker } = browser_;
  await login(page, sandbox.url, 'editor@sandbox.test');
  const panel = await pick(page, ['Banking Assistant', GEN1.name, GEN5.name]);
  await expect(
    panel.getByRole('status').filter({ hasText: /Saved “Sandbox Bank workflows \d{4}-\d\d-\d\d\.zip”/ }),
  ).toBeVisible({
    timeout: 60_000,
  });
  await expect(panel.getByRole('list', { name: 'Exported' }).getByRole('listitem')).toHaveCount(3);
  await expect(panel.getByRole('list', { name: 'Exported' })).toContainText(
    'Banking Assistant: version “v2 loan intents”',
  );
  const { name, files, index } = await archiveOf(worker);
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
  expect(await cachedPackages(worker)).toBe(3);

  // The single export of each, through the Configurations panel, has the very same files.
  for (const [i, workflow] of [
    { id: WORKFLOWS.banking.id, name: 'Banking Assistant' },
    { id: GEN1.id, name: GEN1.name },
    { id: GEN5.id, name: GEN5.name },
  ].entries()) {
    await openConfigurations(page, sandbox.url, workflow.id);
    const single = exportPanel(page);
    await single.getByRole('button', { name: 'Export' }).click();
    const confirm = single.getByRole('button', { name: 'Yes, I will take care' });
    const done = single.getByRole('status').filter({ hasText: '.zip' });
    await expect(confirm.or(done).first()).toBeVisible({ timeout: 60_000 });
    if (await confirm.isVisible()) await confirm.click();
    await expect(done).toBeVisible({ timeout: 60_000 });
    await expect.poll(async () => (await completedDownloads(worker)).length, { timeout: 60_000 }).toBe(i + 2);
    const download = (await completedDownloads(worker)).find((d) =>
      d.filename.endsWith(`${workflow.name}.zip`),
    )!;
    const own = unzipSync(new Uint8Array(readFileSync(download.filename)));
    for (const [file, bytes] of Object.entries(own)) expect(files[`${workflow.name}/${file}`]).toEqual(bytes);
  }
});

test('cancel half-way: nothing is downloaded, and the summary says what was exported before it', async ({
  browser_,
  sandbox,
}) => {
  const { page, worker } = browser_;
  await login(page, sandbox.url, 'owner@sandbox.test');
  // The third one is slow, so the cancel comes while it is being exported.
  await sandbox.faults([
    {
      method: 'GET',
      path: `/api/workflows/${generatedWorkflowPlan(3).id}/versions/:versionId`,
      delayMs: 5000,
    },
  ]);
  const names = [1, 2, 3, 4, 5, 6].map((i) => generatedWorkflowPlan(i).name);
  const panel = await pick(page, names);
  await expect(panel.getByText(/[12] of 6 done/)).toBeVisible({ timeout: 30_000 });
  await panel.getByRole('button', { name: 'Cancel' }).click();
  await expect(
    panel.getByRole('status').filter({ hasText: 'Cancelled: nothing was downloaded' }),
  ).toBeVisible();
  await expect(panel.getByRole('list', { name: 'Not exported' })).toContainText(names[5]!);
  expect(await completedDownloads(worker)).toHaveLength(0);
});

test('a worker stopped half-way resumes: every workflow exported once, one download', async ({
  browser_,
  sandbox,
}) => {
  const { page, context } = browser_;
  await login(page, sandbox.url, 'owner@sandbox.test');
  const slow = generatedWorkflowPlan(4);
  await sandbox.faults([
    { method: 'GET', path: `/api/workflows/${slow.id}/versions/:versionId`, delayMs: 4000, times: 1 },
  ]);
  const names = [1, 2, 4, 6, 7].map((i) => generatedWorkflowPlan(i).name);
  const panel = await pick(page, names);
  await expect(panel.getByText(/2 of 5 done/)).toBeVisible({ timeout: 30_000 });
  await stopWorker(browser_);

  await expect(panel.getByRole('status').filter({ hasText: /Saved “Sandbox Bank workflows/ })).toBeVisible({
    timeout: 90_000,
  });
  const sw = context.serviceWorkers().at(-1) ?? (await context.waitForEvent('serviceworker'));
  const { files, index } = await archiveOf(sw);
  expect(folders(files)).toEqual(names.map((name) => safeFileStem(name)).sort());
  expect(index.summary).toMatchObject({ requested: 5, exported: 5, failed: 0 });
  expect(await cachedPackages(sw)).toBe(5);
});

test('a platform error on one workflow leaves the others exported, and the summary says so', async ({
  browser_,
  sandbox,
}) => {
  const { page, worker } = browser_;
  await login(page, sandbox.url, 'editor@sandbox.test');
  await sandbox.faults([
    { method: 'GET', path: `/api/workflows/${GEN5.id}/versions/:versionId`, status: 500 },
  ]);
  const panel = await pick(page, ['Banking Assistant', GEN1.name, GEN5.name]);
  await expect(panel.getByRole('status').filter({ hasText: /2 of 3 workflows exported/ })).toBeVisible({
    timeout: 60_000,
  });
  await expect(panel.getByRole('list', { name: 'Not exported' })).toContainText(
    `${GEN5.name}: The platform reported an internal error`,
  );
  const { files, index } = await archiveOf(worker);
  expect(folders(files)).toEqual(['Banking Assistant', GEN1.name].sort());
  expect(index.workflows[2]).toMatchObject({ status: 'failed', name: GEN5.name, error: { code: 'SERVER' } });
});
