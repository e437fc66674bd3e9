/** The Chromium driver: Playwright, with the built extension loaded as `browser.ts` launches it. */
import type { ElementHandle, Page } from '@playwright/test';
import { launchWithExtension } from '../browser';
import { ON_PREM_HOST, type ExtensionBrowser, type Tab } from './driver';
import { BrowserTab, fileParts, type PageLike } from './tab';
import { savedFiles } from './downloads';
import { waitFor } from './wait';

export async function launchChromium(): Promise<ExtensionBrowser> {
  const { context, page, extensionId, downloadDir } = await launchWithExtension({
    args: [`--host-resolver-rules=MAP ${ON_PREM_HOST} 127.0.0.1`],
  });
  const tabFor = (opened: Page): Tab =>
    new BrowserTab<ElementHandle>(opened as unknown as PageLike<ElementHandle>, {
      goto: async (url) => {
        await opened.goto(url);
      },
      url: async () => opened.url(),
      typeInto: (element, value) => element.fill(value),
      choose: (element, files) =>
        element.setInputFiles(
          files
            .map(fileParts)
            .map(({ name, bytes, mimeType }) => ({ name, mimeType, buffer: Buffer.from(bytes) })),
        ),
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
    stopBackground: async () => {
      // What Chrome does to an idle worker: the target closed, its state gone (DevTools' "Stop" does the same).
      const cdp = await context.newCDPSession(context.pages()[0] ?? (await context.newPage()));
      const { targetInfos } = (await cdp.send('Target.getTargets')) as {
        targetInfos: { targetId: string; type: string; url: string }[];
      };
      const worker = targetInfos.find(
        (target) =>
          target.type === 'service_worker' && target.url.startsWith(`chrome-extension://${extensionId}/`),
      );
      if (worker) await cdp.send('Target.closeTarget', { targetId: worker.targetId });
      await cdp.detach();
    },
    allowPermissionRequest: async (pattern) => {
      // Chrome asks again only for what the user never granted: the origin is granted as chrome://extensions' "Site
      // access" does, which for an optional host records the grant without activating it, until the extension asks.
      const extensions = await context.newPage();
      await extensions.goto('chrome://extensions');
      await extensions.evaluate(
        ([id, host]) =>
          (
            chrome as unknown as {
              developerPrivate: { addHostPermission(id: string, host: string): Promise<void> };
            }
          ).developerPrivate.addHostPermission(id, host),
        [extensionId, pattern] as const,
      );
      await extensions.close();
    },
    downloads: async () => savedFiles(downloadDir),
    cookies: () => context.cookies(),
    clearCookies: () => context.clearCookies(),
    close: () => context.close(),
  };
}
