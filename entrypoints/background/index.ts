/**
 * The worker: wires browser APIs to the router and the export jobs in lib/. No logic of its own lives here.
 */
import { PorterDatabase } from '../../lib/store/db';
import { fingerprintKey, settingsStore } from '../../lib/store/settings';
import { createSessionClient } from '../../lib/platform/session-client';
import { createFallbackFetch, type Route } from '../../lib/worker/transport';
import { handleMessage, type RouterDeps } from '../../lib/worker/router';
import { cancelExportsOfClosedTab, resumeExportJobs } from '../../lib/jobs/export-job';
import { resumeImportJobs } from '../../lib/jobs/import-job';
import { resumeBulkExports } from '../../lib/jobs/bulk-export-job';
import { isAnyJobRunning } from '../../lib/jobs/runner';
import { parseRequest, proxyResponseSchema, type BulkSnapshot, type TabMessage } from '../../lib/protocol';
import { grantedHostsSync } from '../../lib/worker/granted-hosts';
import { isOriginGranted } from '../../lib/hosts';
import { createDownloadPort } from './downloads';
import { createLayoutAhead } from './layout-ahead';

/**
 * The browser may stop the worker at any moment. While a job runs, an alarm wakes it (or keeps it busy) every
 * 30 s, the shortest period Chrome allows; each wake resumes whatever job lost its run, from its stored state.
 */
const JOB_ALARM = 'porter-jobs';
/**
 * A platform job is asked about at once, then after FIRST_POLL_MS, each wait a quarter longer than the last, up to
 * LAST_POLL_MS: at 0, 25, 56, 95, 144, 205, 281, 377, 496 ms…, then every 400 ms (the product's dialog: every
 * 200 ms). A job that ends within a few hundred ms (the sandbox's: 50–150 ms, then its work) is asked about every
 * 30–60 ms around its end, where waits growing by half (0, 50, 125, 237, 406 ms…) left gaps of 75–170 ms there;
 * a long job is asked every 400 ms, as before (docs/benchmarks.md, the import's third pass).
 */
const FIRST_POLL_MS = 25;
const LAST_POLL_MS = 400;
const JOB_ALARM_MINUTES = 0.5;

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

  const notifyBulk = (job: BulkSnapshot, tabId: number | null) => {
    watchJobs();
    if (tabId !== null) browser.tabs.sendMessage(tabId, { type: 'bulk:update', job }).catch(() => undefined);
  };

  const deps: RouterDeps = {
    db,
    extensionId: browser.runtime.id,
    extensionOrigin: new URL(browser.runtime.getURL('/')).origin,
    clientFor: (origin, tabId, signal) =>
      createSessionClient({
        baseUrl: origin,
        signal,
        // A job's status is asked for soon, then less and less often, in the end every LAST_POLL_MS.
        pollIntervalMs: FIRST_POLL_MS,
        pollMaxIntervalMs: LAST_POLL_MS,
        fetch: createFallbackFetch({
          origin,
          direct: (input, init) => fetch(input, init),
          viaPage: tabId === null ? null : viaPage(tabId),
          routes,
        }),
      }),
    downloads: createDownloadPort(db),
    layOutAhead: createLayoutAhead(),
    notify: (job, tabId) => {
      watchJobs();
      if (tabId !== null) browser.tabs.sendMessage(tabId, { type: 'job:update', job }).catch(() => undefined);
    },
    notifyImport: (job, tabId) => {
      watchJobs();
      if (tabId !== null)
        browser.tabs.sendMessage(tabId, { type: 'import:update', job }).catch(() => undefined);
    },
    notifyBulk,
    fingerprintKey: () => fingerprintKey(settings),
    isOriginAllowed: (origin) => isOriginGranted(origin, (query) => browser.permissions.contains(query)),
    openViewer: async (packageId) => {
      const hash = packageId ? `#/package/${encodeURIComponent(packageId)}` : '';
      await browser.tabs.create({ url: `${browser.runtime.getURL('/viewer.html')}${hash}` });
    },
  };

  browser.runtime.onMessage.addListener(
    (message: unknown, sender, sendResponse: (answer: unknown) => void) => {
      if (!parseRequest(message)) return undefined;
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

  const resumeAll = () =>
    Promise.all([
      resumeExportJobs(deps),
      resumeImportJobs(deps),
      resumeBulkExports({ ...deps, notify: notifyBulk }),
    ]).catch(() => undefined);
  // Set while a job runs (every step notifies); cleared by the first wake that finds nothing to do.
  let alarmSet = false;
  function watchJobs() {
    if (alarmSet) return;
    alarmSet = true;
    void browser.alarms.create(JOB_ALARM, { periodInMinutes: JOB_ALARM_MINUTES });
  }
  browser.alarms.onAlarm.addListener((alarm) => {
    if (alarm.name !== JOB_ALARM) return;
    void resumeAll().then(() => {
      if (isAnyJobRunning()) return;
      alarmSet = false;
      void browser.alarms.clear(JOB_ALARM);
    });
  });

  void resumeAll();
});
