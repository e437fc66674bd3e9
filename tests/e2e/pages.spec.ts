import { test, expect } from './fixtures';
import { exportAndConfirm, inPanel, openAsEditor, reads, shows, storedByExtension } from './steps';
import { BANKING_MUST_NOT_LEAK, WORKFLOWS } from '../sandbox/seed';

const SECRETS = Object.values(BANKING_MUST_NOT_LEAK).flat();
const REDACTED = inPanel('text', /items were redacted/);

test('after an export, the viewer shows the package offline and the popup lists it', async ({
  driver,
  sandbox,
}) => {
  const { tab } = driver;
  await openAsEditor(tab, sandbox.url, WORKFLOWS.banking.id);
  await exportAndConfirm(tab, { version: /v3 fraud checks/ });
  await shows(tab, REDACTED, 1, 60_000);

  // The link in the panel opens the viewer on this package; the platform is not needed any more.
  await tab.click(inPanel('link', 'Open in the package viewer'));
  const viewer = await driver.waitForTab(/viewer\.html/);
  await sandbox.faults([{ method: 'GET', path: '/api/:anything', dropConnection: true }]);
  await shows(viewer, { role: 'heading', name: 'Banking Assistant', level: 1 });
  await shows(viewer, { role: 'heading', name: /What was redacted \(\d+\)/ });
  const text = await viewer.evaluate(() => document.body.innerText, undefined);
  expect(text).toMatch(/\{\{context\.env\.[A-Z0-9_]+\}\}/);
  for (const secret of SECRETS) expect(text).not.toContain(secret);
  await viewer.click({ role: 'tab', name: 'flow_definition.json' });
  await reads(viewer, { role: 'tabpanel' }, /"nodes"/);
  await reads(viewer, { role: 'tabpanel' }, /\{\{context\.env\./);

  // Nothing secret in the extension's storage: the cache holds the redacted package only, the job no raw record.
  const stored = await storedByExtension(viewer);
  expect(stored).toContain('Banking Assistant');
  expect(stored).toContain('"nodes"');
  for (const secret of SECRETS) expect(stored).not.toContain(secret);

  const popup = await driver.openExtensionPage('popup.html');
  await shows(popup, { role: 'heading', name: 'Recent exports' });
  await shows(popup, { role: 'link', name: 'Banking Assistant' });
  await shows(popup, { role: 'text', name: /v3 fraud checks/ });
});

test('the viewer compares two cached versions of a workflow', async ({ driver, sandbox }) => {
  const { tab } = driver;
  await openAsEditor(tab, sandbox.url, WORKFLOWS.banking.id);
  for (const version of [/v2 loan intents/, /v3 fraud checks/]) {
    await exportAndConfirm(tab, { version });
    await shows(tab, inPanel('status', undefined, { hasText: /redacted/ }), 1, 60_000);
    await expect.poll(() => tab.text(inPanel('text', /items were redacted/))).not.toBeNull();
  }
  await tab.click(inPanel('link', 'Open in the package viewer'));
  await driver.waitForTab(/viewer\.html/);
  const viewer = await driver.openExtensionPage('viewer.html');
  await viewer.click({
    role: 'link',
    name: 'Banking Assistant',
    within: { role: 'row', name: /v3 fraud checks/ },
  });
  const compare = { role: 'combobox', name: 'Compare with' } as const;
  await shows(viewer, compare);
  await viewer.select(compare, /v2 loan intents/);
  const changes = { role: 'labelled', name: 'Changes' } as const;
  await shows(viewer, changes);
  await shows(viewer, { role: 'text', name: /From v2 loan intents to v3 fraud checks: \d+ nodes added/ });
  const text = (await viewer.text(changes))!;
  expect(text).toMatch(/^\s*\+ /m);
  for (const secret of SECRETS) expect(text).not.toContain(secret);
});
