import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSandbox, type SandboxHandle } from './server.ts';
import { BANKING_MUST_NOT_LEAK, WORKFLOWS } from './seed.ts';
import {
  apiKeyClient,
  importNew,
  importVersion,
  nativeExport,
  sessionClient,
  upload,
  waitForJob,
  type Client,
} from './test-helpers.ts';

const B = WORKFLOWS.banking;
let sandbox: SandboxHandle;
let owner: Client;
let viewer: Client;

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, jobDelayMs: 5 });
  owner = apiKeyClient(sandbox.url);
  viewer = await sessionClient(sandbox.url, 'viewer');
});
afterAll(() => sandbox.close());
beforeEach(() => sandbox.reset());

const node = (id: string, type: string, config: Record<string, unknown> = {}, onSuccess: string[] = []) => ({
  id,
  name: id,
  type,
  position: { x: 0, y: 0 },
  config,
  connections: { onSuccess, onFailure: [] },
});
const flow = (...nodes: unknown[]) => ({
  schemaVersion: '1.0',
  nodes: nodes.length ? nodes : [node('Start', 'start', {}, ['End']), node('End', 'end')],
});
const app = (extra: Record<string, unknown> = {}) => ({
  schemaVersion: '1.0',
  workflow: { name: 'Pkg', description: 'd' },
  version: { name: 'v9 imported' },
  ...extra,
});
const env = (variables: unknown[] = []) => ({ schemaVersion: '1.0', variables });

function counts() {
  const s = sandbox.state();
  return {
    workflows: s.workflows.length,
    versions: s.workflows.reduce((n, w) => n + w.versions.length, 0),
    audit: s.workflows.reduce((n, w) => n + w.auditLogs.length, 0),
  };
}

async function expectFailedAtomically(
  run: () => Promise<{ job?: { status: string; error?: { code: string; details?: unknown } } }>,
  code: string,
) {
  const before = counts();
  const snapshot = JSON.stringify(sandbox.state().workflows);
  const { job } = await run();
  expect(job?.status).toBe('FAILED');
  expect(job?.error?.code).toBe(code);
  expect(counts()).toEqual(before);
  expect(JSON.stringify(sandbox.state().workflows)).toBe(snapshot);
  return job!.error!;
}

describe('import validation (failures are atomic)', () => {
  it('INVALID_JSON', async () => {
    const error = await expectFailedAtomically(
      () => importNew(owner, 'Broken', { flow: '{"schemaVersion": "1.0", "nodes": [', app: app() }),
      'INVALID_JSON',
    );
    expect(JSON.stringify(error.details)).toContain('flow_definition.json');
  });

  it('INVALID_JSON for binary garbage in the env file (import as version)', async () => {
    await expectFailedAtomically(
      () =>
        importVersion(owner, B.id, {
          flow: flow(),
          app: app(),
          env: new Uint8Array([0xff, 0xfe, 0x00, 0x12]),
        }),
      'INVALID_JSON',
    );
  });

  it('SCHEMA_MISMATCH lists every offending path', async () => {
    const badFlow = {
      schemaVersion: '1.0',
      nodes: [
        node('Start', 'start', {}, ['API0001']),
        {
          id: 'API0001',
          name: 'API0001',
          type: 'api',
          config: { method: 'GET', headers: [{ key: 'A' }] },
          connections: { onSuccess: ['Nope'], onFailure: [] },
        },
        { id: 'Function0001', name: '', type: 'function', config: { language: 'cobol', code: 1 } },
        {
          id: 'AI0001',
          name: 'AI0001',
          type: 'ai',
          config: { model: { provider: 'OpenAI' }, timeoutSec: 'slow' },
        },
        { id: 'Start', name: 'Dup', type: 'end' },
      ],
    };
    const badApp = {
      schemaVersion: '1.0',
      io: { inputs: [{ type: 'string' }] },
      guardrails: { inputScanners: [{}] },
    };
    const badEnv = [
      { name: 'A', value: 1 },
      { name: 'A', value: 'x' },
    ];
    const error = await expectFailedAtomically(
      () => importNew(owner, 'Mismatch', { flow: badFlow, app: badApp, env: badEnv }),
      'SCHEMA_MISMATCH',
    );
    const paths = (error.details as Array<{ file: string; path: string }>).map((d) => `${d.file}:${d.path}`);
    expect(paths).toEqual(
      expect.arrayContaining([
        'flow_definition.json:nodes[1].config.url',
        'flow_definition.json:nodes[1].config.headers[0].value',
        'flow_definition.json:nodes[1].connections.onSuccess[0]',
        'flow_definition.json:nodes[2].name',
        'flow_definition.json:nodes[2].config.language',
        'flow_definition.json:nodes[2].config.code',
        'flow_definition.json:nodes[3].config.model.name',
        'flow_definition.json:nodes[3].config.timeoutSec',
        'flow_definition.json:nodes[4].id',
        'app_definition.json:io.inputs[0].name',
        'app_definition.json:guardrails.inputScanners[0].type',
        'env_variables.json:[0].value',
        'env_variables.json:[1].name',
      ]),
    );
  });

  it('SCHEMA_MISMATCH when nodes are missing', async () => {
    const error = await expectFailedAtomically(
      () => importNew(owner, 'No nodes', { flow: { schemaVersion: '1.0' } }),
      'SCHEMA_MISMATCH',
    );
    expect(error.details).toEqual([expect.objectContaining({ file: 'flow_definition.json', path: 'nodes' })]);
  });

  it('INCOMPATIBLE_VERSION for a schemaVersion major above 1', async () => {
    const error = await expectFailedAtomically(
      () => importNew(owner, 'Future', { flow: { ...flow(), schemaVersion: '2.0' }, app: app() }),
      'INCOMPATIBLE_VERSION',
    );
    expect(error.details).toEqual([{ file: 'flow_definition.json', schemaVersion: '2.0' }]);
    // A newer minor is fine.
    const ok = await importNew(owner, 'Minor', { flow: { ...flow(), schemaVersion: '1.7' } });
    expect(ok.job?.status).toBe('SUCCESS');
  });

  it('MISSING_GUARDRAILS for Ban Topics / Bias Detection', async () => {
    const guarded = app({
      guardrails: {
        inputScanners: [
          { type: 'Ban Topics', settings: {} },
          { type: 'Regex', settings: {} },
        ],
        outputScanners: [{ type: 'Bias Detection' }],
      },
    });
    const error = await expectFailedAtomically(
      () => importNew(owner, 'Guarded', { flow: flow(), app: guarded }),
      'MISSING_GUARDRAILS',
    );
    expect((error.details as Array<{ scanner: string }>).map((d) => d.scanner)).toEqual([
      'Ban Topics',
      'Bias Detection',
    ]);
  });

  it('NAME_EXISTS at request time (409), case-insensitively', async () => {
    const before = counts();
    const res = await importNew(owner, 'banking assistant', { flow: flow() });
    expect(res.status).toBe(409);
    expect(res.body.error?.code).toBe('NAME_EXISTS');
    expect(counts()).toEqual(before);
    // The name is checked first, whatever the files.
    const unchecked = await owner.fetch('/api/public/workflows/import', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ workflowName: 'Banking Assistant', flowDataFileId: 'no-such-file' }),
    });
    expect(unchecked.status).toBe(409);
  });

  it('PARENT_NOT_DEPLOYED (409) and FORBIDDEN (403)', async () => {
    const res = await importVersion(owner, WORKFLOWS.empty.id, { flow: flow(), app: app(), env: env() });
    expect([res.status, res.body.error?.code]).toEqual([409, 'PARENT_NOT_DEPLOYED']);
    const forbidden = await importNew(viewer, 'Viewer import', { flow: flow() });
    expect([forbidden.status, forbidden.body.error?.code]).toEqual([403, 'FORBIDDEN']);
  });

  it('rejects requests with unknown or missing files (422 INVALID)', async () => {
    let res = await owner.fetch('/api/public/workflows/import', {
      method: 'POST',
      json: { workflowName: 'X', flowDataFileId: 'ffffffffffffffffffffffff' },
    });
    expect(res.status).toBe(422);
    res = await owner.fetch(`/api/public/workflows/${B.id}/import`, {
      method: 'POST',
      json: { flowDataFileId: await upload(owner, 'f.json', flow()) },
    });
    expect(res.status).toBe(422);
    const body = (await res.json()) as { error: { details: Array<{ path: string }> } };
    expect(body.error.details.map((d) => d.path)).toEqual(['workflowDataFileId', 'envVariablesFileId']);
  });

  it('a file can be used by several imports', async () => {
    const fileId = await upload(owner, 'flow_definition.json', flow());
    for (const name of ['Reuse 1', 'Reuse 2']) {
      const res = await owner.fetch('/api/public/workflows/import', {
        method: 'POST',
        json: { workflowName: name, flowDataFileId: fileId },
      });
      expect(res.status).toBe(202);
      expect(
        (await waitForJob(owner, ((await res.json()) as { dockStatusId: string }).dockStatusId)).status,
      ).toBe('SUCCESS');
    }
  });
});

describe('import warnings', () => {
  it('MODEL_NOT_FOUND keeps the prompts and empties the model; LINKED_WORKFLOW_NOT_FOUND; CUSTOM_SCRIPT_NOT_FOUND; SECURE_VALUE_MISSING', async () => {
    const f = flow(
      node('Start', 'start', {}, ['AI0001']),
      node(
        'AI0001',
        'ai',
        {
          model: { name: 'llama-99', provider: 'Meta' },
          systemPrompt: 'sys',
          prompt: 'hello',
          hyperparameters: { temperature: 0.1 },
          timeoutSec: 30,
          workflowCalling: {
            enabled: true,
            workflows: [{ name: 'Ghost workflow' }, { name: 'Empty Start' }],
          },
        },
        ['AI0002'],
      ),
      node('AI0002', 'ai', { model: { name: 'gpt-4o', provider: 'OpenAI' }, prompt: 'ok' }, ['Function0001']),
      node(
        'Function0001',
        'function',
        {
          mode: 'customFunction',
          language: 'javascript',
          code: '',
          customFunction: { script: 'kyc-utils', function: 'missingFn' },
        },
        ['Function0002'],
      ),
      node(
        'Function0002',
        'function',
        {
          mode: 'customFunction',
          language: 'javascript',
          code: '',
          customFunction: { script: 'kyc-utils', function: 'scoreApplicant' },
        },
        ['End'],
      ),
      node('End', 'end'),
    );
    const e = env([
      { name: 'TOKEN', value: '', secure: true, notes: '' },
      { name: 'PLAIN', value: 'x', secure: false, notes: '' },
    ]);
    const { job } = await importNew(owner, 'Warned', { flow: f, app: app(), env: e });
    expect(job?.status).toBe('SUCCESS');
    expect(job!.warnings!.map((w) => w.code).sort()).toEqual([
      'CUSTOM_SCRIPT_NOT_FOUND',
      'LINKED_WORKFLOW_NOT_FOUND',
      'MODEL_NOT_FOUND',
      'SECURE_VALUE_MISSING',
    ]);
    const wf = sandbox.state().workflows.find((w) => w.id === job!.workflowId)!;
    const nodes = wf.versions[0]!.flow.nodes as Array<{ name: string; config: Record<string, unknown> }>;
    const ai = nodes.find((n) => n.name === 'AI0001')!.config;
    expect(ai.model).toBeNull();
    expect([ai.systemPrompt, ai.prompt, ai.timeoutSec]).toEqual(['sys', 'hello', 30]);
    expect(ai.hyperparameters).toEqual({ temperature: 0.1 });
    expect(
      (ai.workflowCalling as { workflows: Array<{ id: string | null }> }).workflows.map((w) => w.id),
    ).toEqual([null, WORKFLOWS.empty.id]);
    expect(nodes.find((n) => n.name === 'AI0002')!.config.model).toEqual({
      name: 'gpt-4o',
      provider: 'OpenAI',
    });
    expect(wf.versions[0]!.state).toBe('in-development');
    expect(wf.auditLogs.map((a) => a.event)).toEqual(['Workflow created']);
    expect(wf.apiKeys).toEqual([]);
  });

  it('accepts callflow.json content, a top-level env array and unknown keys (kept)', async () => {
    const f = {
      ...flow(),
      canvas: { zoom: 1.5 },
      nodes: [
        { ...node('Start', 'start', {}, ['X']), extra: { a: 1 } },
        node('X', 'browserAutomation', { automation: 'a1' }),
      ],
    };
    const body = {
      workflowName: 'Callflow',
      flowDataFileId: await upload(owner, 'callflow.json', f),
      envVariablesFileId: await upload(owner, 'env_variables.json', [{ name: 'A', value: '1' }]),
    };
    const res = await owner.fetch('/api/public/workflows/import', { method: 'POST', json: body });
    const job = await waitForJob(owner, ((await res.json()) as { dockStatusId: string }).dockStatusId);
    expect(job.status).toBe('SUCCESS');
    const v = sandbox.state().workflows.find((w) => w.id === job.workflowId)!.versions[0]!;
    expect(v.flow.canvas).toEqual({ zoom: 1.5 });
    expect((v.flow.nodes as Array<Record<string, unknown>>)[0]!.extra).toEqual({ a: 1 });
    expect((v.flow.nodes as Array<Record<string, unknown>>)[1]!.type).toBe('browserAutomation');
    expect(v.env.variables).toEqual([{ name: 'A', value: '1', secure: false, notes: '' }]);
  });
});

describe('import as a version', () => {
  it('adds an in-development version, renames and saves the previous one, resolves env conflicts', async () => {
    const exported = await nativeExport(owner, B.id, B.versions.v3);
    const incomingEnv = {
      schemaVersion: '1.0',
      variables: [
        { name: 'BASE_URL', value: 'https://staging.sandboxbank.example/v2', secure: false, notes: '' },
        { name: 'LOG_LEVEL', value: 'warn', secure: false, notes: '' },
        { name: 'CRM_TOKEN', value: '', secure: true, notes: '' },
        { name: 'PAYMENTS_SIGNING_KEY', value: '', secure: true, notes: '' },
        { name: 'NEW_FLAG', value: 'on', secure: false, notes: '' },
      ],
    };
    const before = Date.now();
    const { status, job } = await importVersion(
      owner,
      B.id,
      {
        flow: exported.files['flow_definition.json'],
        app: exported.files['app_definition.json'],
        env: incomingEnv,
      },
      { BASE_URL: 'overwrite', PAYMENTS_SIGNING_KEY: 'overwrite', LOG_LEVEL: 'keep' },
    );
    expect(status).toBe(202);
    expect(job?.status).toBe('SUCCESS');
    const wf = sandbox.state().workflows.find((w) => w.id === B.id)!;
    const newVersion = wf.versions.find((v) => v.id === job!.versionId)!;
    expect(newVersion.state).toBe('in-development');
    expect(newVersion.name).toBe('v3 fraud checks');
    const old = wf.versions.find((v) => v.id === B.versions.v3)!;
    expect(old.state).toBe('saved');
    expect(old.name).toMatch(/^v3 fraud checks \(before import (\d{4}-\d\d-\d\dT[\d:.]+Z)\)$/);
    expect(Date.parse(old.name.match(/import (.+)\)$/)![1]!)).toBeGreaterThanOrEqual(before - 1000);
    expect(wf.deployedVersionId).toBe(B.versions.v2);
    expect(wf.versions.filter((v) => v.state === 'in-development')).toHaveLength(1);

    const vars = Object.fromEntries(newVersion.env.variables.map((v) => [v.name, v.value]));
    expect(vars.BASE_URL).toBe('https://staging.sandboxbank.example/v2'); // overwrite
    expect(vars.LOG_LEVEL).toBe('debug'); // keep
    expect(vars.CRM_TOKEN).toBe(BANKING_MUST_NOT_LEAK.secureEnvValues[0]); // unlisted → keep
    expect(vars.PAYMENTS_SIGNING_KEY).toBe(''); // overwritten with the blank
    expect(vars.NEW_FLAG).toBe('on');
    expect(job!.warnings!.map((w) => [w.code, w.details?.name])).toEqual([
      ['SECURE_VALUE_MISSING', 'PAYMENTS_SIGNING_KEY'],
    ]);
    expect(
      (job!.result!.envConflicts as Array<{ name: string; resolution: string }>)
        .map((c) => `${c.name}:${c.resolution}`)
        .sort(),
    ).toEqual(['BASE_URL:overwrite', 'CRM_TOKEN:keep', 'LOG_LEVEL:keep', 'PAYMENTS_SIGNING_KEY:overwrite']);
    // API keys, sharing and audit logs stay as they were; one "Version created" entry is added.
    expect(wf.apiKeys).toHaveLength(2);
    expect(wf.sharing).toHaveLength(4);
    expect(wf.auditLogs.filter((a) => a.event === 'Version created').at(-1)!.metadata.versionId).toBe(
      newVersion.id,
    );
  });

  it('rejects bad envConflicts values', async () => {
    const res = await importVersion(
      owner,
      B.id,
      { flow: flow(), app: app(), env: env() },
      { X: 'merge' as 'keep' },
    );
    expect(res.status).toBe(422);
  });
});
