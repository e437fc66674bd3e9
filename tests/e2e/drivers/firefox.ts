/**
 * The Firefox driver: Debian's Firefox ESR driven by puppeteer-core over WebDriver BiDi, with the built extension
 * (`npm run build:firefox`) installed as a temporary add-on.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import puppeteer, { type ElementHandle, type Page } from 'puppeteer-core';
import { findFirefox, FIREFOX_HELP } from '../../../scripts/firefox.mjs';
import type { ExtensionBrowser, Tab } from './driver';
import { BrowserTab, type PageLike } from './tab';
import { savedFiles } from './downloads';
import { waitFor } from './wait';

export const FIREFOX_EXTENSION_DIR = path.resolve('.output/firefox-mv3');

/** A tab the extension opened reports `about:blank` to Puppeteer while its page is `moz-extension://…`: ask the page. */
async function pageUrl(page: Page): Promise<string> {
  return page.evaluate(() => location.href).catch(() => page.url());
}

export async function launchFirefox(): Promise<ExtensionBrowser> {
  const executablePath = findFirefox();
  if (!executablePath) throw new Error(FIREFOX_HELP);
  const downloadDir = mkdtempSync(path.join(tmpdir(), 'porter-downloads-'));
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath,
    headless: true,
    extraPrefsFirefox: {
      // Host permissions are granted at install only while this holds; without them no content script runs.
      'extensions.originControls.grantByDefault': true,
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
      url: () => pageUrl(page),
      typeInto: async (element, value) => {
        await element.evaluate((field) => {
          (field as HTMLInputElement).value = '';
        });
        await element.type(value);
      },
    });
  const [first] = await browser.pages();
  const extensionPages = async () => {
    const pages = await browser.pages();
    const urls = await Promise.all(pages.map(pageUrl));
    return pages.filter((_page, index) => urls[index]!.startsWith('moz-extension:'));
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
    openExtensionPage: async (file) => {
      // BiDi may not navigate to moz-extension:// pages, but an extension page may open its siblings (with
      // tabs.create: Puppeteer does not see a window that window.open made).
      const [opener] = await extensionPages();
      if (!opener)
        throw new Error(`Firefox opens ${file} only from an extension page: open the viewer first`);
      const url = await opener.evaluate((name) => new URL(name, location.href).href, file);
      await opener.evaluate(async (address) => {
        const { tabs } = (
          globalThis as unknown as { chrome: { tabs: { create(p: { url: string }): Promise<unknown> } } }
        ).chrome;
        await tabs.create({ url: address });
      }, url);
      return tabFor(await waitFor((at) => at === url, extensionPages, pageUrl));
    },
    downloads: async () => savedFiles(downloadDir),
    cookies: () => browser.cookies(),
    clearCookies: async () => {
      const cookies = await browser.cookies();
      if (cookies.length > 0) await browser.deleteCookie(...cookies);
    },
    close: () => browser.close(),
  };
}
