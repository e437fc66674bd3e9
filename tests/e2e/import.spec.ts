import { test, expect } from './fixtures';
import type { TestFile } from './drivers/driver';
import { WORKFLOWS } from '../sandbox/seed';
import { readPackageZip } from '../../lib/package/zip-read';
import { diffPackages } from '../../lib/package/diff';
import { serializePackage, zipFiles } from '../../lib/package/zip-write';
import type { PackageContent } from '../../lib/package/schemas';
import {
  exactly,
  exportWithPanel,
  login,
  newestDownload,
  openConfigurations,
  reads,
  shows,
  storedByExtension,
} from './steps';
import { ALERT, DIALOG, IMPORT, apiAs, chooseInDialog, inDialog } from './import-steps';

/** A package changed by `change`, as a file to choose. */
async function repacked(
  bytes: Uint8Array,
  change: (content: PackageContent) => void,
  name = 'Changed.zip',
): Promise<TestFile> {
  const content = structuredClone(readPackageZip(bytes).content);
  change(content);
  return { name, bytes: await zipFiles(serializePackage(content)) };
}

const textFile = (name: string, text: string): TestFile => ({ name, bytes: new TextEncoder().encode(text) });

type VersionRecord = { version: { name: string }; env: { variables: { name: string; value: string }[] } };
type Details = {
  workflow: { inDevelopmentVersionId: string };
  versions: { id: string; name: string; state: string }[];
};

/** Fields that may differ after a round trip: the workflow's name and every identifier the platform hands out. */
const NAMES_AND_IDS = /^(workflow\.name|version\.(id|name|createdAt|description))$|(^|\.)id$|\.id\b/;
const NEW_NAME = inDialog('textbox', 'New workflow name');
const BACKUP = inDialog('checkbox', 'Back up your current workflow');
const differs = (variable: string) => inDialog('group', exactly(`${variable} differs`));
const choice = (variable: string, label: 'Overwrite' | 'Keep existing') => ({
  role: 'radio' as const,
  name: label,
  within: differs(variable),
});
const BANKING_VERSION_DONE = 'Imported as a new in-development version of "Banking Assistant".';

test.describe('a package round-trips: export, import as new, export again, and only names and ids differ', () => {
  for (const workflow of Object.values(WORKFLOWS)) {
    test(workflow.name, async ({ driver, sandbox }) => {
      test.setTimeout(120_000);
      const { tab } = driver;
      await login(tab, sandbox.url, 'owner@sandbox.test');
      const original = await exportWithPanel(driver, sandbox.url, workflow.id);

      await tab.goto(`${sandbox.url}/workflows`);
      await chooseInDialog(tab, 'Import package', [original.path]);
      // The package's own name is taken (the original is there): a free one is proposed.
      await shows(tab, inDialog('text', /is already taken in this account/));
      const name = await tab.value(NEW_NAME);
      expect(name).toBe(`${workflow.name} (2)`);
      await tab.click(IMPORT);
      await shows(tab, inDialog('text', `Imported as the new workflow "${name}".`), undefined, 60_000);

      const made = (await (await apiAs(sandbox.url, 'owner@sandbox.test')).workflows()).filter(
        (w) => w.name === name,
      );
      expect(made).toHaveLength(1);
      expect(await tab.attribute(inDialog('link', `Open ${name}`), 'href')).toBe(
        `${sandbox.url}/workflows/${made[0]!.id}/flow`,
      );

      const again = await exportWithPanel(driver, sandbox.url, made[0]!.id);
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
  driver,
  sandbox,
}) => {
  test.setTimeout(120_000);
  const { tab } = driver;
  const banking = WORKFLOWS.banking.id;
  await login(tab, sandbox.url, 'owner@sandbox.test');
  const exported = await exportWithPanel(driver, sandbox.url, banking);
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

  await openConfigurations(tab, sandbox.url, banking);
  const downloadsBefore = await driver.downloads();
  await chooseInDialog(tab, 'Import package as a new version', [file]);
  await reads(tab, differs('BASE_URL'), /https:\/\/api\.changed\.example/);
  expect(await tab.text(differs('BASE_URL'))).toContain(currentValue('BASE_URL'));
  expect(await tab.checked(choice('LOG_LEVEL', 'Keep existing'))).toBe(true);
  // A secure variable's values are never shown, whichever side holds one.
  await reads(tab, differs('PAYMENTS_SIGNING_KEY'), /values are not shown/);
  expect(await tab.text(DIALOG)).not.toContain(currentValue('PAYMENTS_SIGNING_KEY'));
  expect(await tab.checked(BACKUP)).toBe(true);

  await tab.check(choice('BASE_URL', 'Overwrite'));
  await tab.check(choice('PAYMENTS_SIGNING_KEY', 'Overwrite'));
  await tab.fill(inDialog('textbox', 'PAYMENTS_SIGNING_KEY'), 'typed-signing-secret-42');
  await tab.click(IMPORT);
  await shows(tab, inDialog('text', BANKING_VERSION_DONE), undefined, 60_000);
  await shows(tab, inDialog('text', 'backed up as Exported_Banking Assistant.zip'));

  const backup = await newestDownload(driver, downloadsBefore);
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
  const stored = await storedByExtension(await driver.openExtensionPage('popup.html'));
  expect(stored).toContain('import');
  expect(stored).not.toContain('typed-signing-secret-42');
});

test.describe('what cannot be imported says why, and the server gets nothing', () => {
  test('broken inputs, each with its own message, file and place', async ({ driver, sandbox }) => {
    test.setTimeout(120_000);
    const { tab } = driver;
    await login(tab, sandbox.url, 'owner@sandbox.test');
    const exported = await exportWithPanel(driver, sandbox.url, WORKFLOWS.banking.id);
    const api = await apiAs(sandbox.url, 'owner@sandbox.test');
    const workflowsBefore = (await api.workflows()).length;
    const { content } = readPackageZip(exported.bytes);
    const json = (value: unknown) => JSON.stringify(value);

    const cases: { name: string; files: TestFile[]; says: RegExp[] }[] = [
      {
        name: 'a broken zip',
        files: [{ name: 'Broken.zip', bytes: exported.bytes.subarray(0, exported.bytes.length / 2) }],
        says: [/zip/i],
      },
      {
        name: 'a file that is not a package',
        files: [textFile('notes.txt', 'hello')],
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
        files: [
          textFile('app_definition.json', json(content.app)),
          textFile('callflow.json', json(content.flow)),
          textFile('env_variables.json', '{"variables": ['),
        ],
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
      await tab.goto(`${sandbox.url}/workflows`);
      await chooseInDialog(tab, 'Import package', files);
      const alert = (await tab.text(ALERT)) ?? '';
      for (const text of says) expect(alert, name).toMatch(text);
      expect(await tab.count(IMPORT), name).toBe(0);
    }

    // The three files, right this time (callflow.json as the flow), are read and planned.
    await tab.goto(`${sandbox.url}/workflows`);
    await chooseInDialog(tab, 'Import package', [
      textFile('app_definition.json', json(content.app)),
      textFile('callflow.json', json(content.flow)),
      textFile('env_variables.json', json(content.env)),
    ]);
    await shows(tab, inDialog('text', /Read "callflow\.json" as flow_definition\.json/));
    // A name already in the account is said before sending, and stops the import.
    await tab.fill(NEW_NAME, 'invoice triage');
    await shows(tab, inDialog('text', 'A workflow named "invoice triage" already exists in this account.'));
    expect(await tab.disabled(IMPORT)).toBe(true);
    expect((await api.workflows()).length).toBe(workflowsBefore);
  });

  test('a guardrail scanner the account lacks: warned before, refused by the platform in plain words', async ({
    driver,
    sandbox,
  }) => {
    test.setTimeout(90_000);
    const { tab } = driver;
    await login(tab, sandbox.url, 'owner@sandbox.test');
    const exported = await exportWithPanel(driver, sandbox.url, WORKFLOWS.banking.id);
    const file = await repacked(exported.bytes, (c) => {
      c.app.guardrails!.inputScanners.push({ type: 'Ban Topics', settings: { topics: ['crypto'] } });
    });
    const api = await apiAs(sandbox.url, 'owner@sandbox.test');
    const before = (await api.workflows()).length;
    await tab.goto(`${sandbox.url}/workflows`);
    await chooseInDialog(tab, 'Import package', [file]);
    await shows(tab, inDialog('text', /Guardrail scanner "Ban Topics" must be deployed/));
    await tab.click(IMPORT);
    await reads(tab, ALERT, /guardrail scanners that are not deployed in this account/, 60_000);
    const alert = (await tab.text(ALERT)) ?? '';
    expect(alert).toMatch(/app_definition\.json, input scanner \d+: Guardrail scanner "Ban Topics"/);
    expect(alert).toContain('Nothing was imported.');
    expect(alert).not.toContain('{');
    expect((await api.workflows()).length).toBe(before);
  });

  test('a workflow that is not deployed takes no version, and says so before any click', async ({
    driver,
    sandbox,
  }) => {
    const { tab } = driver;
    const region = { role: 'region' as const, name: 'Porter: Import package as a new version' };
    await login(tab, sandbox.url, 'owner@sandbox.test');
    await openConfigurations(tab, sandbox.url, WORKFLOWS.invoice.id);
    await reads(tab, region, /This workflow is not deployed/);
    expect(await tab.disabled({ role: 'button', within: region })).toBe(true);
  });

  test('the backup failing stops the import: nothing imported, and said so', async ({ driver, sandbox }) => {
    test.setTimeout(90_000);
    const { tab } = driver;
    const banking = WORKFLOWS.banking.id;
    await login(tab, sandbox.url, 'owner@sandbox.test');
    const exported = await exportWithPanel(driver, sandbox.url, banking);
    const api = await apiAs(sandbox.url, 'owner@sandbox.test');
    const before = (await api.get<Details>(`/api/workflows/${banking}`)).versions.length;
    await openConfigurations(tab, sandbox.url, banking);
    await chooseInDialog(tab, 'Import package as a new version', [
      { name: 'Banking Assistant.zip', bytes: exported.bytes },
    ]);
    await sandbox.faults([
      { method: 'GET', path: '/api/workflows/:id/versions/:versionId', status: 500, times: 1 },
    ]);
    await tab.click(IMPORT);
    await reads(tab, ALERT, /The backup of your current workflow failed, so nothing was imported\./, 60_000);
    expect((await api.get<Details>(`/api/workflows/${banking}`)).versions.length).toBe(before);
  });
});

test('roles: viewer and editor see why they cannot before clicking, and the server refuses them anyway', async ({
  driver,
  sandbox,
}) => {
  const { tab } = driver;
  const dashboard = { role: 'region' as const, name: exactly('Porter: Import package') };
  const version = { role: 'region' as const, name: 'Porter: Import package as a new version' };
  await login(tab, sandbox.url, 'viewer@sandbox.test');
  await reads(tab, dashboard, /Your account role \(Viewer\) cannot import workflows/);
  expect(await tab.disabled({ role: 'button', name: 'Import package', within: dashboard })).toBe(true);
  const viewer = await apiAs(sandbox.url, 'viewer@sandbox.test');
  expect(
    (await viewer.post('/api/public/workflows/import', { workflowName: 'x', flowDataFileId: 'f' })).status,
  ).toBe(403);

  await driver.clearCookies();
  await login(tab, sandbox.url, 'editor@sandbox.test');
  await expect.poll(() => tab.disabled({ role: 'button', within: dashboard })).toBe(false);
  await openConfigurations(tab, sandbox.url, WORKFLOWS.banking.id);
  await reads(tab, version, /\(tool editor\) cannot import a version/);
  expect(await tab.disabled({ role: 'button', within: version })).toBe(true);
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
    driver,
    sandbox,
  }) => {
    test.setTimeout(90_000);
    const { tab } = driver;
    await login(tab, sandbox.url, 'owner@sandbox.test');
    const exported = await exportWithPanel(driver, sandbox.url, WORKFLOWS.empty.id);
    await tab.goto(`${sandbox.url}/workflows`);
    await chooseInDialog(tab, 'Import package', [exported.path]);
    const name = await tab.value(NEW_NAME);
    await sandbox.faults([{ method: 'GET', path: DOCK_STATUS, expireSession: true, times: 1 }]);
    await tab.click(IMPORT);
    await shows(tab, inDialog('text', /session has expired while the platform imports/), undefined, 30_000);

    await login(tab, sandbox.url, 'owner@sandbox.test');
    // Back on the dashboard, the import of this tab is shown again (in the dialog while it runs, in the entry once
    // it ended) and followed to its end.
    const done = async () =>
      (await tab.count(inDialog('text', `Imported as the new workflow "${name}".`))) +
      (await tab.count({ role: 'text', name: `Your import of "${name}" is done.` }));
    await expect.poll(done, { timeout: 60_000, message: 'the import is reported done' }).toBeGreaterThan(0);
    const api = await apiAs(sandbox.url, 'owner@sandbox.test');
    expect((await api.workflows()).filter((w) => w.name === name)).toHaveLength(1);
  });

  test('the background is stopped while it polls: it resumes the same job and never imports twice', async ({
    driver,
    sandbox,
  }) => {
    test.setTimeout(90_000);
    const { tab } = driver;
    const banking = WORKFLOWS.banking.id;
    await login(tab, sandbox.url, 'owner@sandbox.test');
    const exported = await exportWithPanel(driver, sandbox.url, banking);
    const api = await apiAs(sandbox.url, 'owner@sandbox.test');
    const before = (await api.get<Details>(`/api/workflows/${banking}`)).versions.length;
    await openConfigurations(tab, sandbox.url, banking);
    await chooseInDialog(tab, 'Import package as a new version', [exported.path]);
    await tab.check(BACKUP, false);
    await sandbox.faults([{ method: 'GET', path: DOCK_STATUS, delayMs: 4000, times: 1 }]);
    await tab.click(IMPORT);
    await shows(tab, inDialog('text', 'The platform is importing…'), undefined, 30_000);
    await driver.stopBackground();

    await shows(tab, inDialog('text', BANKING_VERSION_DONE), undefined, 60_000);
    expect((await api.get<Details>(`/api/workflows/${banking}`)).versions.length).toBe(before + 1);
  });
});
