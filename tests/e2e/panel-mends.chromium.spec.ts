// Chromium only: measures the page's layout (bounding boxes), which the cross-browser driver does not expose.
import { test, expect, openAsEditor, exportPanel } from './fixtures';
import { WORKFLOWS } from '../sandbox/seed';

const VERSION_ROUTE = '/api/workflows/:workflowId/versions/:versionId';

test('the panel keeps the gap the product leaves between its own sections', async ({ browser_, sandbox }) => {
  const { page } = browser_;
  await openAsEditor(page, sandbox.url, WORKFLOWS.banking.id);
  await expect(exportPanel(page).getByRole('button', { name: 'Export' })).toBeEnabled();
  const box = async (selector: string) => (await page.locator(selector).boundingBox())!;
  const exportSection = await box('section:has(h2:text-is("Export workflow"))');
  const host = await box('porter-export-panel');
  const next = await box('section:has(h2:text-is("Proceed to undeploy"))');
  const before = await box('section:has(h2:text-is("Import a workflow"))');
  const nativeGap = exportSection.y - (before.y + before.height);
  expect(nativeGap).toBeGreaterThan(8);
  expect(Math.round(host.y - (exportSection.y + exportSection.height))).toBe(Math.round(nativeGap));
  expect(Math.round(next.y - (host.y + host.height))).toBe(Math.round(nativeGap));
});

test('Escape in the dependency check answers "Let me check"; Cancel stops an export while the version is read', async ({
  browser_,
  sandbox,
}) => {
  const { page } = browser_;
  await openAsEditor(page, sandbox.url, WORKFLOWS.banking.id);
  const panel = exportPanel(page);
  await panel.getByRole('button', { name: 'Export' }).click();
  const confirm = panel.getByRole('button', { name: 'Yes, I will take care' });
  await expect(confirm).toBeFocused({ timeout: 30_000 });
  await page.keyboard.press('Escape');
  await expect(confirm).toHaveCount(0);
  await expect(panel.getByRole('combobox', { name: 'Version' })).toBeEnabled();

  await sandbox.faults([{ method: 'GET', path: VERSION_ROUTE, delayMs: 3000, times: 1 }]);
  await panel.getByRole('button', { name: 'Export' }).click();
  await panel.getByRole('button', { name: 'Cancel' }).click();
  await expect(panel.getByRole('button', { name: 'Export' })).toBeEnabled();
  // The slow answer arrives and changes nothing: no check, no download.
  await expect(panel.getByRole('status')).not.toContainText('Step', { timeout: 5000 });
  await expect(confirm).toHaveCount(0);
});

test('after a reload, a refusal from an earlier attempt is not shown to a user who may export now', async ({
  browser_,
  sandbox,
}) => {
  const { page } = browser_;
  await openAsEditor(page, sandbox.url, WORKFLOWS.banking.id);
  const panel = exportPanel(page);
  await sandbox.faults([{ method: 'GET', path: VERSION_ROUTE, status: 403, times: 1 }]);
  await panel.getByRole('button', { name: 'Export' }).click();
  await expect(panel.getByRole('alert')).toContainText('does not allow exporting');
  await page.reload();
  await expect(exportPanel(page).getByRole('button', { name: 'Export' })).toBeEnabled();
  await expect(exportPanel(page).getByRole('alert')).toHaveCount(0);
});
