/** The Chromium driver: Playwright, with the built extension loaded as `browser.ts` launches it. */
import type { BrowserContext, ElementHandle, Page } from '@playwright/test';
import { launchWithExtension } from '../browser';
import type { ExtensionBrowser, Tab } from './driver';
import { DriverTab } from './tab';
import type { WireTarget } from './locate';
import { savedFiles } from './downloads';
import { waitFor } from './wait';

class ChromiumTab extends DriverTab<ElementHandle> {
  constructor(readonly page: Page) {
    super();
  }
  async goto(url: string) {
    await this.page.goto(url);
  }
  async url() {
    return this.page.url();
  }
  async back() {
    await this.page.goBack();
  }
  async forward() {
    await this.page.goForward();
  }
  evaluate<R, A>(fn: (arg: A) => R | Promise<R>, arg: A): Promise<R> {
    return this.page.evaluate(fn as (arg: unknown) => R, arg as unknown);
  }
  async close() {
    await this.page.close();
  }
  protected async handleOf(fn: (target: WireTarget) => Element | null, target: WireTarget) {
    const handle = await this.page.evaluateHandle(fn, target);
    const element = handle.asElement();
    if (!element) await handle.dispose();
    return element as ElementHandle | null;
  }
  protected async typeInto(element: ElementHandle, value: string) {
    await element.fill(value);
  }
}

export async function launchChromium(): Promise<ExtensionBrowser & { context: BrowserContext }> {
  const { context, page, extensionId, downloadDir } = await launchWithExtension();
  const tabFor = (opened: Page): Tab => new ChromiumTab(opened);
  return {
    engine: 'chromium',
    context,
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
