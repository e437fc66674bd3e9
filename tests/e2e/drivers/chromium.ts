/** The Chromium driver: Playwright, with the built extension loaded as `browser.ts` launches it. */
import type { ElementHandle, Page } from '@playwright/test';
import { launchWithExtension } from '../browser';
import type { ExtensionBrowser, Tab } from './driver';
import { BrowserTab, type PageLike } from './tab';
import { savedFiles } from './downloads';
import { waitFor } from './wait';

export async function launchChromium(): Promise<ExtensionBrowser> {
  const { context, page, extensionId, downloadDir } = await launchWithExtension();
  const tabFor = (opened: Page): Tab =>
    new BrowserTab<ElementHandle>(opened as unknown as PageLike<ElementHandle>, {
      url: async () => opened.url(),
      typeInto: (element, value) => element.fill(value),
    });
  return {
    engine: 'chromium',
    tab: tabFor(page),
    newTab: async () => tabFor(await context.newPage()),
    openTabs: async () => context.pages().map((open) => open.url()),
    waitForTab: async (url) =>
      tabFor(
        await waitFor(
          (at) => url.test(at),
          async () => context.pages(),
          async (page) => page.url(),
        ),
      ),
    openExtensionPage: async (file) => {
      const opened = await context.newPage();
      await opened.goto(`chrome-extension://${extensionId}/${file}`);
      return tabFor(opened);
    },
    downloads: async () => savedFiles(downloadDir),
    cookies: () => context.cookies(),
    clearCookies: () => context.clearCookies(),
    close: () => context.close(),
  };
}
