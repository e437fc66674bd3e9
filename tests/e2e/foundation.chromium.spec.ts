// Chromium only: the service worker is Chrome's, and Firefox 153's WebDriver BiDi cannot emulate a dark colour scheme.
import { test, expect, openAsEditor, exportPanel } from './fixtures';
import { WORKFLOWS } from '../sandbox/seed';

test('the built extension loads and its service worker starts', async ({ browser_ }) => {
  const { worker } = browser_;
  expect(worker.url()).toMatch(/^chrome-extension:\/\/[a-p]{32}\/background\.js$/);
  expect(await worker.evaluate(() => chrome.runtime.getManifest().name)).toBe('AFP Porter');
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
