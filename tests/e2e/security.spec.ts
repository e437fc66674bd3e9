// Security with evidence: what the extension keeps, what a web page can make it do, and how it shows hostile text.
import { test, expect } from './fixtures';
import {
  CONFIRM,
  PANEL,
  expectCleanPackage,
  exportAndConfirm,
  exportedFile,
  finished,
  inPanel,
  login,
  openAsEditor,
  openConfigurations,
  shows,
  storedByExtension,
} from './steps';
import { projectFindings, secretlintFindings } from './scanners';
import { BANKING_MUST_NOT_LEAK, WORKFLOWS } from '../sandbox/seed';

const SECRETS = Object.values(BANKING_MUST_NOT_LEAK).flat();
/** What only a raw version record holds, never a package: the workflow's API keys, sharing, audit logs, endpoint. */
const RAW_ONLY_FIELDS = ['apiKeys', 'sharing', 'auditLogs', 'endpoint'];

/** The distinctive text values (8 characters or more) under those fields of a raw record. */
function rawOnlyValues(raw: string): string[] {
  const record = JSON.parse(raw) as Record<string, unknown> & { workflow?: Record<string, unknown> };
  const values: string[] = [];
  const collect = (node: unknown): void => {
    if (typeof node === 'string' && node.length >= 8) values.push(node);
    else if (Array.isArray(node)) node.forEach(collect);
    else if (node && typeof node === 'object') Object.values(node).forEach(collect);
  };
  for (const field of RAW_ONLY_FIELDS) {
    collect(record[field]);
    collect(record.workflow?.[field]);
  }
  return [...new Set(values)];
}

test('after an export, nothing the extension stored holds a secret, a session token or a raw record', async ({
  driver,
  sandbox,
}) => {
  const { tab } = driver;
  await openAsEditor(tab, sandbox.url, WORKFLOWS.banking.id);
  const { raw, csrfToken } = await tab.evaluate(
    async ({ workflowId, versionId }) => ({
      raw: await (await fetch(`/api/workflows/${workflowId}/versions/${versionId}`)).text(),
      csrfToken: ((await (await fetch('/api/session')).json()) as { csrfToken: string }).csrfToken,
    }),
    { workflowId: WORKFLOWS.banking.id, versionId: WORKFLOWS.banking.versions.v3 },
  );
  const session = (await driver.cookies()).find((cookie) => cookie.name === 'afp_session')!.value;
  // Both scanners do see the secrets of the record the export starts from.
  expect(projectFindings(raw).length).toBeGreaterThan(0);
  expect(secretlintFindings(raw).length).toBeGreaterThan(0);

  await exportAndConfirm(tab, { version: /v3 fraud checks/ });
  await shows(tab, finished('Banking Assistant.zip'), 1, 60_000);
  await tab.click(inPanel('link', 'Open in the package viewer'));
  const stored = await storedByExtension(await driver.waitForTab(/viewer\.html/));

  expect(stored).toContain('Banking Assistant');
  expect(stored).toContain('"nodes"');
  for (const secret of SECRETS) expect(stored).not.toContain(secret);
  expect(stored).not.toContain(session);
  expect(stored).not.toContain(csrfToken);
  // No part of the raw record that a package leaves out (values the package itself also holds, a name say, and the
  // ids the extension keeps its jobs by, aside).
  const packageText = expectCleanPackage((await exportedFile(driver)).bytes, SECRETS);
  const ids = [WORKFLOWS.banking.id, ...Object.values(WORKFLOWS.banking.versions)];
  const rawOnly = rawOnlyValues(raw).filter((value) => !packageText.includes(value) && !ids.includes(value));
  expect(rawOnly.length).toBeGreaterThan(0);
  expect(rawOnly.filter((value) => stored.includes(value))).toEqual([]);
  expect(projectFindings(stored)).toEqual([]);
  expect(secretlintFindings(stored)).toEqual([]);
});

test('a web page cannot make the extension act: what it posts is ignored', async ({ driver, sandbox }) => {
  const { tab } = driver;
  await openAsEditor(tab, sandbox.url, WORKFLOWS.banking.id);
  await expect.poll(() => tab.disabled(inPanel('combobox', 'Version'))).toBe(false);
  const channels = await tab.evaluate(
    ({ workflowId, versionId }) => {
      const requests: unknown[] = [
        { type: 'export:start', workflowId, versionId },
        { type: 'export:confirm', jobId: 'any' },
        { type: 'viewer:open' },
        { type: 'export:start', workflowId: 'x'.repeat(10_000), versionId },
        'export:start',
        null,
      ];
      for (const request of requests) {
        window.postMessage(request, '*');
        document.dispatchEvent(new CustomEvent('porter', { detail: request }));
      }
      const global = globalThis as unknown as {
        chrome?: { runtime?: unknown };
        browser?: { runtime?: unknown };
      };
      // No extension lists this page as one that may message it (externally_connectable), so it has no channel.
      return { chrome: typeof global.chrome?.runtime, browser: typeof global.browser?.runtime };
    },
    { workflowId: WORKFLOWS.banking.id, versionId: WORKFLOWS.banking.versions.v3 },
  );
  expect(channels).toEqual({ chrome: 'undefined', browser: 'undefined' });
  await new Promise((resolve) => setTimeout(resolve, 2000));
  expect(await tab.count(inPanel('progressbar'))).toBe(0);
  expect(await tab.count(CONFIRM)).toBe(0);
  expect(await driver.downloads()).toHaveLength(0);
  expect((await driver.openTabs()).filter((url) => /viewer\.html/.test(url))).toEqual([]);

  // The user's own click still works: the panel was only deaf to the page.
  await exportAndConfirm(tab);
  await shows(tab, finished('Banking Assistant.zip'), 1, 60_000);
});

test('a hostile workflow name is shown as text in the panel, the viewer and the popup', async ({
  driver,
  sandbox,
}) => {
  const { tab } = driver;
  const name =
    '<img src=x onerror="window.__porterHostile=1"><script>window.__porterHostile=2</script>' +
    ' \u202Egnp.exe\u200B\u200D\u2066 ' +
    'W'.repeat(10_000);
  await login(tab, sandbox.url, 'editor@sandbox.test');
  const workflowId = await tab.evaluate(async (workflowName) => {
    const { csrfToken } = (await (await fetch('/api/session')).json()) as { csrfToken: string };
    const response = await fetch('/api/workflows', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-csrf-token': csrfToken },
      body: JSON.stringify({ name: workflowName }),
    });
    return ((await response.json()) as { workflow?: { id: string }; id?: string }).workflow?.id ?? '';
  }, name);
  expect(workflowId).not.toBe('');
  await openConfigurations(tab, sandbox.url, workflowId);
  await shows(tab, PANEL, 1);
  await exportAndConfirm(tab);
  await shows(tab, finished(), 1, 60_000);

  const markup = (root: 'panel' | 'page') =>
    tab.evaluate((where) => {
      const scope =
        where === 'panel' ? document.querySelector('porter-export-panel')!.shadowRoot! : document.body;
      return {
        elements: scope.querySelectorAll('img, script:not([src]), [onerror]').length,
        ran: (window as unknown as { __porterHostile?: number }).__porterHostile ?? null,
      };
    }, root);
  expect(await markup('panel')).toEqual({ elements: 0, ran: null });
  // The saved file's name has no markup, no direction override and no invisible characters.
  const file = await exportedFile(driver);
  expect(file.name).not.toMatch(/[<>\u202A-\u202E\u2066-\u2069\u200B-\u200D]/);

  await tab.click(inPanel('link', 'Open in the package viewer'));
  const viewer = await driver.waitForTab(/viewer\.html/);
  await shows(viewer, { role: 'heading', level: 1, name: 'WWWWWWWWWW' });
  const shown = await viewer.evaluate(
    () => ({
      heading: document.querySelector('h1')?.textContent,
      elements: document.body.querySelectorAll('img, script:not([src]), [onerror]').length,
      ran: (window as unknown as { __porterHostile?: number }).__porterHostile ?? null,
    }),
    undefined,
  );
  // The heading is the workflow's name, then its version's.
  expect({ ...shown, heading: shown.heading?.slice(0, name.length) }).toEqual({
    heading: name,
    elements: 0,
    ran: null,
  });

  const popup = await driver.openExtensionPage('popup.html');
  await shows(popup, { role: 'heading', name: 'WWWWWWWWWW' });
  expect(
    await popup.evaluate(
      () => ({
        // Each entry's title is the workflow's name (its first text), then its version's.
        titles: [...document.querySelectorAll('.entry-title')]
          .map((title) => title.firstChild?.textContent)
          .filter((text) => text?.includes('WWW')),
        elements: document.body.querySelectorAll('img, script:not([src]), [onerror]').length,
      }),
      undefined,
    ),
  ).toEqual({ titles: [name], elements: 0 });
});
