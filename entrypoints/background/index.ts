/**
 * The worker: wires browser APIs to the router and the export jobs in lib/. No logic of its own lives here.
 */
import { PorterDatabase } from '../../lib/store/db';
import { fingerprintKey, settingsStore } from '../../lib/store/settings';
import { createSessionClient } from '../../lib/platform/session-client';
import { createFallbackFetch, type Route } from '../../lib/worker/transport';
import { handleMessage, type RouterDeps } from '../../lib/worker/router';
import { cancelExportsOfClosedTab, isAnyExportRunning, resumeExportJobs } from '../../lib/jobs/export-job';
import { proxyResponseSchema, workerRequestSchema, type TabMessage } from '../../lib/messages';
import { grantedHostsSync } from '../../lib/worker/granted-hosts';
import { isOriginGranted } from '../../lib/hosts';
import { createDownloadPort } from './downloads';

/** Extension API calls reset the worker's idle timer; a long export keeps itself alive this way. */
const KEEP_ALIVE_MS = 20_000;

export default defineBackground(() => {
  const db = new PorterDatabase();
  const routes = new Map<string, Route>();
  const settings = settingsStore();

  const viaPage =
    (tabId: number) => async (request: Omit<Extract<TabMessage, { type: 'proxy:fetch' }>, 'type'>) => {
      const answer = proxyResponseSchema.safeParse(
        await browser.tabs.sendMessage(tabId, { type: 'proxy:fetch', ...request }),
      );
      if (!answer.success) throw new TypeError('The page could not make the request.');
      return answer.data;
    };

  const deps: RouterDeps = {
    db,
    extensionId: browser.runtime.id,
    extensionOrigin: new URL(browser.runtime.getURL('/')).origin,
    clientFor: (origin, tabId) =>
      createSessionClient({
        baseUrl: origin,
        fetch: createFallbackFetch({
          origin,
          direct: (input, init) => fetch(input, init),
          viaPage: tabId === null ? null : viaPage(tabId),
          routes,
        }),
      }),
    downloads: createDownloadPort(db),
    notify: (job, tabId) => {
      if (tabId !== null) browser.tabs.sendMessage(tabId, { type: 'job:update', job }).catch(() => undefined);
    },
    fingerprintKey: () => fingerprintKey(settings),
    isOriginAllowed: (origin) => isOriginGranted(origin, (query) => browser.permissions.contains(query)),
    openViewer: async (packageId) => {
      const hash = packageId ? `#/package/${encodeURIComponent(packageId)}` : '';
      await browser.tabs.create({ url: `${browser.runtime.getURL('/viewer.html')}${hash}` });
    },
  };

  browser.runtime.onMessage.addListener(
    (message: unknown, sender, sendResponse: (answer: unknown) => void) => {
      if (!workerRequestSchema.safeParse(message).success) return undefined;
      void handleMessage(message, { id: sender.id, url: sender.url, tabId: sender.tab?.id }, deps).then(
        sendResponse,
      );
      return true;
    },
  );

  const registerGrantedHosts = grantedHostsSync({
    scripting: browser.scripting,
    grantedOrigins: async () => (await browser.permissions.getAll()).origins ?? [],
    declaredMatches:
      browser.runtime.getManifest().content_scripts?.flatMap((script) => script.matches ?? []) ?? [],
    contentScript: 'content-scripts/configurations.js',
  });
  const syncGrantedHosts = () => void registerGrantedHosts().catch(() => undefined);
  browser.permissions.onAdded.addListener(syncGrantedHosts);
  browser.permissions.onRemoved.addListener(syncGrantedHosts);
  browser.runtime.onInstalled.addListener(syncGrantedHosts);

  browser.tabs.onRemoved.addListener(
    (tabId) => void cancelExportsOfClosedTab(deps, tabId).catch(() => undefined),
  );

  setInterval(() => {
    if (isAnyExportRunning()) void browser.runtime.getPlatformInfo();
  }, KEEP_ALIVE_MS);

  void resumeExportJobs(deps);
});
