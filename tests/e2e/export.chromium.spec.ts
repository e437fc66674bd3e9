// Chromium only: the offscreen document (Chrome's way to make a blob URL for the download) and stopping the
// service worker through the DevTools protocol are Chrome's own.
import type { Page } from '@playwright/test';
import {
  test,
  expect,
  openAsEditor,
  exportPanel,
  completedDownloads,
  offscreenDocuments,
  type Browser,
} from './fixtures';
import { WORKFLOWS } from '../sandbox/seed';

const VERSION_ROUTE = '/api/workflows/:workflowId/versions/:versionId';

/** Answers "Yes, I will take care" when the check appears; stops early on an error or a finished export. */
async function confirmIfAsked(panel: ReturnType<typeof exportPanel>) {
  const confirm = panel.getByRole('button', { name: 'Yes, I will take care' });
  const finished = panel.getByRole('status').filter({ hasText: '.zip' });
  await expect(confirm.or(panel.getByRole('alert')).or(finished).first()).toBeVisible({ timeout: 60_000 });
  if (await confirm.isVisible()) await confirm.click();
}

async function exportBanking(page: Page, browser: Browser) {
  const panel = exportPanel(page);
  await expect(panel.getByRole('combobox', { name: 'Version' })).toBeEnabled();
  await panel.getByRole('button', { name: 'Export' }).click();
  await confirmIfAsked(panel);
  await expect(panel.getByRole('status').filter({ hasText: 'Banking Assistant.zip' })).toBeVisible({
    timeout: 60_000,
  });
  await expect.poll(async () => (await completedDownloads(browser.worker)).length).toBe(1);
}

test('the hidden page that made the blob URL is closed once no download has needed it for a while', async ({
  browser_,
  sandbox,
}) => {
  await openAsEditor(browser_.page, sandbox.url, WORKFLOWS.banking.id);
  await exportBanking(browser_.page, browser_);
  await expect.poll(() => offscreenDocuments(browser_.worker), { timeout: 30_000 }).toBe(0);
});

test('a worker stopped mid-export: the job resumes and saves exactly one package', async ({
  browser_,
  sandbox,
}) => {
  const { page, context } = browser_;
  await openAsEditor(page, sandbox.url, WORKFLOWS.banking.id);
  const panel = exportPanel(page);
  await expect(panel.getByRole('combobox', { name: 'Version' })).toBeEnabled();
  await sandbox.faults([{ method: 'GET', path: VERSION_ROUTE, delayMs: 4000, times: 1 }]);
  await panel.getByRole('button', { name: 'Export' }).click();
  await expect(panel.getByText(/Step 1 of 6/)).toBeVisible();

  // Stop the service worker the way Chrome does when it idles out.
  const cdp = await context.newCDPSession(page);
  const { targetInfos } = (await cdp.send('Target.getTargets')) as {
    targetInfos: { targetId: string; type: string; url: string }[];
  };
  const worker = targetInfos.find((t) => t.type === 'service_worker' && t.url.endsWith('/background.js'));
  expect(worker).toBeTruthy();
  await cdp.send('Target.closeTarget', { targetId: worker!.targetId });
  // The woken worker reads the version again and asks again.
  await confirmIfAsked(panel);

  await expect(panel.getByRole('status').filter({ hasText: 'Banking Assistant.zip' })).toBeVisible({
    timeout: 60_000,
  });
  const sw = context.serviceWorkers().at(-1) ?? (await context.waitForEvent('serviceworker'));
  await expect.poll(async () => (await completedDownloads(sw)).length, { timeout: 30_000 }).toBe(1);
  const packages = await sw.evaluate(
    () =>
      new Promise<number>((resolve, reject) => {
        const open = indexedDB.open('afp-porter');
        open.onsuccess = () => {
          const count = open.result.transaction('packages').objectStore('packages').count();
          count.onsuccess = () => resolve(count.result);
          count.onerror = () => reject(count.error);
        };
        open.onerror = () => reject(open.error);
      }),
  );
  expect(packages).toBe(1);
});
