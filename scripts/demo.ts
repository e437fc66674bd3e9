/**
 * The headless tour behind `npm run demo` (and `npm start` without a display): what a user does, with screenshots.
 * Log in, open Banking Assistant, export its deployed version with the Porter panel, open the package in the viewer.
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

  const viewerOpened = browser.context.waitForEvent('page');
  await panel.getByRole('link', { name: 'Open in the package viewer' }).click();
  const viewer = await viewerOpened;
  await viewer.setViewportSize({ width: 1280, height: 900 });
  await viewer.getByRole('heading', { name: /What was redacted/ }).waitFor();
  await viewer.screenshot({ path: shot('05-viewer.png'), fullPage: true });
  say('the viewer shows the cached package and what was redacted: 05-viewer.png');

  writeFileSync(path.join(out, 'README.txt'), `AFP Porter demo, ${new Date().toISOString()}\n${status}\n`);
  console.log(`\nDemo complete: see ${out}`);
} finally {
  await browser.context.close();
  await sandbox.close();
}
