import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { zipSync } from 'fflate';
import { handleMessage, type RouterDeps } from '../../../lib/worker/router';
import { PorterDatabase } from '../../../lib/store/db';
import { carry } from '../../../lib/protocol/bytes';
import type { AccountInfo, PlatformClient, WorkflowDetails } from '../../../lib/platform/types';
import { bankingFileText } from '../banking-package';

const EXTENSION_ID = 'porter-id';
const EXTENSION_ORIGIN = 'chrome-extension://porter-id';
const PLATFORM = 'https://process.kore.ai';
const fromPage = { id: EXTENSION_ID, url: `${PLATFORM}/workflows`, tabId: 3 };
const fromViewer = { id: EXTENSION_ID, url: `${EXTENSION_ORIGIN}/viewer.html` };

let db: PorterDatabase;
let account: AccountInfo;
let workflow: WorkflowDetails['workflow'];
let clients: string[];
let deps: RouterDeps;

const encoder = new TextEncoder();
/** The package as a page carries it to the worker. */
const packageZip = () =>
  carry(
    new Blob([
      zipSync({
        'app_definition.json': encoder.encode(bankingFileText('app_definition.json')),
        'flow_definition.json': encoder.encode(bankingFileText('flow_definition.json')),
        'env_variables.json': encoder.encode(bankingFileText('env_variables.json')),
      }) as Uint8Array<ArrayBuffer>,
    ]),
  );

beforeEach(() => {
  db = new PorterDatabase(`import-handlers-${Math.random()}`);
  clients = [];
  account = { role: 'Member', canImportWorkflow: true };
  workflow = {
    id: 'a-1',
    name: 'Banking Assistant',
    description: '',
    status: 'Deployed',
    deployedVersionId: 'cf-2',
    inDevelopmentVersionId: null,
    myRole: 'tool editor',
    permissions: { export: true, importVersion: false, deploy: false, delete: false },
  };
  const client = {
    getAccount: async () => account,
    getWorkflow: async () => ({ workflow, versions: [] }),
    listWorkflows: async () => [],
    startImport: async () => ({ dockStatusId: 'ds-1', workflowId: 'a-new' }),
    awaitImport: async () => ({ workflowId: 'a-new', warnings: [] }),
  } as unknown as PlatformClient;
  deps = {
    db,
    extensionId: EXTENSION_ID,
    extensionOrigin: EXTENSION_ORIGIN,
    clientFor: (origin) => {
      clients.push(origin);
      return client;
    },
    downloads: {
      download: async () => ({ downloadId: 1 }),
      downloadArchive: async () => ({ downloadId: 2 }),
    },
    notify: () => undefined,
    notifyImport: () => undefined,
    fingerprintKey: async () => 'k',
    isOriginAllowed: async (origin) => origin === PLATFORM,
    openViewer: async () => undefined,
  };
});
afterEach(() => db.delete());

describe('import handlers', () => {
  it('say before any click why a role may not import, for a new workflow and for a version', async () => {
    account = { role: 'Viewer', canImportWorkflow: false };
    expect(await handleMessage({ type: 'import:context', target: { kind: 'new' } }, fromPage, deps)).toEqual({
      ok: true,
      data: {
        allowed: false,
        reason:
          'Your account role (Viewer) cannot import workflows: that needs the Master Admin, Admin or Member role.',
      },
    });
    const version = await handleMessage(
      { type: 'import:context', target: { kind: 'version', workflowId: 'a-1' } },
      fromPage,
      deps,
    );
    expect(version).toMatchObject({
      ok: true,
      data: { allowed: false, reason: expect.stringMatching(/\(tool editor\)/) },
    });
    workflow = {
      ...workflow,
      permissions: { ...workflow.permissions, importVersion: true },
      deployedVersionId: null,
    };
    const undeployed = await handleMessage(
      { type: 'import:context', target: { kind: 'version', workflowId: 'a-1' } },
      fromPage,
      deps,
    );
    expect(undeployed).toMatchObject({
      ok: true,
      data: { allowed: false, reason: expect.stringMatching(/not deployed/) },
    });
  });

  it('a page imports into its own origin only; the viewer names a host the extension may reach', async () => {
    const check = {
      type: 'import:check',
      source: { kind: 'zip', name: 'p.zip', bytes: await packageZip() },
      target: { kind: 'new' },
    };
    expect(await handleMessage({ ...check, host: 'https://other.example' }, fromPage, deps)).toMatchObject({
      ok: false,
      error: { code: 'NOT_ALLOWED_ORIGIN' },
    });
    expect(await handleMessage(check, fromViewer, deps)).toMatchObject({
      ok: false,
      error: { code: 'NOT_ALLOWED_ORIGIN' },
    });
    expect(await handleMessage({ ...check, host: 'https://other.example' }, fromViewer, deps)).toMatchObject({
      ok: false,
    });
    const checked = await handleMessage({ ...check, host: `${PLATFORM}/some/page` }, fromViewer, deps);
    expect(checked).toMatchObject({ ok: true, data: { ok: true, plan: { name: 'Banking Assistant' } } });
    expect(clients).toEqual([PLATFORM]);
  });

  it('the viewer applies its check on the host it named, and follows the job to the new workflow', async () => {
    const checked = (await handleMessage(
      {
        type: 'import:check',
        source: { kind: 'zip', name: 'p.zip', bytes: await packageZip() },
        target: { kind: 'new' },
        host: PLATFORM,
      },
      fromViewer,
      deps,
    )) as { ok: true; data: { ok: true; checkId: string } };
    const apply = {
      type: 'import:apply',
      checkId: checked.data.checkId,
      backup: false,
      envChoices: {},
      secureValues: {},
    };
    expect(await handleMessage(apply, fromViewer, deps)).toMatchObject({
      ok: false,
      error: { code: 'NOT_ALLOWED_ORIGIN' },
    });
    const started = (await handleMessage({ ...apply, host: PLATFORM }, fromViewer, deps)) as {
      ok: true;
      data: { id: string };
    };
    expect(started).toMatchObject({ ok: true, data: { target: { kind: 'new', name: 'Banking Assistant' } } });
    await expect
      .poll(async () => handleMessage({ type: 'import:status', jobId: started.data.id }, fromViewer, deps))
      .toMatchObject({
        ok: true,
        data: { status: 'succeeded', result: { url: `${PLATFORM}/workflows/a-new/flow` } },
      });
  });

  it('a cached package is read from the cache; a file the worker cannot read is said as such', async () => {
    expect(
      await handleMessage(
        {
          type: 'import:check',
          source: { kind: 'cached', packageId: 'gone' },
          target: { kind: 'new' },
          host: PLATFORM,
        },
        fromViewer,
        deps,
      ),
    ).toMatchObject({ ok: false, error: { message: 'This package is no longer in the cache.' } });
    expect(
      await handleMessage(
        {
          type: 'import:check',
          source: { kind: 'zip', name: 'p.zip', bytes: { url: 'blob:https://process.kore.ai/released' } },
          target: { kind: 'new' },
        },
        fromPage,
        deps,
      ),
    ).toMatchObject({ ok: true, data: { ok: false, summary: 'The file could not be read.' } });
  });

  it('a malformed request is not answered at all', async () => {
    expect(
      await handleMessage({ type: 'import:check', source: { kind: 'ftp' } }, fromPage, deps),
    ).toBeUndefined();
  });
});
