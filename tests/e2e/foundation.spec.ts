import { test, expect, login, openAsEditor, exportPanel } from './fixtures';
import { WORKFLOWS } from '../sandbox/seed';

test('the built extension loads, its worker starts, and the panel appears on Configurations only', async ({
  browser_,
  sandbox,
}) => {
  const { page, worker } = browser_;
  expect(worker.url()).toMatch(/^chrome-extension:\/\/[a-p]{32}\/background\.js$/);
  expect(await worker.evaluate(() => chrome.runtime.getManifest().name)).toBe('AFP Porter');

  await login(page, sandbox.url, 'editor@sandbox.test');
  await expect(exportPanel(page)).toHaveCount(0);

  // In-app navigation: dashboard → workflow page → Configurations, with no full reload.
  await page.evaluate(() => ((window as unknown as { __marker: number }).__marker = 42));
  await page.getByRole('link', { name: 'Banking Assistant' }).click();
  const nav = page.getByRole('navigation', { name: 'Workflow' });
  await nav.getByRole('link', { name: 'Audit logs' }).click();
  await expect(exportPanel(page)).toHaveCount(0);
  await nav.getByRole('link', { name: 'Configurations' }).click();
  await expect(page).toHaveURL(new RegExp(`/workflows/${WORKFLOWS.banking.id}/configurations$`));
  await expect(exportPanel(page)).toBeVisible();
  await expect(exportPanel(page).getByRole('combobox', { name: 'Version' })).toBeVisible();
  expect(await page.evaluate(() => (window as unknown as { __marker?: number }).__marker)).toBe(42);

  // The page as the contract draws it: one navigation, whose current item is Configurations, and seven sections.
  await expect(page.getByRole('navigation')).toHaveCount(1);
  await expect(page.locator('[aria-current="page"]')).toHaveText('Configurations');
  await expect(page.locator('main section > h2')).toHaveText([
    'General details',
    'Setup sync/async',
    'Manage environment variables',
    'Import a workflow',
    'Export workflow',
    'Proceed to undeploy',
    'Proceed to delete',
  ]);

  // The panel sits right after the product's own "Export workflow" section.
  const follows = await page.evaluate(() => {
    const heading = [...document.querySelectorAll('h2')].find((h) => h.textContent === 'Export workflow');
    return heading?.closest('section')?.nextElementSibling?.tagName.toLowerCase();
  });
  expect(follows).toBe('porter-export-panel');

  // Away and back again: still exactly one panel, and none elsewhere.
  for (let round = 0; round < 3; round++) {
    await nav.getByRole('link', { name: 'Workflow endpoint' }).click();
    await expect(exportPanel(page)).toHaveCount(0);
    await nav.getByRole('link', { name: 'Configurations' }).click();
    await expect(exportPanel(page)).toHaveCount(1);
  }
  await page.goBack();
  await expect(exportPanel(page)).toHaveCount(0);
  await page.goForward();
  await expect(exportPanel(page)).toHaveCount(1);
  expect(await page.locator('porter-export-panel').count()).toBe(1);
  expect(await page.evaluate(() => (window as unknown as { __marker?: number }).__marker)).toBe(42);
});

test('another workflow’s Configurations page gets its own panel with its own versions', async ({
  browser_,
  sandbox,
}) => {
  const { page } = browser_;
  await openAsEditor(page, sandbox.url, WORKFLOWS.banking.id);
  const version = exportPanel(page).getByRole('combobox', { name: 'Version' });
  await expect(version.locator('option')).toHaveCount(3);

  await page.goto(`${sandbox.url}/workflows/${WORKFLOWS.empty.id}/flow`);
  await page
    .getByRole('navigation', { name: 'Workflow' })
    .getByRole('link', { name: 'Configurations' })
    .click();
  await expect(version.locator('option')).toHaveCount(1);
  await expect(page.locator('porter-export-panel')).toHaveCount(1);
});

test('the panel takes the page’s look: light, then dark when the page turns dark', async ({
  browser_,
  sandbox,
}) => {
  const { page } = browser_;
  await openAsEditor(page, sandbox.url, WORKFLOWS.banking.id);
  const host = page.locator('porter-export-panel');
  await expect(exportPanel(page)).toBeVisible();
  await expect(host).toHaveAttribute('data-theme', 'light');
  const lightBackground = await exportPanel(page).evaluate((el) => getComputedStyle(el).backgroundColor);

  await page.emulateMedia({ colorScheme: 'dark' });
  await expect(host).toHaveAttribute('data-theme', 'dark');
  const darkBackground = await exportPanel(page).evaluate((el) => getComputedStyle(el).backgroundColor);
  expect(darkBackground).not.toBe(lightBackground);
  // The page's own font, not the browser default.
  const fonts = await page.evaluate(() => {
    const section = [...document.querySelectorAll('h2')]
      .find((h) => h.textContent === 'Export workflow')!
      .closest('section')!;
    const panel = document.querySelector('porter-export-panel')!.shadowRoot!.querySelector('.porter-panel')!;
    return [getComputedStyle(section).fontFamily, getComputedStyle(panel).fontFamily];
  });
  expect(fonts[1]).toBe(fonts[0]);
});
