/**
 * The offline library end to end: exports of Banking Assistant v2 and v3 and of Claims Flow 2000, the popup
 * (list, search, download again with the platform unreachable, delete), the viewer's five views offline, the
 * 2,000-node graph, Compare in both picking orders, zips from disk (broken, hostile names), axe on every page
 * in light and dark. Screenshots of each go to docs/images/ (the README shows them).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { test, expect, openAsEditor, exportPanel, filesIn } from './fixtures';
import { BANKING_MUST_NOT_LEAK, WORKFLOWS } from '../sandbox/seed';
import { readPackageZip } from '../../lib/package/zip-read';
import { writePackageZip } from '../../lib/package/zip-write';
import { diffPackages } from '../../lib/package/diff';

const IMAGES = path.resolve('docs/images');

async function exportVersion(page: Page, versionName: string | null) {
  const panel = exportPanel(page);
  if (versionName) {
    const version = panel.getByRole('combobox', { name: 'Version' });
    await version.selectOption(
      (await version.locator('option', { hasText: versionName }).getAttribute('value'))!,
    );
  }
  await panel.getByRole('button', { name: 'Export' }).click();
  const confirm = panel.getByRole('button', { name: 'Yes, I will take care' });
  const done = panel.getByText(/items? (was|were) redacted/);
  await expect(confirm.or(done)).toBeVisible({ timeout: 90_000 });
  if (await confirm.isVisible()) await confirm.click();
  await expect(done).toBeVisible({ timeout: 90_000 });
}

/** No serious or critical axe violation, in light and in dark. */
async function expectAccessible(page: Page, what: string) {
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    const results = await new AxeBuilder({ page }).analyze();
    const bad = results.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
    expect(bad, `${what} (${colorScheme})`).toEqual([]);
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

async function shoot(page: Page, name: string) {
  await page.screenshot({ path: path.join(IMAGES, `${name}.png`) });
}

const nodeChanges = (page: Page) =>
  page
    .getByTestId('node-changes')
    .locator(':scope > li')
    .evaluateAll((items) => items.map((item) => item.getAttribute('data-change') ?? ''));

test('the popup and the viewer keep, find, show and compare exports offline', async ({
  browser_,
  sandbox,
}) => {
  test.setTimeout(240_000);
  const { page, context, extensionId, downloadDir } = browser_;
  await page.setViewportSize({ width: 1280, height: 860 });
  await openAsEditor(page, sandbox.url, WORKFLOWS.banking.id);
  await exportVersion(page, 'v2 loan intents');
  await exportVersion(page, 'v3 fraud checks');
  // The same version again: one entry that remembers both exports.
  await exportVersion(page, 'v3 fraud checks');
  await expect.poll(() => filesIn(downloadDir).length).toBe(3);
  const v3File = filesIn(downloadDir).find((name) => name === 'Banking Assistant (1).zip')!;
  const v2Bytes = readFileSync(path.join(downloadDir, 'Banking Assistant.zip'));
  const v3Bytes = readFileSync(path.join(downloadDir, v3File));

  // From here on the platform is unreachable: everything comes from the cache.
  await sandbox.faults([{ method: '*', path: '/*', dropConnection: true }]);

  // Nothing secret in the extension's storage: every row read back, compact packages inflated.
  const storage = await context.newPage();
  await storage.goto(`chrome-extension://${extensionId}/viewer.html`);
  const stored = await storage.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const open = indexedDB.open('afp-porter');
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error);
    });
    const inflate = async (data: Uint8Array) =>
      new TextDecoder().decode(
        await new Response(
          new Blob([data as BlobPart]).stream().pipeThrough(new DecompressionStream('deflate-raw')),
        ).arrayBuffer(),
      );
    const dump: string[] = [];
    for (const name of Array.from(db.objectStoreNames)) {
      const rows = await new Promise<unknown[]>((resolve, reject) => {
        const request = db.transaction(name).objectStore(name).getAll();
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
      for (const row of rows) {
        const compact = (row as { compact?: { data: Uint8Array } }).compact;
        dump.push(compact ? await inflate(compact.data) : JSON.stringify(row));
      }
    }
    return dump.join('\n');
  });
  await storage.close();
  expect(stored).toContain('"name": "Banking Assistant"');
  expect(stored).toContain('"nodes": [');
  for (const secret of Object.values(BANKING_MUST_NOT_LEAK).flat()) expect(stored).not.toContain(secret);

  const popup = await context.newPage();
  await popup.setViewportSize({ width: 420, height: 640 });
  await popup.goto(`chrome-extension://${extensionId}/popup.html`);
  await expect(popup).toHaveTitle('AFP Porter: packages');
  const entries = popup.getByRole('list', { name: 'Cached packages' }).locator(':scope > li');
  await expect(entries).toHaveCount(2);
  await expect(entries.nth(0).getByRole('heading')).toHaveText('Banking Assistant v3 fraud checks');
  await expect(entries.nth(0)).toContainText('Exported 2 times');
  await expect(entries.nth(1).getByRole('heading')).toHaveText('Banking Assistant v2 loan intents');
  await expect(popup.getByTestId('usage')).toContainText('2 packages from 3 exports');
  await shoot(popup, 'popup');
  await expectAccessible(popup, 'popup');

  await popup.getByRole('searchbox', { name: 'Search' }).fill('loan');
  await expect(entries).toHaveCount(1);
  await popup.getByRole('searchbox', { name: 'Search' }).fill('127.0.0.1 v3');
  await expect(entries).toHaveCount(1);
  await expect(entries.nth(0).getByRole('heading')).toHaveText('Banking Assistant v3 fraud checks');
  await entries.nth(0).getByRole('button', { name: 'Download again' }).click();
  await expect(popup.getByRole('status').filter({ hasText: /^Saved/ })).toHaveText(
    'Saved Banking Assistant v3 fraud checks as Banking Assistant (3).zip.',
  );
  // The very bytes of the export, re-created from the compact cache.
  expect(readFileSync(path.join(downloadDir, 'Banking Assistant (3).zip')).equals(v3Bytes)).toBe(true);

  const viewer = await context.newPage();
  await viewer.setViewportSize({ width: 1280, height: 860 });
  await viewer.goto(`chrome-extension://${extensionId}/viewer.html`);
  await expect(viewer).toHaveTitle('Packages · AFP Porter');
  await shoot(viewer, 'viewer-home');
  await expectAccessible(viewer, 'viewer home');
  await viewer
    .getByRole('listitem', { name: /v3 fraud checks/ })
    .getByRole('button', { name: 'Open' })
    .click();

  await expect(viewer).toHaveTitle('Banking Assistant v3 fraud checks · Overview · AFP Porter');
  await expect(viewer.getByRole('heading', { name: 'After import' })).toBeVisible();
  await expect(viewer.locator('.tasks')).toContainText('Set the value of the secure variable CRM_TOKEN');
  await expect(viewer.getByRole('heading', { name: /Nodes \(\d+\)/ })).toBeVisible();
  const text = await viewer.locator('body').innerText();
  for (const secret of Object.values(BANKING_MUST_NOT_LEAK).flat()) expect(text).not.toContain(secret);
  await shoot(viewer, 'viewer-overview');
  await expectAccessible(viewer, 'overview');

  await viewer.getByRole('link', { name: 'Redactions' }).click();
  await expect(viewer).toHaveTitle(/· Redactions · AFP Porter$/);
  await expect(viewer.getByRole('heading', { name: 'Left out of the package' })).toBeVisible();
  await expect(viewer.locator('.redactions')).toContainText(/API keys: \d+/);
  await shoot(viewer, 'viewer-redactions');
  await expectAccessible(viewer, 'redactions');
  const firstNodeLink = viewer.locator('.redactions tbody tr td:first-child a').first();
  const nodeName = (await firstNodeLink.textContent())!;
  await firstNodeLink.click();
  await expect(viewer).toHaveTitle(/· Flow · AFP Porter$/);
  await expect(viewer.getByRole('heading', { name: nodeName, level: 2 })).toBeVisible();
  await expect(viewer.getByLabel(`Configuration of ${nodeName}`)).toBeVisible();
  await expect(viewer.locator('html')).toHaveAttribute('data-flow-layout', /^elk:/);
  await shoot(viewer, 'viewer-flow');
  await expectAccessible(viewer, 'flow');

  await viewer.getByRole('link', { name: 'Files' }).click();
  await expect(viewer).toHaveTitle(/· Files · AFP Porter$/);
  await viewer.getByRole('link', { name: 'flow_definition.json' }).click();
  await viewer.getByRole('searchbox', { name: 'Find in flow_definition.json' }).fill('context.env.');
  await expect(viewer.locator('.files [aria-live]')).toHaveText(/^1 of \d+$/);
  await expect(viewer.locator('.line.marked')).toContainText('context.env.');
  await shoot(viewer, 'viewer-files');
  await expectAccessible(viewer, 'files');

  // Compare, picked from v3 and from v2: always v2 → v3, and exactly the nodes the core's diff finds.
  const expected = diffPackages(readPackageZip(v2Bytes).content, readPackageZip(v3Bytes).content).flow;
  const expectedList = [
    ...expected.nodesAdded.map((n) => `added ${n.name}`),
    ...expected.nodesRemoved.map((n) => `removed ${n.name}`),
    ...expected.nodesChanged.map((n) => `changed ${n.after.name}`),
  ];
  expect(expectedList.length).toBeGreaterThan(0);
  const seen: string[][] = [];
  for (const [open, other] of [
    ['v3 fraud checks', 'v2 loan intents'],
    ['v2 loan intents', 'v3 fraud checks'],
  ] as const) {
    await viewer.goto(`chrome-extension://${extensionId}/viewer.html#/`);
    await viewer
      .getByRole('listitem', { name: new RegExp(open) })
      .getByRole('button', { name: 'Open' })
      .click();
    await viewer.getByRole('link', { name: 'Compare' }).click();
    const select = viewer.getByRole('combobox', { name: 'Compare with' });
    await select.selectOption({ label: (await select.locator('option', { hasText: other }).textContent())! });
    await expect(viewer.getByTestId('compare-summary')).toContainText(
      'From v2 loan intents (older) to v3 fraud checks (newer)',
    );
    seen.push(await nodeChanges(viewer));
  }
  expect(seen[0]).toEqual(expectedList);
  expect(seen[1]).toEqual(expectedList);
  await shoot(viewer, 'viewer-compare');
  await expectAccessible(viewer, 'compare');

  // Delete from the popup.
  await popup.getByRole('searchbox', { name: 'Search' }).fill('');
  await entries.nth(1).getByRole('button', { name: 'Delete' }).click();
  await expect(entries).toHaveCount(1);
  await expect(popup.getByRole('status').filter({ hasText: /^Deleted/ })).toHaveText(
    'Deleted Banking Assistant v2 loan intents from the cache.',
  );
});

test('the 2,000-node Claims Flow graph shows, and a node can be found and selected', async ({
  browser_,
  sandbox,
}) => {
  test.setTimeout(240_000);
  const { page, context, extensionId } = browser_;
  await openAsEditor(page, sandbox.url, WORKFLOWS.claims.id);
  await exportVersion(page, null);
  const viewer = await context.newPage();
  await viewer.setViewportSize({ width: 1280, height: 860 });
  await viewer.goto(`chrome-extension://${extensionId}/viewer.html`);
  await viewer
    .getByRole('listitem', { name: /Claims Flow 2000/ })
    .getByRole('button', { name: 'Open' })
    .click();
  await viewer.getByRole('link', { name: 'Flow' }).click();
  await expect(viewer.getByRole('img', { name: /2000 nodes/ })).toBeVisible();
  await expect(viewer.locator('html')).toHaveAttribute('data-flow-layout', 'elk:2000', { timeout: 120_000 });
  await viewer.getByRole('searchbox', { name: 'Find a node' }).fill('Condition0010');
  await viewer.getByRole('list', { name: 'Nodes found' }).getByRole('button').first().click();
  await expect(viewer.getByRole('heading', { name: 'Condition0010', level: 2 })).toBeVisible();
  await expect(viewer).toHaveURL(/\/flow\?node=/);
  await shoot(viewer, 'viewer-flow-claims');
  await expectAccessible(viewer, 'claims flow');
  await viewer.getByRole('link', { name: 'Files' }).click();
  await viewer.getByRole('link', { name: 'flow_definition.json' }).click();
  await expect(viewer.getByRole('region', { name: /flow_definition\.json, \d+ lines/ })).toBeVisible();
});

test('zips from disk: a broken one gives its specific error, hostile names render as text, one can be kept', async ({
  browser_,
}) => {
  const { context, extensionId } = browser_;
  const viewer = await context.newPage();
  const dialogs: string[] = [];
  viewer.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  await viewer.goto(`chrome-extension://${extensionId}/viewer.html`);
  await expect(viewer.getByText('No packages yet.')).toBeVisible();

  const content = readPackageZip(
    await writePackageZip((await import('../unit/banking-package')).bankingContent()),
  ).content;
  const hostile = '<img src=x onerror=alert(1)>Bank<script>alert(2)</script>';
  content.app.workflow.name = hostile;
  content.flow.nodes[1]!.name = '<b onmouseover=alert(3)>API</b>';
  const good = await writePackageZip(content);

  // A broken zip dropped on the page: the reader's own error, and nothing opened.
  const broken = Array.from(good.subarray(0, good.byteLength - 30));
  await viewer.getByTestId('drop-zone').evaluate((zone, bytes) => {
    const transfer = new DataTransfer();
    transfer.items.add(new File([new Uint8Array(bytes)], 'cut.zip', { type: 'application/zip' }));
    zone.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
  }, broken);
  const alert = viewer.getByRole('alert');
  await expect(alert).toHaveAttribute('data-code', 'CORRUPT_ZIP');
  await expect(alert).toContainText('cut.zip could not be opened: The zip file is damaged or incomplete');
  await shoot(viewer, 'viewer-broken-zip');
  await expectAccessible(viewer, 'broken zip');

  await viewer.locator('input[type="file"]').setInputFiles({
    name: 'hostile.zip',
    mimeType: 'application/zip',
    buffer: Buffer.from(good),
  });
  await expect(viewer.getByRole('heading', { level: 1 })).toContainText(hostile);
  await viewer.getByRole('link', { name: 'Flow' }).click();
  await viewer.getByRole('searchbox', { name: 'Find a node' }).fill('API');
  await viewer.getByRole('list', { name: 'Nodes found' }).getByRole('button').first().click();
  await expect(
    viewer.getByRole('heading', { level: 2, name: '<b onmouseover=alert(3)>API</b>' }),
  ).toBeVisible();
  expect(await viewer.locator('img, script:not([src]), b').count()).toBe(0);
  await viewer.getByRole('button', { name: 'Keep in library' }).click();
  await expect(viewer).toHaveURL(/#\/package\/[^/]+\/flow/);
  await viewer.goto(`chrome-extension://${extensionId}/viewer.html#/`);
  await expect(viewer.getByRole('listitem', { name: /Bank/ })).toBeVisible();
  expect(dialogs).toEqual([]);
});
