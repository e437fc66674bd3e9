/**
 * The offline library end to end, in both browsers: exports of Banking Assistant v2 and v3 and of Claims Flow 2000,
 * the popup (list, search, download again with the platform unreachable, delete), the viewer's views offline, the
 * 2,000-node graph, Compare in both picking orders, zips from disk (picked and dropped, broken, hostile names), axe
 * on every page. Dark mode and the README's screenshots: library.chromium.spec.ts.
 */
import { test, expect } from './fixtures';
import { exportAndConfirm, openAsEditor, reads, shows, storedByExtension } from './steps';
import type { ExtensionBrowser, Tab, Target } from './drivers/driver';
import { BANKING_MUST_NOT_LEAK, WORKFLOWS } from '../sandbox/seed';
import { readPackageZip } from '../../lib/package/zip-read';
import { writePackageZip } from '../../lib/package/zip-write';
import { diffPackages } from '../../lib/package/diff';
import { LAYOUT_CACHE } from '../../entrypoints/viewer/layout-memory';

const SECRETS = Object.values(BANKING_MUST_NOT_LEAK).flat();
const ENTRIES: Target = { role: 'list', name: 'Cached packages' };
const entry = (nth: number): Target => ({ role: 'listitem', nth, within: ENTRIES });
const entryNamed = (name: RegExp): Target => ({ role: 'listitem', name, within: ENTRIES });
const CHANGES: Target = { role: 'region', name: 'Nodes that differ' };

const title = (tab: Tab) => tab.evaluate(() => document.title, undefined);

/** Exports the chosen version and waits for the browser to save one more file. */
async function exportVersion(driver: ExtensionBrowser, version?: RegExp) {
  const before = (await driver.downloads()).length;
  await exportAndConfirm(driver.tab, { version });
  await expect.poll(async () => (await driver.downloads()).length, { timeout: 90_000 }).toBe(before + 1);
}

async function expectAccessible(tab: Tab, what: string) {
  expect(await tab.accessibilityViolations(), what).toEqual([]);
}

/** How many ELK layouts the viewer's layout memory holds (not counting the mark of one under way). */
const keptLayouts = (tab: Tab) =>
  tab.evaluate(
    async (name) =>
      (await (await caches.open(name)).keys()).filter((request) => !new URL(request.url).search).length,
    LAYOUT_CACHE,
  );

/** Opens a cached package from the viewer's home page. */
async function openPackage(viewer: Tab, name: RegExp) {
  await viewer.goto(new URL('#/', await viewer.url()).href);
  await viewer.click({ role: 'button', name: 'Open', within: entryNamed(name) });
}

test('the popup and the viewer keep, find, show and compare exports offline', async ({ driver, sandbox }) => {
  test.setTimeout(300_000);
  await openAsEditor(driver.tab, sandbox.url, WORKFLOWS.banking.id);
  await exportVersion(driver, /v2 loan intents/);
  await exportVersion(driver, /v3 fraud checks/);
  // The same version again: one entry that remembers both exports.
  await exportVersion(driver, /v3 fraud checks/);
  const [v2, v3] = await driver.downloads();

  // From here on the platform is unreachable: everything comes from the cache.
  await sandbox.faults([{ method: '*', path: '/*', dropConnection: true }]);

  const popup = await driver.openExtensionPage('popup.html');
  expect(await title(popup)).toBe('AFP Porter: packages');
  // Nothing secret in what the extension stored, compact packages inflated.
  const stored = await storedByExtension(popup);
  expect(stored).toContain('"name": "Banking Assistant"');
  for (const secret of SECRETS) expect(stored).not.toContain(secret);

  await shows(popup, { role: 'heading', within: ENTRIES }, 2);
  expect(await popup.text({ role: 'heading', within: entry(0) })).toBe('Banking Assistant v3 fraud checks');
  expect(await popup.text(entry(0))).toContain('Exported 2 times');
  expect(await popup.text({ role: 'heading', within: entry(1) })).toBe('Banking Assistant v2 loan intents');
  await shows(popup, { role: 'text', name: '2 packages from 3 exports' });
  await expectAccessible(popup, 'popup');

  const search: Target = { role: 'searchbox', name: 'Search' };
  await popup.fill(search, 'loan');
  await shows(popup, { role: 'heading', within: ENTRIES }, 1);
  await popup.fill(search, '127.0.0.1 v3');
  await shows(popup, { role: 'heading', within: ENTRIES }, 1);
  expect(await popup.text({ role: 'heading', within: entry(0) })).toBe('Banking Assistant v3 fraud checks');
  await popup.click({ role: 'button', name: 'Download again', within: entry(0) });
  await expect.poll(async () => (await driver.downloads()).length, { timeout: 30_000 }).toBe(4);
  const again = (await driver.downloads())[3]!;
  await reads(
    popup,
    { role: 'status', hasText: /^Saved/ },
    /^Saved Banking Assistant v3 fraud checks as .+\.zip\.$/,
  );
  expect(await popup.text({ role: 'status', hasText: /^Saved/ })).toContain(again.name);
  // The very bytes of the export, re-created from the compact cache.
  expect(Buffer.from(again.bytes).equals(Buffer.from(v3!.bytes))).toBe(true);

  const viewer = await driver.openExtensionPage('viewer.html');
  expect(await title(viewer)).toBe('Packages · AFP Porter');
  await expectAccessible(viewer, 'viewer home');
  await openPackage(viewer, /v3 fraud checks/);
  await expect.poll(() => title(viewer)).toBe('Banking Assistant v3 fraud checks · Overview · AFP Porter');
  await reads(
    viewer,
    { role: 'region', name: 'After import' },
    /Set the value of the secure variable CRM_TOKEN/,
  );
  await shows(viewer, { role: 'heading', name: /Nodes \(\d+\)/ });
  const shown = await viewer.evaluate(() => document.body.innerText, undefined);
  for (const secret of SECRETS) expect(shown).not.toContain(secret);
  await expectAccessible(viewer, 'overview');

  await viewer.click({ role: 'link', name: 'Redactions' });
  await expect.poll(() => title(viewer)).toMatch(/· Redactions · AFP Porter$/);
  await reads(viewer, { role: 'region', name: 'Left out of the package' }, /API keys: \d+/);
  await expectAccessible(viewer, 'redactions');
  // The first node named in the report leads to that node in the graph.
  const nodeLink: Target = {
    role: 'link',
    name: /^(?!.*\.json$)/,
    within: { role: 'table', within: { role: 'region', name: /Values removed or replaced/ } },
  };
  const nodeName = (await viewer.text(nodeLink))!;
  await viewer.click(nodeLink);
  await expect.poll(() => title(viewer)).toMatch(/· Flow · AFP Porter$/);
  await shows(viewer, { role: 'heading', name: nodeName, level: 2 });
  await shows(viewer, { role: 'labelled', name: `Configuration of ${nodeName}` });
  await expect
    .poll(() => viewer.evaluate(() => document.documentElement.dataset.flowLayout, undefined))
    .toMatch(/^elk:/);
  await expectAccessible(viewer, 'flow');

  await viewer.click({ role: 'link', name: 'Files' });
  await expect.poll(() => title(viewer)).toMatch(/· Files · AFP Porter$/);
  await viewer.click({ role: 'link', name: 'flow_definition.json' });
  await viewer.fill({ role: 'searchbox', name: 'Find in flow_definition.json' }, 'context.env.');
  await shows(viewer, { role: 'text', name: /^1 of \d+$/ });
  await expect
    .poll(() => viewer.evaluate(() => document.querySelector('.line.marked')?.textContent, undefined))
    .toContain('context.env.');
  await expectAccessible(viewer, 'files');

  // Compare, picked from v3 and from v2: always v2 → v3, and exactly the nodes the core's diff finds.
  const expected = diffPackages(readPackageZip(v2!.bytes).content, readPackageZip(v3!.bytes).content).flow;
  const expectedList = [
    ...expected.nodesAdded.map((n) => `added ${n.name}`),
    ...expected.nodesRemoved.map((n) => `removed ${n.name}`),
    ...expected.nodesChanged.map((n) => `changed ${n.after.name}`),
  ];
  expect(expectedList.length).toBeGreaterThan(0);
  for (const [open, other] of [
    [/v3 fraud checks/, /v2 loan intents/],
    [/v2 loan intents/, /v3 fraud checks/],
  ] as const) {
    await openPackage(viewer, open);
    await viewer.click({ role: 'link', name: 'Compare' });
    await viewer.select({ role: 'combobox', name: 'Compare with' }, other);
    await shows(viewer, { role: 'text', name: 'From v2 loan intents (older) to v3 fraud checks (newer)' });
    const item = (nth: number): Target => ({ role: 'listitem', nth, within: CHANGES });
    await shows(viewer, item(expectedList.length - 1));
    const seen = [];
    for (let nth = 0; (await viewer.count(item(nth))) > 0; nth++) {
      seen.push(await viewer.attribute(item(nth), 'data-change'));
    }
    expect(seen, `opened ${open}`).toEqual(expectedList);
  }
  await expectAccessible(viewer, 'compare');

  // Delete from the popup.
  await popup.fill(search, '');
  await shows(popup, { role: 'heading', within: ENTRIES }, 2);
  await popup.click({ role: 'button', name: 'Delete', within: entry(1) });
  await shows(popup, { role: 'heading', within: ENTRIES }, 1);
  await reads(
    popup,
    { role: 'status', hasText: /^Deleted/ },
    /^Deleted Banking Assistant v2 loan intents from the cache\.$/,
  );
});

test('the 2,000-node Claims Flow graph is laid out at export, shows, and a node can be found and selected', async ({
  driver,
  sandbox,
}) => {
  test.setTimeout(300_000);
  await openAsEditor(driver.tab, sandbox.url, WORKFLOWS.claims.id);
  await exportVersion(driver);
  const viewer = await driver.openExtensionPage('viewer.html');
  // The export laid the flow out in the background: the first visit finds ELK's answer kept.
  await expect.poll(() => keptLayouts(viewer), { timeout: 120_000 }).toBe(1);
  await openPackage(viewer, /Claims Flow 2000/);
  await viewer.click({ role: 'link', name: 'Flow' });
  await shows(viewer, { role: 'img', name: /2000 nodes/ });
  await reads(
    viewer,
    { role: 'status', hasText: /nodes ·/ },
    /^2000 nodes · laid out by ELK \(kept from earlier\)$/,
  );
  await viewer.fill({ role: 'searchbox', name: 'Find a node' }, 'Condition0010');
  await viewer.click({ role: 'button', within: { role: 'list', name: 'Nodes found' } });
  await shows(viewer, { role: 'heading', name: 'Condition0010', level: 2 });
  await expect.poll(() => viewer.url()).toMatch(/\/flow\?node=/);
  await expectAccessible(viewer, 'claims flow');

  // Nothing kept (as for a zip from disk): the quick layout, then ELK's, worked out once per page and kept.
  await viewer.evaluate((name) => caches.delete(name), LAYOUT_CACHE);
  const fresh = await driver.openExtensionPage('viewer.html');
  await openPackage(fresh, /Claims Flow 2000/);
  await fresh.click({ role: 'link', name: 'Flow' });
  await expect
    .poll(() => fresh.evaluate(() => document.documentElement.dataset.flowLayout, undefined), {
      timeout: 120_000,
    })
    .toBe('elk:2000');
  await reads(fresh, { role: 'status', hasText: /nodes ·/ }, /^2000 nodes · laid out by ELK$/);
  await fresh.click({ role: 'link', name: 'Files' });
  await fresh.click({ role: 'link', name: 'flow_definition.json' });
  await shows(fresh, { role: 'region', name: /flow_definition\.json, \d+ lines/ });
  // Back to the Flow view, and in a new page: ELK's layout is not made again.
  await fresh.click({ role: 'link', name: 'Flow' });
  await reads(fresh, { role: 'status', hasText: /nodes ·/ }, /^2000 nodes · laid out by ELK$/);
  const again = await driver.openExtensionPage('viewer.html');
  await openPackage(again, /Claims Flow 2000/);
  await again.click({ role: 'link', name: 'Flow' });
  await reads(
    again,
    { role: 'status', hasText: /nodes ·/ },
    /^2000 nodes · laid out by ELK \(kept from earlier\)$/,
  );
});

test('zips from disk: a broken one gives its specific error, hostile names render as text, one can be kept', async ({
  driver,
}) => {
  const viewer = await driver.openExtensionPage('viewer.html');
  await shows(viewer, { role: 'text', name: 'No packages yet.' });

  const content = readPackageZip(
    await writePackageZip((await import('../unit/banking-package')).bankingContent()),
  ).content;
  const hostile = '<img src=x onerror=alert(1)>Bank<script>alert(2)</script>';
  content.app.workflow.name = hostile;
  content.flow.nodes[1]!.name = '<b onmouseover=alert(3)>API</b>';
  const good = await writePackageZip(content);

  // A broken zip dropped on the page: the reader's own error, and nothing opened.
  await viewer.drop(
    { role: 'region', name: 'Open a package from disk' },
    { name: 'cut.zip', bytes: good.subarray(0, good.byteLength - 30) },
  );
  await shows(viewer, { role: 'alert' });
  expect(await viewer.attribute({ role: 'alert' }, 'data-code')).toBe('CORRUPT_ZIP');
  expect(await viewer.text({ role: 'alert' })).toContain(
    'cut.zip could not be opened: The zip file is damaged or incomplete',
  );
  await expectAccessible(viewer, 'broken zip');

  await viewer.choose({ role: 'file', name: 'choose a file' }, [{ name: 'hostile.zip', bytes: good }]);
  await reads(viewer, { role: 'heading', level: 1 }, /<img src=x onerror=alert\(1\)>Bank<script>/);
  expect(await viewer.text({ role: 'heading', level: 1 })).toContain(hostile);
  await viewer.click({ role: 'link', name: 'Flow' });
  await viewer.fill({ role: 'searchbox', name: 'Find a node' }, 'API');
  await viewer.click({ role: 'button', within: { role: 'list', name: 'Nodes found' } });
  await shows(viewer, { role: 'heading', level: 2, name: '<b onmouseover=alert(3)>API</b>' });
  // Shown as text: no element of the names' HTML exists anywhere on the page.
  expect(
    await viewer.evaluate(() => document.querySelectorAll('img, script:not([src]), b').length, undefined),
  ).toBe(0);
  await viewer.click({ role: 'button', name: 'Keep in library' });
  await expect.poll(() => viewer.url()).toMatch(/#\/package\/[^/]+\/flow/);
  await viewer.goto(new URL('#/', await viewer.url()).href);
  await shows(viewer, entryNamed(/Bank/));
});
