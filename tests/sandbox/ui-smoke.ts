/**
 * Manual smoke check of the sandbox web UI in headless Chromium:
 *   npx tsx tests/sandbox/ui-smoke.ts [screenshot-dir]
 * Logs in, opens the dashboard and Banking Assistant's Configurations page, runs the native export and
 * checks the downloaded zip. Needs Chromium (CHROMIUM_PATH, default /usr/lib/chromium/chromium).
 */
import { chromium } from '@playwright/test';
import { unzipSync } from 'fflate';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startSandbox } from './server.ts';
import { SANDBOX_PASSWORD, USERS, WORKFLOWS } from './seed.ts';

const outDir = process.argv[2] ?? '/tmp';
const sandbox = await startSandbox({ port: 0 });
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/lib/chromium/chromium',
  headless: true,
});
try {
  const page = await browser.newPage({ acceptDownloads: true, viewport: { width: 1280, height: 900 } });
  await page.goto(`${sandbox.url}/workflows/${WORKFLOWS.banking.id}/configurations`);
  await page.waitForURL(/\/login\?next=/);
  await page.getByLabel('Email').fill(USERS.owner.email);
  await page.getByLabel('Password').fill(SANDBOX_PASSWORD);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByRole('heading', { name: 'Configurations' }).waitFor();
  console.log('after login:', new URL(page.url()).pathname);

  await page.getByRole('link', { name: 'Workflows', exact: true }).click();
  await page.getByRole('heading', { name: 'Workflows' }).waitFor();
  await page.getByRole('link', { name: WORKFLOWS.onboarding.name }).waitFor();
  await page.screenshot({ path: join(outDir, 'sandbox-dashboard.png') });

  await page.getByRole('link', { name: 'Banking Assistant' }).click();
  const nav = page.getByRole('navigation', { name: 'Workflow' });
  await nav.getByRole('link', { name: 'Configurations' }).click();
  await page.getByRole('heading', { name: 'Export workflow' }).waitFor();
  const headings = await page.locator('main section > h2').allTextContents();
  console.log('sections:', headings.join(' | '));
  const current = await nav.locator('a[aria-current="page"]').textContent();
  console.log('aria-current:', current);
  const exportSection = page.locator('section', {
    has: page.getByRole('heading', { name: 'Export workflow' }),
  });
  console.log(
    'default version:',
    await exportSection.getByLabel('Version').locator('option:checked').textContent(),
  );

  const downloadPromise = page.waitForEvent('download');
  await exportSection.getByRole('button', { name: 'Export' }).click();
  const download = await downloadPromise;
  const path = join(outDir, download.suggestedFilename());
  await download.saveAs(path);
  const files = Object.keys(unzipSync(new Uint8Array(readFileSync(path))));
  console.log('download:', download.suggestedFilename(), files.join(', '));
  await exportSection.getByText('Workflow exported successfully').waitFor();
  await page.screenshot({ path: join(outDir, 'sandbox-configurations.png'), fullPage: true });

  // History navigation: the page is not reloaded.
  await page.evaluate(() => ((window as unknown as { smokeMarker: number }).smokeMarker = 1));
  await nav.getByRole('link', { name: 'Audit logs' }).click();
  await page.getByRole('heading', { name: 'Audit logs', level: 1 }).waitFor();
  await nav.getByRole('link', { name: 'Configurations' }).click();
  await page.getByRole('heading', { name: 'Export workflow' }).waitFor();
  console.log(
    'no reload:',
    await page.evaluate(() => (window as unknown as { smokeMarker?: number }).smokeMarker === 1),
  );

  // Import as a version through the native dialog, with the files of the export.
  const zip = unzipSync(new Uint8Array(readFileSync(path)));
  const part = (name: string) => ({ name, mimeType: 'application/json', buffer: Buffer.from(zip[name]!) });
  const importSection = page.locator('section', {
    has: page.getByRole('heading', { name: 'Import a workflow' }),
  });
  await importSection.getByRole('button', { name: 'Import' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('Flow definition file').setInputFiles(part('flow_definition.json'));
  await dialog.getByLabel('App definition file').setInputFiles(part('app_definition.json'));
  await dialog.getByLabel('Environment variable file').setInputFiles(part('env_variables.json'));
  await dialog.getByText('Conflicting variables').waitFor();
  await page.screenshot({ path: join(outDir, 'sandbox-import-dialog.png') });
  await dialog.getByRole('button', { name: 'Import' }).click();
  await dialog.getByText('The imported version was added').waitFor();
  console.log('import as version:', (await dialog.getByRole('status').textContent())?.replace(/\s+/g, ' '));
  await dialog.getByRole('button', { name: 'Done' }).click();
  console.log(
    'versions now:',
    (await exportSection.getByLabel('Version').locator('option').allTextContents()).join(' | '),
  );

  // Dashboard import as a new workflow.
  await page.getByRole('link', { name: 'Workflows', exact: true }).click();
  await page.getByRole('button', { name: 'Import a workflow' }).click();
  const newDialog = page.getByRole('dialog');
  await newDialog.getByLabel('Workflow Name').fill('Banking copy');
  await newDialog.getByLabel('Flow definition file').setInputFiles(part('flow_definition.json'));
  await newDialog.getByLabel('App definition file').setInputFiles(part('app_definition.json'));
  await newDialog.getByRole('button', { name: 'Import' }).click();
  await newDialog.getByText('Workflow imported successfully').waitFor();
  await newDialog.getByRole('link', { name: 'Go to workflow' }).click();
  await page.getByRole('heading', { name: 'Workflow', level: 1 }).waitFor();
  console.log('imported workflow page:', new URL(page.url()).pathname);

  // A viewer sees disabled buttons.
  await page.getByRole('button', { name: 'Log out' }).click();
  await page.getByLabel('Email').fill(USERS.viewer.email);
  await page.getByLabel('Password').fill(SANDBOX_PASSWORD);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByRole('heading', { name: 'Workflows' }).waitFor();
  await page.goto(`${sandbox.url}/workflows/${WORKFLOWS.banking.id}/configurations`);
  await page.getByRole('heading', { name: 'Export workflow' }).waitFor();
  const viewerExport = page.locator('section', {
    has: page.getByRole('heading', { name: 'Export workflow' }),
  });
  console.log(
    'viewer export disabled:',
    await viewerExport.getByRole('button', { name: 'Export' }).isDisabled(),
  );
  await page.screenshot({ path: join(outDir, 'sandbox-viewer.png'), fullPage: true });
  console.log('UI smoke OK');
} finally {
  await browser.close();
  await sandbox.close();
}
