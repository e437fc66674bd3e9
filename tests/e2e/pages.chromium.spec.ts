import { test, expect, openAsEditor, exportPanel } from './fixtures';
import { BANKING_MUST_NOT_LEAK, WORKFLOWS } from '../sandbox/seed';

test('after an export, the popup lists it and the viewer shows the package offline', async ({
  browser_,
  sandbox,
}) => {
  const { page, context, extensionId } = browser_;
  await openAsEditor(page, sandbox.url, WORKFLOWS.banking.id);
  const panel = exportPanel(page);
  const version = panel.getByRole('combobox', { name: 'Version' });
  await version.selectOption(
    (await version.locator('option', { hasText: 'v3 fraud checks' }).getAttribute('value'))!,
  );
  await panel.getByRole('button', { name: 'Export' }).click();
  await panel.getByRole('button', { name: 'Yes, I will take care' }).click();
  await expect(panel.getByText(/items were redacted/)).toBeVisible({ timeout: 60_000 });

  // Nothing secret in the extension's storage: the cache holds the redacted package only, the job no raw record.
  const stored = await browser_.worker.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const open = indexedDB.open('afp-porter');
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error);
    });
    const dump: string[] = [];
    for (const name of Array.from(db.objectStoreNames)) {
      const rows = await new Promise<unknown[]>((resolve, reject) => {
        const request = db.transaction(name).objectStore(name).getAll();
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
      for (const row of rows) {
        dump.push(
          JSON.stringify(row, (_key, value) =>
            value instanceof Uint8Array ? new TextDecoder().decode(value) : value,
          ),
        );
      }
    }
    return dump.join('\n');
  });
  expect(stored).toContain('Banking Assistant');
  expect(stored).toContain('flow_definition.json');
  for (const secret of Object.values(BANKING_MUST_NOT_LEAK).flat()) expect(stored).not.toContain(secret);

  const popup = await context.newPage();
  await popup.goto(`chrome-extension://${extensionId}/popup.html`);
  await expect(popup.getByRole('heading', { name: 'Recent exports' })).toBeVisible();
  await expect(popup.getByRole('link', { name: 'Banking Assistant' })).toBeVisible();
  await expect(popup.getByText(/v3 fraud checks/)).toBeVisible();

  // The link in the panel opens the viewer on this package; the platform is not needed any more.
  const opened = context.waitForEvent('page');
  await panel.getByRole('link', { name: 'Open in the package viewer' }).click();
  const viewer = await opened;
  await sandbox.faults([{ method: 'GET', path: '/api/:anything', dropConnection: true }]);
  await expect(viewer.getByRole('heading', { name: 'Banking Assistant', level: 1 })).toBeVisible();
  await expect(viewer.getByRole('heading', { name: /What was redacted \(\d+\)/ })).toBeVisible();
  const text = await viewer.locator('body').innerText();
  expect(text).toMatch(/\{\{context\.env\.[A-Z0-9_]+\}\}/);
  for (const secret of Object.values(BANKING_MUST_NOT_LEAK).flat()) expect(text).not.toContain(secret);
  await viewer.getByRole('tab', { name: 'flow_definition.json' }).click();
  await expect(viewer.getByRole('tabpanel')).toContainText('"nodes"');
  await expect(viewer.getByRole('tabpanel')).toContainText('{{context.env.');
});

test('the viewer compares two cached versions of a workflow', async ({ browser_, sandbox }) => {
  const { page, context, extensionId } = browser_;
  await openAsEditor(page, sandbox.url, WORKFLOWS.banking.id);
  const panel = exportPanel(page);
  const version = panel.getByRole('combobox', { name: 'Version' });
  for (const name of ['v2 loan intents', 'v3 fraud checks']) {
    await version.selectOption((await version.locator('option', { hasText: name }).getAttribute('value'))!);
    await panel.getByRole('button', { name: 'Export' }).click();
    await panel.getByRole('button', { name: 'Yes, I will take care' }).click();
    await expect(panel.getByText(/items were redacted/)).toBeVisible({ timeout: 60_000 });
  }
  const viewer = await context.newPage();
  await viewer.goto(`chrome-extension://${extensionId}/viewer.html`);
  await viewer
    .getByRole('row', { name: /v3 fraud checks/ })
    .getByRole('link', { name: 'Banking Assistant' })
    .click();
  const compare = viewer.getByRole('combobox', { name: 'Compare with' });
  await compare.selectOption({
    label: (await compare.locator('option', { hasText: 'v2 loan intents' }).textContent())!,
  });
  const differences = viewer.getByLabel('Changes');
  await expect(differences).toBeVisible();
  await expect(viewer.getByText(/From v2 loan intents to v3 fraud checks: \d+ nodes added/)).toBeVisible();
  const text = await differences.innerText();
  expect(text).toMatch(/^\s*\+ /m);
  for (const secret of Object.values(BANKING_MUST_NOT_LEAK).flat()) expect(text).not.toContain(secret);
});
