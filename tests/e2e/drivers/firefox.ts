/**
 * The Firefox driver: Debian's Firefox ESR driven by puppeteer-core over WebDriver BiDi, with the built extension
 * (`npm run build:firefox`) installed as a temporary add-on.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';
import puppeteer, { type ElementHandle, type Page } from 'puppeteer-core';
import { findFirefox, FIREFOX_HELP } from '../../../scripts/firefox.mjs';
import { ON_PREM_HOST, type ExtensionBrowser, type Tab } from './driver';
import { BrowserTab, fileParts, type PageLike } from './tab';
import { savedFiles } from './downloads';
import { until, waitFor } from './wait';

export const FIREFOX_EXTENSION_DIR = path.resolve('.output/firefox-mv3');
const DEBUGGING = 'about:debugging#/runtime/this-firefox';

/** A tab the extension opened reports `about:blank` to Puppeteer while its page is `moz-extension://…`: ask the page. */
async function pageUrl(page: Page): Promise<string> {
  return page.evaluate(() => location.href).catch(() => page.url());
}

/**
 * Firefox navigates a driven tab to `moz-extension://` and `about:` pages but never reports their load, so Puppeteer's
 * goto waits forever: ask for the navigation without waiting (BiDi's `wait: none`), then wait for the page itself.
 */
async function openPrivileged(page: Page, url: string): Promise<void> {
  const frame = page.mainFrame() as unknown as {
    browsingContext: { navigate(url: string, wait: 'none'): Promise<unknown> };
  };
  await frame.browsingContext.navigate(url, 'none');
  await until(
    () =>
      page
        .evaluate((wanted) => location.href === wanted && document.readyState === 'complete', url)
        .catch(() => false),
    `Firefox did not open ${url}`,
  );
}

function addonId(): string {
  const manifest = JSON.parse(readFileSync(path.join(FIREFOX_EXTENSION_DIR, 'manifest.json'), 'utf8')) as {
    browser_specific_settings: { gecko: { id: string } };
  };
  return manifest.browser_specific_settings.gecko.id;
}

export async function launchFirefox(): Promise<ExtensionBrowser> {
  const executablePath = findFirefox();
  if (!executablePath) throw new Error(FIREFOX_HELP);
  const downloadDir = mkdtempSync(path.join(tmpdir(), 'porter-downloads-'));
  const uploadDir = mkdtempSync(path.join(tmpdir(), 'porter-uploads-'));
  // The extension's origin, chosen here rather than at random by Firefox, so that its pages can be opened by address.
  const uuid = randomUUID();
  const origin = `moz-extension://${uuid}`;
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath,
    headless: true,
    // Firefox 153.8 ESR lets WebDriver BiDi navigate to privileged pages (moz-extension:, about:debugging) only
    // when system access is allowed (its --remote-allow-system-access, as this variable); older ones ignore it.
    env: { ...process.env, MOZ_REMOTE_ALLOW_SYSTEM_ACCESS: '1' },
    extraPrefsFirefox: {
      // Host permissions are granted at install only while this holds; without them no content script runs.
      'extensions.originControls.grantByDefault': true,
      'extensions.webextensions.uuids': JSON.stringify({ [addonId()]: uuid }),
      // permissions.request is granted with no prompt (a headless Firefox shows none); the on-premises host is
      // resolved to this machine.
      'extensions.webextOptionalPermissionPrompts': false,
      'network.dns.localDomains': ON_PREM_HOST,
      'browser.download.dir': downloadDir,
      'browser.download.folderList': 2,
      'browser.download.useDownloadDir': true,
      'browser.download.start_downloads_in_tmp_dir': false,
      'browser.download.always_ask_before_handling_new_types': false,
    },
  });
  try {
    await browser.installExtension(FIREFOX_EXTENSION_DIR);
  } catch (error) {
    await browser.close();
    throw new Error(
      `Firefox did not install ${FIREFOX_EXTENSION_DIR} (run \`npm run build:firefox:sandbox\`)`,
      {
        cause: error,
      },
    );
  }
  const tabFor = (page: Page): Tab =>
    new BrowserTab<ElementHandle>(page as unknown as PageLike<ElementHandle>, {
      goto: async (url) => {
        if (/^(moz-extension|about):/.test(url)) await openPrivileged(page, url);
        else await page.goto(url);
      },
      url: () => pageUrl(page),
      typeInto: async (element, value) => {
        // Cleared as a user clears it (select all, delete): an input event, so the page sees an emptied field too.
        await element.evaluate((field) => {
          (field as HTMLInputElement).value = '';
          field.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
        });
        await element.type(value);
      },
      choose: async (element, files) => {
        // Puppeteer hands the browser paths: each file is written out under its own name first.
        const paths = files.map(fileParts).map(({ name, bytes }) => {
          const file = path.join(mkdtempSync(path.join(uploadDir, 'file-')), name);
          writeFileSync(file, bytes);
          return file;
        });
        await (element as ElementHandle<HTMLInputElement>).uploadFile(...paths);
      },
    });
  const [first] = await browser.pages();
  const openPage = async (url: string) => {
    const page = await browser.newPage();
    await openPrivileged(page, url);
    return page;
  };
  return {
    engine: 'firefox',
    tab: tabFor(first ?? (await browser.newPage())),
    newTab: async () => tabFor(await browser.newPage()),
    openTabs: async () => Promise.all((await browser.pages()).map(pageUrl)),
    waitForTab: async (url) =>
      tabFor(
        await waitFor(
          (at) => url.test(at),
          () => browser.pages(),
          pageUrl,
        ),
      ),
    openExtensionPage: async (file) => tabFor(await openPage(`${origin}/${file}`)),
    stopBackground: async () => {
      // The event page is stopped as about:debugging's "Terminate background script" does when Firefox idles it out.
      const debugging = tabFor(await openPage(DEBUGGING));
      const terminate = { role: 'button', name: 'Terminate background script' } as const;
      const status = (state: RegExp) => async () =>
        (await debugging.count({ role: 'text', name: state })) > 0;
      await until(
        async () => (await status(/^Running$/)()) || status(/^Stopped$/)(),
        'about:debugging shows no add-on',
      );
      if ((await debugging.count(terminate)) > 0) await debugging.click(terminate);
      await until(status(/^Stopped$/), 'Firefox did not stop the background script');
      await debugging.close();
    },
    // Every request is granted without a prompt already, by the pref set at launch.
    allowPermissionRequest: async () => undefined,
    downloads: async () => savedFiles(downloadDir),
    cookies: () => browser.cookies(),
    clearCookies: async () => {
      const cookies = await browser.cookies();
      if (cookies.length > 0) await browser.deleteCookie(...cookies);
    },
    close: () => browser.close(),
  };
}
