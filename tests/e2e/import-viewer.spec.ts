/**
 * The package viewer's "Import into AI for Process…": a cached package goes back into the platform it came from,
 * as a new workflow or as a new version of a workflow picked from that account's list, through the same dialog
 * and job as the platform's own pages. The sandbox listens on a port, so in Firefox this is also the check that the
 * viewer finds its platform the way Firefox answers permission questions (no port in a pattern).
 */
import { test, expect } from './fixtures';
import type { ExtensionBrowser, Tab, Target } from './drivers/driver';
import { WORKFLOWS } from '../sandbox/seed';
import { apiAs } from './import-steps';
import { exactly, exportWithPanel, login, reads, shows } from './steps';

interface Details {
  workflow: { inDevelopmentVersionId: string | null };
  versions: { id: string; name: string; state: string }[];
}

const CHOOSER: Target = { role: 'dialog', name: exactly('Import into AI for Process') };
const DIALOG: Target = { role: 'dialog', name: 'Porter: Import into AI for Process' };
const inChooser = (role: Target['role'], name: string | RegExp): Target => ({ role, name, within: CHOOSER });
const inDialog = (role: Target['role'], name: string | RegExp): Target => ({ role, name, within: DIALOG });

/** Exports Banking Assistant with the panel, opens its cached package in the viewer and asks to import it. */
async function openCachedBanking(driver: ExtensionBrowser, sandboxUrl: string): Promise<Tab> {
  await login(driver.tab, sandboxUrl, 'owner@sandbox.test');
  await exportWithPanel(driver, sandboxUrl, WORKFLOWS.banking.id);
  const viewer = await driver.openExtensionPage('viewer.html');
  await viewer.click({
    role: 'button',
    name: 'Open',
    within: {
      role: 'listitem',
      name: /Banking Assistant/,
      within: { role: 'list', name: 'Cached packages' },
    },
  });
  await expect
    .poll(() => viewer.evaluate(() => document.title, undefined))
    .toMatch(/^Banking Assistant .* · Overview · AFP Porter$/);
  await viewer.click({ role: 'button', name: 'Import into AI for Process…' });
  await shows(viewer, CHOOSER, 1);
  return viewer;
}

test('a cached package is imported as a new workflow into the platform it came from', async ({
  driver,
  sandbox,
}) => {
  test.setTimeout(120_000);
  const viewer = await openCachedBanking(driver, sandbox.url);
  expect(await viewer.value(inChooser('combobox', 'Platform'))).toBe(sandbox.url);
  expect(await viewer.checked(inChooser('radio', 'A new workflow'))).toBe(true);
  await viewer.click(inChooser('button', 'Check the package'));

  // The account already has "Banking Assistant": said before sending, with a free name proposed.
  await reads(viewer, DIALOG, /"Banking Assistant" is already taken in this account/, 30_000);
  expect(await viewer.value(inDialog('textbox', 'New workflow name'))).toBe('Banking Assistant (2)');
  await viewer.click(inDialog('button', exactly('Import')));
  await reads(viewer, DIALOG, /Imported as the new workflow "Banking Assistant \(2\)"\./, 60_000);

  const api = await apiAs(sandbox.url, 'owner@sandbox.test');
  const names = (await api.workflows()).map((workflow) => workflow.name);
  expect(names.filter((name) => name === 'Banking Assistant (2)')).toHaveLength(1);
});

test('a cached package is imported as a new version of a workflow picked from the account', async ({
  driver,
  sandbox,
}) => {
  test.setTimeout(120_000);
  const api = await apiAs(sandbox.url, 'owner@sandbox.test');
  const banking = WORKFLOWS.banking.id;
  const before = await api.get<Details>(`/api/workflows/${banking}`);

  const viewer = await openCachedBanking(driver, sandbox.url);
  await viewer.check(inChooser('radio', 'A new version of a workflow'));
  await shows(viewer, inChooser('combobox', exactly('Workflow')), 1);
  await viewer.select(inChooser('combobox', exactly('Workflow')), /^Banking Assistant \(/);
  await viewer.click(inChooser('button', 'Check the package'));

  const backup = inDialog('checkbox', 'Back up your current workflow');
  await shows(viewer, backup, 1, 30_000);
  expect(await viewer.checked(backup)).toBe(true);
  await viewer.check(backup, false);
  await viewer.click(inDialog('button', exactly('Import')));
  await reads(viewer, DIALOG, /Imported as a new in-development version of "Banking Assistant"\./, 60_000);

  const after = await api.get<Details>(`/api/workflows/${banking}`);
  expect(after.versions).toHaveLength(before.versions.length + 1);
  expect(after.workflow.inDevelopmentVersionId).not.toBe(before.workflow.inDevelopmentVersionId);
});
