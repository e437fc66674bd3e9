// Chromium only: the dialog is given files through the page's file input, which the cross-browser driver lacks.
import { test, expect, login, openConfigurations, completedDownloads } from './fixtures';
import { WORKFLOWS } from '../sandbox/seed';
import { readPackageZip } from '../../lib/package/zip-read';
import { diffPackages } from '../../lib/package/diff';
import { serializePackage, zipFiles } from '../../lib/package/zip-write';
import type { PackageContent } from '../../lib/package/schemas';
import {
  apiAs,
  chooseInDialog,
  exportWithPanel,
  newestDownload,
  scratchFiles,
  stopWorker,
} from './import-steps';

/** A package changed by `change`, written where the file chooser can take it. */
async function repacked(bytes: Uint8Array, change: (content: PackageContent) => void, name = 'Changed.zip') {
  const content = structuredClone(readPackageZip(bytes).content);
  change(content);
  return scratchFiles({ [name]: await zipFiles(serializePackage(content)) })[0]!;
}

type VersionRecord = { version: { name: string }; env: { variables: { name: string; value: string }[] } };
type Details = {
  workflow: { inDevelopmentVersionId: string };
  versions: { id: string; name: string; state: string }[];
};

/** Fields that may differ after a round trip: the workflow's name and every identifier the platform hands out. */
const NAMES_AND_IDS = /^(workflow\.name|version\.(id|name|createdAt|description))$|(^|\.)id$|\.id\b/;

test.describe('a package round-trips: export, import as new, export again, and only names and ids differ', () => {
  for (const workflow of Object.values(WORKFLOWS)) {
    test(workflow.name, async ({ browser_, sandbox }) => {
      test.setTimeout(120_000);
      const { page } = browser_;
      await login(page, sandbox.url, 'owner@sandbox.test');
      const original = await exportWithPanel(browser_, sandbox.url, workflow.id);

      await page.goto(`${sandbox.url}/workflows`);
      const dialog = await chooseInDialog(page, 'Import package', [original.path]);
      // The package's own name is taken (the original is there): a free one is proposed.
      await expect(dialog.getByText(/is already taken in this account/)).toBeVisible();
      const name = await dialog.getByRole('textbox', { name: 'New workflow name' }).inputValue();
      expect(name).toBe(`${workflow.name} (2)`);
      await dialog.getByRole('button', { name: 'Import' }).click();
      await expect(dialog.getByText(`Imported as the new workflow "${name}".`)).toBeVisible({
        timeout: 60_000,
      });

      const made = (await (await apiAs(sandbox.url, 'owner@sandbox.test')).workflows()).filter(
        (w) => w.name === name,
      );
      expect(made).toHaveLength(1);
      const link = dialog.getByRole('link', { name: `Open ${name}` });
      expect(await link.getAttribute('href')).toBe(`${sandbox.url}/workflows/${made[0]!.id}/flow`);

      const again = await exportWithPanel(browser_, sandbox.url, made[0]!.id);
      const diff = diffPackages(readPackageZip(original.bytes).content, readPackageZip(again.bytes).content);
      expect(diff.app.map((change) => change.path)).toContain('workflow.name');
      expect(diff.app.map((change) => change.path).filter((path) => !NAMES_AND_IDS.test(path))).toEqual([]);
      expect(diff.flow.nodesAdded).toEqual([]);
      expect(diff.flow.nodesRemoved).toEqual([]);
      expect(diff.flow.connectionsAdded).toEqual([]);
      expect(diff.flow.connectionsRemoved).toEqual([]);
      const nodeFields = diff.flow.nodesChanged.flatMap((node) => node.fields.map((field) => field.path));
      expect(nodeFields.filter((path) => !NAMES_AND_IDS.test(path))).toEqual([]);
      expect(diff.env.added).toEqual([]);
      expect(diff.env.removed).toEqual([]);
      expect(diff.env.changed).toEqual([]);
    });
  }
});

test('import as a new version: one variable overwritten, one kept, a secure value typed, the backup downloaded first', async ({
  browser_,
  sandbox,
}) => {
  test.setTimeout(120_000);
  const { page } = browser_;
  const banking = WORKFLOWS.banking.id;
  await login(page, sandbox.url, 'owner@sandbox.test');
  const exported = await exportWithPanel(browser_, sandbox.url, banking);
  const file = await repacked(exported.bytes, (content) => {
    for (const variable of content.env.variables) {
      if (variable.name === 'BASE_URL') variable.value = 'https://api.changed.example';
      if (variable.name === 'LOG_LEVEL') variable.value = 'trace';
    }
  });
  const api = await apiAs(sandbox.url, 'owner@sandbox.test');
  const before = await api.get<Details>(`/api/workflows/${banking}`);
  const previous = before.versions.find((v) => v.id === before.workflow.inDevelopmentVersionId)!;
  const current = await api.get<VersionRecord>(`/api/workflows/${banking}/versions/${previous.id}`);
  const currentValue = (name: string) => current.env.variables.find((v) => v.name === name)!.value;

  await openConfigurations(page, sandbox.url, banking);
  const downloadsBefore = await completedDownloads(browser_.worker);
  const dialog = await chooseInDialog(page, 'Import package as a new version', [file]);
  const baseUrl = dialog.getByRole('group', { name: 'BASE_URL differs' });
  await expect(baseUrl).toContainText('https://api.changed.example');
  await expect(baseUrl).toContainText(currentValue('BASE_URL'));
  await expect(
    dialog.getByRole('group', { name: 'LOG_LEVEL differs' }).getByLabel('Keep existing'),
  ).toBeChecked();
  // A secure variable's values are never shown, whichever side holds one.
  const signing = dialog.getByRole('group', { name: 'PAYMENTS_SIGNING_KEY differs' });
  await expect(signing).toContainText('values are not shown');
  await expect(dialog).not.toContainText(currentValue('PAYMENTS_SIGNING_KEY'));
  await expect(dialog.getByRole('checkbox', { name: 'Back up your current workflow' })).toBeChecked();

  await baseUrl.getByLabel('Overwrite').check();
  await signing.getByLabel('Overwrite').check();
  await dialog.getByRole('textbox', { name: 'PAYMENTS_SIGNING_KEY' }).fill('typed-signing-secret-42');
  await dialog.getByRole('button', { name: 'Import' }).click();
  await expect(
    dialog.getByText('Imported as a new in-development version of "Banking Assistant".'),
  ).toBeVisible({
    timeout: 60_000,
  });
  await expect(dialog.getByText('backed up as Exported_Banking Assistant.zip')).toBeVisible();

  const backup = await newestDownload(browser_, downloadsBefore);
  expect(backup.name).toBe('Exported_Banking Assistant.zip');
  expect(readPackageZip(backup.bytes).content.app.version.name).toBe(previous.name);

  const after = await api.get<Details>(`/api/workflows/${banking}`);
  expect(after.versions).toHaveLength(before.versions.length + 1);
  const renamed = after.versions.find((v) => v.id === previous.id)!;
  expect(renamed.state).toBe('saved');
  expect(renamed.name).toMatch(new RegExp(`^${previous.name} \\(before import .+\\)$`));
  const imported = await api.get<VersionRecord>(
    `/api/workflows/${banking}/versions/${after.workflow.inDevelopmentVersionId}`,
  );
  const value = (name: string) => imported.env.variables.find((v) => v.name === name)!.value;
  expect(value('BASE_URL')).toBe('https://api.changed.example');
  expect(value('LOG_LEVEL')).toBe(currentValue('LOG_LEVEL'));
  expect(value('PAYMENTS_SIGNING_KEY')).toBe('typed-signing-secret-42');
  expect(value('CRM_TOKEN')).toBe(currentValue('CRM_TOKEN'));

  // The typed value went to the platform only: nothing the extension stored holds it.
  const stored = await browser_.worker.evaluate(
    () =>
      new Promise<string>((resolve, reject) => {
        const open = indexedDB.open('afp-porter');
        open.onsuccess = () => {
          const tx = open.result.transaction(['jobs', 'packages']);
          const jobs = tx.objectStore('jobs').getAll();
          const packages = tx.objectStore('packages').getAll();
          tx.oncomplete = () => resolve(JSON.stringify([jobs.result, packages.result]));
          tx.onerror = () => reject(tx.error);
        };
        open.onerror = () => reject(open.error);
      }),
  );
  expect(stored).toContain('import');
  expect(stored).not.toContain('typed-signing-secret-42');
});

test.describe('what cannot be imported says why, and the server gets nothing', () => {
  test('broken inputs, each with its own message, file and place', async ({ browser_, sandbox }) => {
    test.setTimeout(120_000);
    const { page } = browser_;
    await login(page, sandbox.url, 'owner@sandbox.test');
    const exported = await exportWithPanel(browser_, sandbox.url, WORKFLOWS.banking.id);
    const api = await apiAs(sandbox.url, 'owner@sandbox.test');
    const workflowsBefore = (await api.workflows()).length;
    const { content } = readPackageZip(exported.bytes);
    const json = (value: unknown) => JSON.stringify(value);

    const cases: { name: string; files: string[]; says: RegExp[] }[] = [
      {
        name: 'a broken zip',
        files: scratchFiles({ 'Broken.zip': exported.bytes.subarray(0, exported.bytes.length / 2) }),
        says: [/zip/i],
      },
      {
        name: 'a file that is not a package',
        files: scratchFiles({ 'notes.txt': 'hello' }),
        says: [/Choose one package \(\.zip\)/],
      },
      {
        name: 'a newer schema',
        files: [await repacked(exported.bytes, (c) => void (c.app.schemaVersion = '2.0'))],
        says: [/newer version/i, /app_definition\.json/],
      },
      {
        name: 'a flow of the wrong shape',
        files: [await repacked(exported.bytes, (c) => void (c.flow.nodes[0]!.type = ''))],
        says: [/expected shape/, /flow_definition\.json, nodes\[0\]\.type/],
      },
      {
        name: 'three JSON files, one of them not JSON',
        files: scratchFiles({
          'app_definition.json': json(content.app),
          'callflow.json': json(content.flow),
          'env_variables.json': '{"variables": [',
        }),
        says: [/not valid JSON/, /env_variables\.json/],
      },
      {
        name: 'a package holding an API key',
        files: [
          await repacked(exported.bytes, (c) => {
            (c.app.workflow as Record<string, unknown>).apiKeys = [{ name: 'prod', key: 'kg-live-123' }];
          }),
        ],
        says: [/must never carry/, /app_definition\.json, workflow\.apiKeys/],
      },
    ];
    for (const { name, files, says } of cases) {
      await page.goto(`${sandbox.url}/workflows`);
      const dialog = await chooseInDialog(page, 'Import package', files);
      const alert = dialog.getByRole('alert');
      for (const text of says) await expect(alert, name).toContainText(text);
      await expect(dialog.getByRole('button', { name: 'Import' }), name).toHaveCount(0);
    }

    // The three files, right this time (callflow.json as the flow), are read and planned.
    await page.goto(`${sandbox.url}/workflows`);
    const good = await chooseInDialog(
      page,
      'Import package',
      scratchFiles({
        'app_definition.json': json(content.app),
        'callflow.json': json(content.flow),
        'env_variables.json': json(content.env),
      }),
    );
    await expect(good.getByText(/Read "callflow\.json" as flow_definition\.json/)).toBeVisible();
    // A name already in the account is said before sending, and stops the import.
    await good.getByRole('textbox', { name: 'New workflow name' }).fill('invoice triage');
    await expect(
      good.getByText('A workflow named "invoice triage" already exists in this account.'),
    ).toBeVisible();
    await expect(good.getByRole('button', { name: 'Import' })).toBeDisabled();
    expect((await api.workflows()).length).toBe(workflowsBefore);
  });

  test('a guardrail scanner the account lacks: warned before, refused by the platform in plain words', async ({
    browser_,
    sandbox,
  }) => {
    test.setTimeout(90_000);
    const { page } = browser_;
    await login(page, sandbox.url, 'owner@sandbox.test');
    const exported = await exportWithPanel(browser_, sandbox.url, WORKFLOWS.banking.id);
    const file = await repacked(exported.bytes, (c) => {
      c.app.guardrails!.inputScanners.push({ type: 'Ban Topics', settings: { topics: ['crypto'] } });
    });
    const api = await apiAs(sandbox.url, 'owner@sandbox.test');
    const before = (await api.workflows()).length;
    await page.goto(`${sandbox.url}/workflows`);
    const dialog = await chooseInDialog(page, 'Import package', [file]);
    await expect(dialog.getByText(/Guardrail scanner "Ban Topics" must be deployed/)).toBeVisible();
    await dialog.getByRole('button', { name: 'Import' }).click();
    const alert = dialog.getByRole('alert');
    await expect(alert).toContainText('guardrail scanners that are not deployed in this account', {
      timeout: 60_000,
    });
    await expect(alert).toContainText(
      /app_definition\.json, input scanner \d+: Guardrail scanner "Ban Topics"/,
    );
    await expect(alert).toContainText('Nothing was imported.');
    await expect(alert).not.toContainText('{');
    expect((await api.workflows()).length).toBe(before);
  });

  test('a workflow that is not deployed takes no version, and says so before any click', async ({
    browser_,
    sandbox,
  }) => {
    const { page } = browser_;
    await login(page, sandbox.url, 'owner@sandbox.test');
    await openConfigurations(page, sandbox.url, WORKFLOWS.invoice.id);
    const region = page.getByRole('region', { name: 'Porter: Import package as a new version' });
    await expect(region.getByRole('button')).toBeDisabled();
    await expect(region).toContainText('This workflow is not deployed');
  });

  test('the backup failing stops the import: nothing imported, and said so', async ({
    browser_,
    sandbox,
  }) => {
    test.setTimeout(90_000);
    const { page } = browser_;
    const banking = WORKFLOWS.banking.id;
    await login(page, sandbox.url, 'owner@sandbox.test');
    const exported = await exportWithPanel(browser_, sandbox.url, banking);
    const file = scratchFiles({ 'Banking Assistant.zip': exported.bytes })[0]!;
    const api = await apiAs(sandbox.url, 'owner@sandbox.test');
    const before = (await api.get<Details>(`/api/workflows/${banking}`)).versions.length;
    await openConfigurations(page, sandbox.url, banking);
    const dialog = await chooseInDialog(page, 'Import package as a new version', [file]);
    await sandbox.faults([
      { method: 'GET', path: '/api/workflows/:id/versions/:versionId', status: 500, times: 1 },
    ]);
    await dialog.getByRole('button', { name: 'Import' }).click();
    await expect(dialog.getByRole('alert')).toContainText(
      'The backup of your current workflow failed, so nothing was imported.',
      { timeout: 60_000 },
    );
    expect((await api.get<Details>(`/api/workflows/${banking}`)).versions.length).toBe(before);
  });
});

test('roles: viewer and editor see why they cannot before clicking, and the server refuses them anyway', async ({
  browser_,
  sandbox,
}) => {
  const { page } = browser_;
  await login(page, sandbox.url, 'viewer@sandbox.test');
  const dashboard = page.getByRole('region', { name: 'Porter: Import package' });
  await expect(dashboard.getByRole('button', { name: 'Import package' })).toBeDisabled();
  await expect(dashboard).toContainText('Your account role (Viewer) cannot import workflows');
  const viewer = await apiAs(sandbox.url, 'viewer@sandbox.test');
  expect(
    (await viewer.post('/api/public/workflows/import', { workflowName: 'x', flowDataFileId: 'f' })).status,
  ).toBe(403);

  await page.context().clearCookies();
  await login(page, sandbox.url, 'editor@sandbox.test');
  await expect(
    page.getByRole('region', { name: 'Porter: Import package' }).getByRole('button'),
  ).toBeEnabled();
  await openConfigurations(page, sandbox.url, WORKFLOWS.banking.id);
  const version = page.getByRole('region', { name: 'Porter: Import package as a new version' });
  await expect(version.getByRole('button')).toBeDisabled();
  await expect(version).toContainText('(tool editor) cannot import a version');
  const editor = await apiAs(sandbox.url, 'editor@sandbox.test');
  const refused = await editor.post(`/api/public/workflows/${WORKFLOWS.banking.id}/import`, {
    flowDataFileId: 'f',
    workflowDataFileId: 'a',
    envVariablesFileId: 'e',
  });
  expect(refused.status).toBe(403);
});

test.describe('an import that is interrupted ends with exactly one workflow', () => {
  const DOCK_STATUS = '/api/public/dock-status/:id';

  test('the session expires while the platform imports: log in again, and the import is followed to its end', async ({
    browser_,
    sandbox,
  }) => {
    test.setTimeout(90_000);
    const { page } = browser_;
    await login(page, sandbox.url, 'owner@sandbox.test');
    const exported = await exportWithPanel(browser_, sandbox.url, WORKFLOWS.empty.id);
    await page.goto(`${sandbox.url}/workflows`);
    const dialog = await chooseInDialog(page, 'Import package', [exported.path]);
    const name = await dialog.getByRole('textbox', { name: 'New workflow name' }).inputValue();
    await sandbox.faults([{ method: 'GET', path: DOCK_STATUS, expireSession: true, times: 1 }]);
    await dialog.getByRole('button', { name: 'Import' }).click();
    await expect(dialog.getByText(/session has expired while the platform imports/)).toBeVisible({
      timeout: 30_000,
    });

    await login(page, sandbox.url, 'owner@sandbox.test');
    // Back on the dashboard, the import of this tab is shown again (in the dialog while it runs, in the entry once
    // it ended) and followed to its end.
    const entry = page.getByRole('region', { name: 'Porter: Import package' });
    const done = page.getByRole('dialog').getByText(`Imported as the new workflow "${name}".`);
    await expect(done.or(entry.getByText(`Your import of "${name}" is done.`)).first()).toBeVisible({
      timeout: 60_000,
    });
    const api = await apiAs(sandbox.url, 'owner@sandbox.test');
    expect((await api.workflows()).filter((w) => w.name === name)).toHaveLength(1);
  });

  test('the worker is stopped while it polls: it resumes the same job and never imports twice', async ({
    browser_,
    sandbox,
  }) => {
    test.setTimeout(90_000);
    const { page } = browser_;
    const banking = WORKFLOWS.banking.id;
    await login(page, sandbox.url, 'owner@sandbox.test');
    const exported = await exportWithPanel(browser_, sandbox.url, banking);
    const api = await apiAs(sandbox.url, 'owner@sandbox.test');
    const before = (await api.get<Details>(`/api/workflows/${banking}`)).versions.length;
    await openConfigurations(page, sandbox.url, banking);
    const dialog = await chooseInDialog(page, 'Import package as a new version', [exported.path]);
    await dialog.getByRole('checkbox', { name: 'Back up your current workflow' }).uncheck();
    await sandbox.faults([{ method: 'GET', path: DOCK_STATUS, delayMs: 4000, times: 1 }]);
    await dialog.getByRole('button', { name: 'Import' }).click();
    await expect(dialog.getByText('The platform is importing…')).toBeVisible({ timeout: 30_000 });
    await stopWorker(browser_);

    await expect(
      dialog.getByText('Imported as a new in-development version of "Banking Assistant".'),
    ).toBeVisible({
      timeout: 60_000,
    });
    expect((await api.get<Details>(`/api/workflows/${banking}`)).versions.length).toBe(before + 1);
  });
});
