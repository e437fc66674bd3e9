/**
 * The headless tour behind `npm run demo` (and `npm start` without a display): what a user does, with screenshots.
 * Log in, open Banking Assistant, export its deployed version and v3 with the Porter panel, look at the popup, then
 * tour the viewer's Overview, Flow, Files, Redactions and Compare; last, bring the package back as a new workflow
 * through the Workflows dashboard's import dialog (its preview, then the import).
 * Everything lands in demo-output/.
 */
import { mkdirSync, copyFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { startSandbox } from '../tests/sandbox/server';
import { completedDownloads, exportPanel, launchWithExtension, login } from '../tests/e2e/browser';

const out = path.resolve('demo-output');
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const shot = (name: string) => path.join(out, name);
const say = (line: string) => console.log(`• ${line}`);

const sandbox = await startSandbox({ port: 0 });
say(`sandbox at ${sandbox.url}`);
const browser = await launchWithExtension();
const { page, worker } = browser;
try {
  say(`extension loaded (id ${browser.extensionId}), its worker is running`);

  await page.setViewportSize({ width: 1280, height: 900 });
  await login(page, sandbox.url, 'editor@sandbox.test');
  await page.screenshot({ path: shot('01-workflows.png') });
  say('logged in as editor@sandbox.test: 01-workflows.png');

  await page.getByRole('link', { name: 'Banking Assistant' }).click();
  await page
    .getByRole('navigation', { name: 'Workflow' })
    .getByRole('link', { name: 'Configurations' })
    .click();
  const panel = exportPanel(page);
  await panel.getByRole('button', { name: 'Export' }).waitFor();
  await panel.scrollIntoViewIfNeeded();
  await page.screenshot({ path: shot('02-configurations-with-panel.png'), fullPage: true });
  say('Banking Assistant › Configurations shows the Porter panel: 02-configurations-with-panel.png');

  await panel.getByRole('button', { name: 'Export' }).click();
  await panel.getByRole('button', { name: 'Yes, I will take care' }).waitFor();
  await panel.screenshot({ path: shot('03-dependency-check.png') });
  say('the dependency check lists what the target account needs: 03-dependency-check.png');

  await panel.getByRole('button', { name: 'Yes, I will take care' }).click();
  await panel.getByText(/items? (was|were) redacted/).waitFor({ timeout: 60_000 });
  await panel.screenshot({ path: shot('04-export-done.png') });
  // `npm run demo -- --docs` refreshes the README's screenshots.
  if (process.argv.includes('--docs')) {
    copyFileSync(shot('03-dependency-check.png'), path.resolve('docs/images/dependency-check.png'));
    copyFileSync(shot('04-export-done.png'), path.resolve('docs/images/export-panel.png'));
  }
  const status = (await panel.getByRole('status').last().innerText()).replace(/\s+/g, ' ');
  say(`export finished: ${status} (04-export-done.png)`);

  const [download] = await completedDownloads(worker);
  if (!download) throw new Error('The browser reports no completed download.');
  copyFileSync(download.filename, path.join(out, path.basename(download.filename)));
  say(`the package is in demo-output/${path.basename(download.filename)} (${download.fileSize} bytes)`);

  // A second version, so the library has something to compare.
  const version = panel.getByRole('combobox', { name: 'Version' });
  await version.selectOption(
    (await version.locator('option', { hasText: 'v3 fraud checks' }).getAttribute('value'))!,
  );
  await panel.getByRole('button', { name: 'Export' }).click();
  await panel.getByRole('button', { name: 'Yes, I will take care' }).click();
  await panel.getByText(/items? (was|were) redacted/).waitFor({ timeout: 60_000 });
  say('exported v3 fraud checks too');

  const popup = await browser.context.newPage();
  await popup.setViewportSize({ width: 420, height: 560 });
  await popup.goto(`chrome-extension://${browser.extensionId}/popup.html`);
  await popup.locator('.entry').first().waitFor();
  await popup.screenshot({ path: shot('05-popup.png') });
  say(
    'the toolbar popup lists every cached package, searchable, to download again, open or delete: 05-popup.png',
  );

  const viewerOpened = browser.context.waitForEvent('page');
  await panel.getByRole('link', { name: 'Open in the package viewer' }).click();
  const viewer = await viewerOpened;
  await viewer.setViewportSize({ width: 1280, height: 900 });
  const tour: [string, string, string][] = [
    ['Overview', '06-viewer-overview.png', 'what the package holds and what to fill in after import'],
    ['Flow', '07-viewer-flow.png', 'the flow laid out by ELK; find and select a node'],
    ['Files', '08-viewer-files.png', 'each file formatted, searchable, copyable'],
    ['Redactions', '09-viewer-redactions.png', 'every removal with its node, and what was left out'],
  ];
  for (const [view, file, what] of tour) {
    await viewer.getByRole('link', { name: view, exact: true }).click();
    if (view === 'Flow') {
      await viewer.waitForFunction(() =>
        (document.documentElement.dataset.flowLayout ?? '').startsWith('elk:'),
      );
      await viewer.getByRole('searchbox', { name: 'Find a node' }).fill('API0002');
      await viewer.getByRole('list', { name: 'Nodes found' }).getByRole('button').first().click();
    }
    await viewer.waitForTimeout(300);
    await viewer.screenshot({ path: shot(file) });
    say(`viewer, ${view}: ${what}: ${file}`);
  }
  await viewer.getByRole('link', { name: 'Compare', exact: true }).click();
  const compare = viewer.getByRole('combobox', { name: 'Compare with' });
  await compare.selectOption({ index: 1 });
  await viewer.getByTestId('compare-summary').waitFor();
  await viewer.screenshot({ path: shot('10-viewer-compare.png') });
  say(
    `viewer, Compare: ${(await viewer.getByTestId('compare-summary').innerText()).trim()} (10-viewer-compare.png)`,
  );

  await page.bringToFront();
  await page.goto(`${sandbox.url}/workflows`);
  const importEntry = page.getByRole('region', { name: 'Porter: Import package' });
  await importEntry.getByRole('button', { name: 'Import package' }).click();
  const importDialog = page.getByRole('dialog', { name: 'Porter: Import package' });
  await importDialog.locator('input[type="file"]').setInputFiles(download.filename);
  await importDialog.getByRole('heading', { name: 'What will happen' }).waitFor({ timeout: 60_000 });
  await importDialog.screenshot({ path: shot('11-import-preview.png') });
  if (process.argv.includes('--docs')) {
    copyFileSync(shot('11-import-preview.png'), path.resolve('docs/images/import-preview.png'));
  }
  say(
    'the import dialog checks the package and shows what will happen before anything is sent: 11-import-preview.png',
  );
  await importDialog.getByRole('button', { name: 'Import' }).click();
  const imported = importDialog.getByText(/Imported as the new workflow/);
  await imported.waitFor({ timeout: 60_000 });
  await importDialog.screenshot({ path: shot('12-import-done.png') });
  say(`${(await imported.innerText()).trim()} (12-import-done.png)`);

  writeFileSync(path.join(out, 'README.txt'), `AFP Porter demo, ${new Date().toISOString()}\n${status}\n`);
  console.log(`\nDemo complete: see ${out}`);
} finally {
  await browser.context.close();
  await sandbox.close();
}
