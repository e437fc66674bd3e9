/**
 * Chromium only for now: it opens the viewer by its chrome-extension:// address with Playwright's own page.
 * The package viewer's "Import into AI for Process…": a cached package goes back into the platform it came from,
 * as a new workflow or as a new version of a workflow picked from that account's list, through the same dialog
 * and job as the platform's own pages.
 */
import type { Page } from '@playwright/test';
import { test, expect, exportPanel, login, openConfigurations, type Browser } from './fixtures';
import { WORKFLOWS } from '../sandbox/seed';
import { apiAs } from './import-steps';

interface Details {
  workflow: { inDevelopmentVersionId: string | null };
  versions: { id: string; name: string; state: string }[];
}

/** Exports Banking Assistant with the panel and opens its cached package in the viewer. */
async function openCachedBanking(browser: Browser, sandboxUrl: string): Promise<Page> {
  await login(browser.page, sandboxUrl, 'owner@sandbox.test');
  await openConfigurations(browser.page, sandboxUrl, WORKFLOWS.banking.id);
  const panel = exportPanel(browser.page);
  await panel.getByRole('button', { name: 'Export' }).click();
  const confirm = panel.getByRole('button', { name: 'Yes, I will take care' });
  const finished = panel.getByRole('status').filter({ hasText: '.zip' });
  await expect(confirm.or(finished).first()).toBeVisible({ timeout: 60_000 });
  if (await confirm.isVisible()) await confirm.click();
  await expect(finished).toBeVisible({ timeout: 60_000 });
  const viewer = await browser.context.newPage();
  await viewer.goto(`chrome-extension://${browser.extensionId}/viewer.html`);
  await viewer
    .getByRole('listitem', { name: /Banking Assistant/ })
    .getByRole('button', { name: 'Open' })
    .click();
  await expect(viewer).toHaveTitle(/^Banking Assistant .* · Overview · AFP Porter$/);
  await viewer.getByRole('button', { name: 'Import into AI for Process…' }).click();
  return viewer;
}

test('a cached package is imported as a new workflow into the platform it came from', async ({
  browser_,
  sandbox,
}) => {
  test.setTimeout(120_000);
  const viewer = await openCachedBanking(browser_, sandbox.url);
  const chooser = viewer.getByRole('dialog', { name: 'Import into AI for Process', exact: true });
  await expect(chooser.getByLabel('Platform')).toHaveValue(sandbox.url);
  await expect(chooser.getByLabel('A new workflow')).toBeChecked();
  await chooser.getByRole('button', { name: 'Check the package' }).click();

  const dialog = viewer.getByRole('dialog', { name: 'Porter: Import into AI for Process' });
  // The account already has "Banking Assistant": said before sending, with a free name proposed.
  await expect(dialog).toContainText('"Banking Assistant" is already taken in this account');
  await expect(dialog.getByLabel('New workflow name')).toHaveValue('Banking Assistant (2)');
  await dialog.getByRole('button', { name: 'Import' }).click();
  await expect(dialog.getByText('Imported as the new workflow "Banking Assistant (2)".')).toBeVisible({
    timeout: 60_000,
  });

  const api = await apiAs(sandbox.url, 'owner@sandbox.test');
  const names = (await api.workflows()).map((workflow) => workflow.name);
  expect(names.filter((name) => name === 'Banking Assistant (2)')).toHaveLength(1);
});

test('a cached package is imported as a new version of a workflow picked from the account', async ({
  browser_,
  sandbox,
}) => {
  test.setTimeout(120_000);
  const api = await apiAs(sandbox.url, 'owner@sandbox.test');
  const banking = WORKFLOWS.banking.id;
  const before = await api.get<Details>(`/api/workflows/${banking}`);

  const viewer = await openCachedBanking(browser_, sandbox.url);
  const chooser = viewer.getByRole('dialog', { name: 'Import into AI for Process', exact: true });
  await chooser.getByLabel('A new version of a workflow').check();
  await chooser.getByLabel('Workflow', { exact: true }).selectOption(banking);
  await chooser.getByRole('button', { name: 'Check the package' }).click();

  const dialog = viewer.getByRole('dialog', { name: 'Porter: Import into AI for Process' });
  const backup = dialog.getByRole('checkbox', { name: 'Back up your current workflow' });
  await expect(backup).toBeChecked();
  await backup.uncheck();
  await dialog.getByRole('button', { name: 'Import' }).click();
  await expect(
    dialog.getByText('Imported as a new in-development version of "Banking Assistant".'),
  ).toBeVisible({ timeout: 60_000 });

  const after = await api.get<Details>(`/api/workflows/${banking}`);
  expect(after.versions).toHaveLength(before.versions.length + 1);
  expect(after.workflow.inDevelopmentVersionId).not.toBe(before.workflow.inDevelopmentVersionId);
});
