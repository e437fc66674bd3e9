/**
 * Chromium only: dark mode (Playwright's colour-scheme emulation; Firefox's driver has none) and the README's
 * screenshots (docs/images/). What the library does is tested in both browsers by library.spec.ts; here each page
 * and view is shown once more to be photographed in light and checked by axe in dark.
 */
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { test, expect, openAsEditor, openConfigurations, exportPanel } from './fixtures';
import { WORKFLOWS } from '../sandbox/seed';
import { writePackageZip } from '../../lib/package/zip-write';

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

/** The screenshot in light, then no serious or critical axe violation in dark. */
async function shootAndCheckDark(page: Page, name: string) {
  await page.emulateMedia({ colorScheme: 'light' });
  await page.screenshot({ path: path.join(IMAGES, `${name}.png`) });
  await page.emulateMedia({ colorScheme: 'dark' });
  const results = await new AxeBuilder({ page }).analyze();
  const bad = results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect(bad, `${name} (dark)`).toEqual([]);
  await page.emulateMedia({ colorScheme: 'light' });
}

test('every library page and view: a screenshot in light, axe clean in dark', async ({
  browser_,
  sandbox,
}) => {
  test.setTimeout(300_000);
  const { page, context, extensionId } = browser_;
  await openAsEditor(page, sandbox.url, WORKFLOWS.banking.id);
  await exportVersion(page, 'v2 loan intents');
  await exportVersion(page, 'v3 fraud checks');
  await openConfigurations(page, sandbox.url, WORKFLOWS.claims.id);
  await exportVersion(page, null);
  const home = `chrome-extension://${extensionId}/viewer.html#/`;

  const popup = await context.newPage();
  await popup.setViewportSize({ width: 420, height: 640 });
  await popup.goto(`chrome-extension://${extensionId}/popup.html`);
  await expect(popup.getByRole('list', { name: 'Cached packages' }).locator(':scope > li')).toHaveCount(3);
  await shootAndCheckDark(popup, 'popup');

  const viewer = await context.newPage();
  await viewer.setViewportSize({ width: 1280, height: 860 });
  await viewer.goto(home);
  await expect(viewer.getByRole('listitem', { name: /v3 fraud checks/ })).toBeVisible();
  await shootAndCheckDark(viewer, 'viewer-home');
  const open = async (name: RegExp) => {
    await viewer.goto(home);
    await viewer.getByRole('listitem', { name }).getByRole('button', { name: 'Open' }).click();
    await expect(viewer.getByRole('heading', { name: 'After import' })).toBeVisible();
  };
  await open(/v3 fraud checks/);
  await shootAndCheckDark(viewer, 'viewer-overview');
  await viewer.getByRole('link', { name: 'Redactions' }).click();
  await expect(viewer.getByRole('heading', { name: 'Left out of the package' })).toBeVisible();
  await shootAndCheckDark(viewer, 'viewer-redactions');
  await viewer.locator('.redactions tbody tr td:first-child a').first().click();
  await expect(viewer.locator('html')).toHaveAttribute('data-flow-layout', /^elk:/);
  await shootAndCheckDark(viewer, 'viewer-flow');
  await viewer.getByRole('link', { name: 'Files' }).click();
  await viewer.getByRole('link', { name: 'flow_definition.json' }).click();
  await viewer.getByRole('searchbox', { name: 'Find in flow_definition.json' }).fill('context.env.');
  await expect(viewer.locator('.line.marked')).toContainText('context.env.');
  await shootAndCheckDark(viewer, 'viewer-files');
  await viewer.getByRole('link', { name: 'Compare' }).click();
  const other = viewer.getByRole('combobox', { name: 'Compare with' });
  await other.selectOption({
    label: (await other.locator('option', { hasText: 'v2 loan intents' }).textContent())!,
  });
  await expect(viewer.getByTestId('compare-summary')).toContainText('From v2 loan intents (older)');
  await shootAndCheckDark(viewer, 'viewer-compare');

  await open(/Claims Flow 2000/);
  await viewer.getByRole('link', { name: 'Flow' }).click();
  await expect(viewer.locator('html')).toHaveAttribute('data-flow-layout', 'elk:2000', { timeout: 120_000 });
  await viewer.getByRole('searchbox', { name: 'Find a node' }).fill('Condition0010');
  await viewer.getByRole('list', { name: 'Nodes found' }).getByRole('button').first().click();
  await expect(viewer.getByRole('heading', { name: 'Condition0010', level: 2 })).toBeVisible();
  await shootAndCheckDark(viewer, 'viewer-flow-claims');

  await viewer.goto(home);
  const good = await writePackageZip((await import('../unit/banking-package')).bankingContent());
  await viewer.locator('input[type="file"]').setInputFiles({
    name: 'cut.zip',
    mimeType: 'application/zip',
    buffer: Buffer.from(good.subarray(0, good.byteLength - 30)),
  });
  await expect(viewer.getByRole('alert')).toHaveAttribute('data-code', 'CORRUPT_ZIP');
  await shootAndCheckDark(viewer, 'viewer-broken-zip');
});
