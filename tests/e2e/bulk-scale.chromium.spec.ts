/**
 * Bulk export at 200 workflows. Chromium only: it reads the extension's cache in its service worker. The sandbox
 * holds 200 generated workflows (tests/sandbox/scale.ts: fault-free, 5 % large, 25 % medium, 70 % small) besides
 * the seeded five; the owner selects all, leaves out the seeded five, and exports the 200 in one go.
 */
import { readFileSync } from 'node:fs';
import { unzipSync } from 'fflate';
import type { Worker } from '@playwright/test';
import { test as base, expect, completedDownloads, login, sandboxFixture, type Sandbox } from './fixtures';
import { INDEX_FILE, type BulkIndex, type ExportedEntry } from '../../lib/bulk/archive';
import { PACKAGE_FILES } from '../../lib/package/schemas';
import { sha256Hex } from '../../lib/package/version-package';
import { zipFiles } from '../../lib/package/zip-write';
import { generatedWorkflowPlan } from '../sandbox/scale';
import { WORKFLOWS } from '../sandbox/seed';

const COUNT = 200;
const GENERATED = Array.from({ length: COUNT }, (_, i) => generatedWorkflowPlan(i + 1));

const test = base.extend<object, { sandbox: Sandbox }>({ sandbox: sandboxFixture({ workflows: COUNT }) });

/** Every cached package's SHA-256, read from the extension's IndexedDB in its service worker. */
function cachedSha256s(worker: Worker): Promise<string[]> {
  return worker.evaluate(
    () =>
      new Promise<string[]>((resolve, reject) => {
        const open = indexedDB.open('afp-porter');
        open.onsuccess = () => {
          const all = open.result.transaction('packages').objectStore('packages').getAll();
          all.onsuccess = () => resolve((all.result as { sha256: string }[]).map((meta) => meta.sha256));
          all.onerror = () => reject(all.error);
        };
        open.onerror = () => reject(open.error);
      }),
  );
}

test('select all of 200 workflows: one archive of 200 folders whose index SHA-256s match, all 200 in the library', async ({
  browser_,
  sandbox,
}) => {
  test.setTimeout(300_000);
  const { page, worker } = browser_;
  await login(page, sandbox.url, 'owner@sandbox.test');
  const panel = page.getByRole('region', { name: 'Porter: Export several workflows' });
  await panel.getByRole('button', { name: 'Export several…' }).click();
  await panel.getByLabel('Select all').check();
  for (const seeded of Object.values(WORKFLOWS)) {
    const box = panel.getByRole('checkbox', { name: `Export ${seeded.name}` });
    if (await box.isChecked()) await box.uncheck();
  }
  await panel.getByRole('button', { name: `Export ${COUNT} workflows` }).click();

  const summary = panel.getByRole('status').filter({ hasText: /Saved “Sandbox Bank workflows/ });
  await expect(summary).toBeVisible({ timeout: 240_000 });
  await expect(summary).toContainText(`${COUNT} of ${COUNT} workflows exported`);
  await expect(summary).toContainText(
    'Your Porter library keeps the latest 1,000 packages: all 200 are in it.',
  );
  await expect(panel.getByRole('list', { name: 'Exported' }).getByRole('listitem')).toHaveCount(COUNT);

  await expect.poll(async () => (await completedDownloads(worker)).length, { timeout: 60_000 }).toBe(1);
  const [download] = await completedDownloads(worker);
  const files = unzipSync(new Uint8Array(readFileSync(download!.filename)));
  const index = JSON.parse(new TextDecoder().decode(files[INDEX_FILE])) as BulkIndex;
  expect(index.summary).toMatchObject({ requested: COUNT, exported: COUNT, failed: 0 });
  expect(index.workflows.map((entry) => entry.workflowId).sort()).toEqual(GENERATED.map((w) => w.id).sort());

  // 200 folders of three files each, and the index: nothing else.
  const entries = index.workflows as ExportedEntry[];
  const layout = entries.flatMap((entry) =>
    [PACKAGE_FILES.app, PACKAGE_FILES.flow, PACKAGE_FILES.env].map((file) => `${entry.folder}/${file}`),
  );
  expect(new Set(entries.map((entry) => entry.folder)).size).toBe(COUNT);
  expect(Object.keys(files).sort()).toEqual([...layout, INDEX_FILE].sort());

  // Each folder zipped as a package is the very package the index names (size and SHA-256)…
  for (const entry of entries) {
    const own = await zipFiles(
      [PACKAGE_FILES.app, PACKAGE_FILES.flow, PACKAGE_FILES.env].map((name) => ({
        name,
        data: files[`${entry.folder}/${name}`]!,
      })),
    );
    expect({ folder: entry.folder, size: own.byteLength, sha256: await sha256Hex(own) }).toEqual({
      folder: entry.folder,
      ...entry.package,
    });
  }
  // …and the one the library holds: all 200 of them.
  expect((await cachedSha256s(worker)).sort()).toEqual(entries.map((entry) => entry.package.sha256).sort());
});
