/** Both clients against the real sandbox (platform-contract.md §4, §5, §8). */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { readPackageZip } from '../../../lib/package/zip-read.ts';
import { createSessionClient } from '../../../lib/platform/session-client.ts';
import type { SandboxHandle } from '../../sandbox/server.ts';
import {
  BANKING_MUST_NOT_LEAK,
  FAST,
  SEEDED_VERSIONS,
  USERS,
  WORKFLOWS,
  clearFaults,
  encode,
  publicFor,
  sessionFor,
  setFaults,
  startTestSandbox,
  unzipJson,
} from './sandbox-fixture.ts';
import { failure } from './failure';

let sandbox: SandboxHandle;

beforeAll(async () => {
  sandbox = await startTestSandbox();
});
afterAll(async () => {
  await sandbox?.close();
});
afterEach(async () => {
  await clearFaults(sandbox.url);
});

const banking = WORKFLOWS.banking;

describe('session client', () => {
  it.each([
    [
      'owner',
      'Master Admin',
      'tool admin',
      { export: true, importVersion: true, deploy: true, delete: true },
    ],
    ['manager', 'Admin', 'tool manager', { export: true, importVersion: true, deploy: true, delete: false }],
    ['editor', 'Member', 'tool editor', { export: true, importVersion: false, deploy: true, delete: false }],
    [
      'viewer',
      'Viewer',
      'tool viewer',
      { export: false, importVersion: false, deploy: false, delete: false },
    ],
  ] as const)('maps the %s role and permissions', async (user, accountRole, toolRole, permissions) => {
    const client = await sessionFor(sandbox.url, user);
    const session = await client.getSession();
    expect(session.user.email).toBe(USERS[user].email);
    expect(session.account).toMatchObject({ name: 'Sandbox Bank', role: accountRole });
    expect(session).not.toHaveProperty('csrfToken');

    const list = await client.listWorkflows();
    expect(list.map((workflow) => workflow.name)).toContain('Banking Assistant');
    expect(list.find((workflow) => workflow.id === banking.id)?.myRole).toBe(toolRole);

    const details = await client.getWorkflow(banking.id);
    expect(details.workflow.permissions).toEqual(permissions);
    expect(details.workflow.myRole).toBe(toolRole);
    expect(details.workflow.deployedVersionId).toBe(SEEDED_VERSIONS.banking.deployed);
    expect(details.workflow.inDevelopmentVersionId).toBe(SEEDED_VERSIONS.banking.inDevelopment);
    expect(details.versions.map((version) => version.state).sort()).toEqual([
      'deployed',
      'in-development',
      'saved',
    ]);
  });

  it('reads the raw version record as an editor, and refuses it to a viewer (FORBIDDEN)', async () => {
    const editor = await sessionFor(sandbox.url, 'editor');
    const record = (await editor.getVersionRecord(banking.id, banking.versions.v3)) as {
      workflow: { apiKeys: unknown[] };
    };
    expect(record.workflow.apiKeys.length).toBe(2);

    const viewer = await sessionFor(sandbox.url, 'viewer');
    const error = await failure(viewer.getVersionRecord(banking.id, banking.versions.v3));
    expect(error.code).toBe('FORBIDDEN');
    expect(error.status).toBe(403);
    expect(error.retryable).toBe(false);
  });

  it('is UNAUTHENTICATED without a session, with wrong credentials and when the session expires', async () => {
    const anonymous = createSessionClient({ baseUrl: sandbox.url, ...FAST });
    expect((await failure(anonymous.getSession())).code).toBe('UNAUTHENTICATED');
    expect((await failure(anonymous.login('editor@sandbox.test', 'wrong'))).code).toBe('UNAUTHENTICATED');

    const client = await sessionFor(sandbox.url, 'editor');
    await setFaults(sandbox.url, [{ method: 'GET', path: '/api/workflows', expireSession: true, times: 1 }]);
    const error = await failure(client.listWorkflows());
    expect(error.code).toBe('UNAUTHENTICATED');
    expect(error.message).toMatch(/sign in again/);
    expect((await failure(client.getSession())).code).toBe('UNAUTHENTICATED');
  });

  it('maps a dropped connection to NETWORK and a 500 to SERVER, both retryable', async () => {
    const client = await sessionFor(sandbox.url, 'editor');
    await setFaults(sandbox.url, [
      { method: 'GET', path: '/api/workflows/:id', dropConnection: true, times: 1 },
    ]);
    const dropped = await failure(client.getWorkflow(banking.id));
    expect(dropped.code).toBe('NETWORK');
    expect(dropped.retryable).toBe(true);

    await setFaults(sandbox.url, [{ method: 'GET', path: '/api/workflows', status: 500, times: 1 }]);
    const server = await failure(client.listWorkflows());
    expect(server.code).toBe('SERVER');
    expect(server.status).toBe(500);
    expect(server.retryable).toBe(true);
    // The fault was used up: the next call works.
    expect((await client.listWorkflows()).length).toBeGreaterThan(0);
  });

  it('times out a slow answer (TIMEOUT)', async () => {
    const client = await sessionFor(sandbox.url, 'editor', { timeoutMs: 100 });
    await setFaults(sandbox.url, [{ method: 'GET', path: '/api/workflows', delayMs: 1000, times: 1 }]);
    const error = await failure(client.listWorkflows());
    expect(error.code).toBe('TIMEOUT');
    expect(error.retryable).toBe(true);
  });

  it('rejects an answer that is not JSON (BAD_RESPONSE)', async () => {
    const client = await sessionFor(sandbox.url, 'editor');
    await setFaults(sandbox.url, [{ method: 'GET', path: '/api/workflows', status: 200, times: 1 }]);
    expect((await failure(client.listWorkflows())).code).toBe('BAD_RESPONSE');
  });

  it('exports the native zip through the session (cookie + CSRF)', async () => {
    const client = await sessionFor(sandbox.url, 'editor');
    const zip = await client.exportNativePackage(banking.id, banking.versions.v2);
    const { content } = readPackageZip(zip);
    expect(content.app.workflow.name).toBe('Banking Assistant');
    expect(content.app.version.name).toBe('v2 loan intents');
    const text = new TextDecoder().decode(zip);
    for (const secret of BANKING_MUST_NOT_LEAK.secureEnvValues) expect(text).not.toContain(secret);
  });

  it('refuses an export and an import-as-version to roles that may not (FORBIDDEN)', async () => {
    const viewer = await sessionFor(sandbox.url, 'viewer');
    expect((await failure(viewer.exportNativePackage(banking.id))).code).toBe('FORBIDDEN');
    const editor = await sessionFor(sandbox.url, 'editor');
    const zip = await editor.exportNativePackage(banking.id);
    const files = unzipJson(zip);
    const error = await failure(
      editor.importPackage(
        {
          flow: encode(files['flow_definition.json']),
          app: encode(files['app_definition.json']),
          env: encode(files['env_variables.json']),
        },
        { kind: 'version', workflowId: banking.id },
      ),
    );
    expect(error.code).toBe('FORBIDDEN');
  });

  it('imports as a version as a manager, with env conflicts', async () => {
    const manager = await sessionFor(sandbox.url, 'manager');
    const files = unzipJson(await manager.exportNativePackage(banking.id, banking.versions.v2));
    const result = await manager.importPackage(
      {
        flow: encode(files['flow_definition.json']),
        app: encode(files['app_definition.json']),
        env: encode(files['env_variables.json']),
      },
      { kind: 'version', workflowId: banking.id, envConflicts: { BASE_URL: 'overwrite' } },
    );
    expect(result.workflowId).toBe(banking.id);
    expect(result.versionId).toMatch(/^cf-/);
    const details = await manager.getWorkflow(banking.id);
    expect(details.workflow.inDevelopmentVersionId).toBe(result.versionId);
    sandbox.reset();
  });
});

describe('public client (x-api-key)', () => {
  it('exports the native zip, with and without a version', async () => {
    const client = publicFor(sandbox.url);
    const deployed = readPackageZip(await client.exportNativePackage(banking.id)).content;
    expect(deployed.app.version.name).toBe('v2 loan intents');
    const v3 = readPackageZip(await client.exportNativePackage(banking.id, banking.versions.v3)).content;
    expect(v3.app.version.name).toBe('v3 fraud checks');
  });

  it('is UNAUTHENTICATED with a wrong key', async () => {
    const client = publicFor(sandbox.url, { apiKey: 'kg-wrong' });
    const error = await failure(client.exportNativePackage(banking.id));
    expect(error.code).toBe('UNAUTHENTICATED');
    expect(error.message).not.toContain('kg-wrong');
    // The listing route answers 401 as well: reported as not supported, with the hint.
    expect((await failure(client.listWorkflows())).code).toBe('NOT_SUPPORTED');
  });

  it('lists workflows on the sandbox (it accepts the key on the session routes) and says NOT_SUPPORTED for raw records', async () => {
    const client = publicFor(sandbox.url);
    expect((await client.getSession()).user.email).toBe(USERS.owner.email);
    expect((await client.listWorkflows()).length).toBe(5);
    expect((await client.getWorkflow(banking.id)).workflow.permissions.importVersion).toBe(true);
    expect((await failure(client.getVersionRecord(banking.id, banking.versions.v1))).code).toBe(
      'NOT_SUPPORTED',
    );
    expect((await failure(client.getWorkflow('a-00000000-0000-5000-8000-000000000000'))).code).toBe(
      'NOT_FOUND',
    );
  });

  it('maps a dropped connection during polling, and a 404 export of an unknown workflow', async () => {
    const client = publicFor(sandbox.url);
    await setFaults(sandbox.url, [
      { method: 'POST', path: '/api/public/workflows/:id/export', dropConnection: true, times: 1 },
    ]);
    expect((await failure(client.exportNativePackage(banking.id))).code).toBe('NETWORK');
    // Transient failures of the status call are ridden out.
    await setFaults(sandbox.url, [
      { method: 'GET', path: '/api/public/dock-status/:id', status: 503, times: 2 },
    ]);
    expect((await client.exportNativePackage(banking.id)).length).toBeGreaterThan(100);
    expect((await failure(client.exportNativePackage('a-00000000-0000-5000-8000-000000000000'))).code).toBe(
      'NOT_FOUND',
    );
  });

  it('imports a new workflow and returns the warnings', async () => {
    const client = publicFor(sandbox.url);
    const files = unzipJson(await client.exportNativePackage(banking.id, banking.versions.v3));
    const flow = files['flow_definition.json'] as {
      nodes: { type: string; config: { model?: { name: string } } }[];
    };
    const ai = flow.nodes.find((node) => node.type === 'ai')!;
    ai.config.model = { name: 'no-such-model' };
    const result = await client.importPackage(
      {
        flow: encode(flow),
        app: encode(files['app_definition.json']),
        env: encode(files['env_variables.json']),
      },
      { kind: 'new', name: 'Banking copy (platform test)' },
    );
    expect(result.workflowId).toMatch(/^a-/);
    const codes = result.warnings.map((warning) => warning.code);
    expect(codes).toContain('MODEL_NOT_FOUND');
    expect(codes).toContain('SECURE_VALUE_MISSING');
    expect((await client.getWorkflow(result.workflowId)).workflow.name).toBe('Banking copy (platform test)');

    // The same name again: NAME_EXISTS, refused before any job starts.
    const again = await failure(
      client.importPackage({ flow: encode(flow) }, { kind: 'new', name: 'Banking copy (platform test)' }),
    );
    expect(again.code).toBe('NAME_EXISTS');
  });

  it('turns each import failure into IMPORT_FAILED with the job code and details', async () => {
    const client = publicFor(sandbox.url);
    const files = unzipJson(await client.exportNativePackage(WORKFLOWS.empty.id));
    const app = files['app_definition.json'] as Record<string, unknown>;
    const flow = files['flow_definition.json'] as Record<string, unknown>;
    const cases: [string, { flow: Uint8Array; app?: Uint8Array }][] = [
      ['INVALID_JSON', { flow: encode('{"nodes": [') }],
      ['INCOMPATIBLE_VERSION', { flow: encode({ ...flow, schemaVersion: '2.0' }) }],
      ['SCHEMA_MISMATCH', { flow: encode({ schemaVersion: '1.0', nodes: [{ id: 1 }] }) }],
      [
        'MISSING_GUARDRAILS',
        {
          flow: encode(flow),
          app: encode({
            ...app,
            guardrails: { inputScanners: [{ type: 'Ban Topics', settings: {} }], outputScanners: [] },
          }),
        },
      ],
    ];
    for (const [code, files] of cases) {
      const error = await failure(client.importPackage(files, { kind: 'new', name: `Failing ${code}` }));
      expect(error.code, code).toBe('IMPORT_FAILED');
      expect(error.jobCode, code).toBe(code);
      expect(error.retryable).toBe(false);
      expect(error.details, code).toBeDefined();
    }
    const names = (await client.listWorkflows()).map((workflow) => workflow.name);
    expect(names.some((name) => name.startsWith('Failing'))).toBe(false);
  });

  it('refuses a version import into a workflow that is not deployed (PARENT_NOT_DEPLOYED)', async () => {
    const client = publicFor(sandbox.url);
    const files = unzipJson(await client.exportNativePackage(WORKFLOWS.invoice.id));
    const error = await failure(
      client.importPackage(
        {
          flow: encode(files['flow_definition.json']),
          app: encode(files['app_definition.json']),
          env: encode(files['env_variables.json']),
        },
        { kind: 'version', workflowId: WORKFLOWS.invoice.id },
      ),
    );
    expect(error.code).toBe('PARENT_NOT_DEPLOYED');
  });
});
