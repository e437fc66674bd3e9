import { describe, expect, it } from 'vitest';
import {
  appDefinitionSchema,
  envVariablesSchema,
  FLOW_FILE_ALIASES,
  flowDefinitionSchema,
  formatIssuePath,
  PACKAGE_FILES,
  rawVersionRecordSchema,
  schemaMajor,
} from '../../../lib/package/schemas';

const app = () => ({
  schemaVersion: '1.0',
  workflow: { name: 'Banking Assistant', description: 'd' },
  version: { id: 'cf-1', name: 'v1', description: '', createdAt: '2024-01-01' },
  io: { inputs: [{ name: 'q', type: 'string', mandatory: true }], outputs: [{ name: 'a', type: 'string' }] },
  execution: { syncTimeoutSec: 180, async: { enabled: false, timeoutSec: null } },
  guardrails: { inputScanners: [{ type: 'Regex', settings: {} }], outputScanners: [] },
});
const flow = () => ({
  schemaVersion: '1.0',
  nodes: [
    {
      id: 'n1',
      name: 'Start',
      type: 'start',
      position: { x: 0, y: 0 },
      config: {},
      connections: { onSuccess: ['n2'], onFailure: [] },
    },
    {
      id: 'n2',
      name: 'API0001',
      type: 'api',
      position: { x: 1, y: 0 },
      config: { url: 'https://x.test', method: 'GET', headers: [{ key: 'Accept', value: '*/*' }] },
      connections: { onSuccess: ['n3'], onFailure: [] },
    },
    {
      id: 'n3',
      name: 'End',
      type: 'end',
      position: { x: 2, y: 0 },
      config: {},
      connections: { onSuccess: [], onFailure: [] },
    },
  ],
});
const env = () => ({
  schemaVersion: '1.0',
  variables: [{ name: 'BASE_URL', value: 'https://x.test', secure: false, notes: '' }],
});
const record = () => ({
  workflow: { id: 'a-1', name: 'Banking Assistant' },
  version: { id: 'cf-1', name: 'v1' },
  app: app(),
  flow: flow(),
  env: env(),
});

const paths = (result: { success: boolean; error?: { issues: Array<{ path: PropertyKey[] }> } }) =>
  (result.error?.issues ?? []).map((issue) => formatIssuePath(issue.path));

describe('package schemas', () => {
  it('names the three files and the callflow alias', () => {
    expect(Object.values(PACKAGE_FILES)).toEqual([
      'app_definition.json',
      'flow_definition.json',
      'env_variables.json',
    ]);
    expect(FLOW_FILE_ALIASES).toContain('callflow.json');
  });

  it('keeps unknown keys everywhere', () => {
    const a = { ...app(), extraTop: { x: 1 }, workflow: { ...app().workflow, color: 'blue' } };
    const f = flow();
    (f as Record<string, unknown>).canvas = { zoom: 2 };
    (f.nodes[1] as Record<string, unknown>).uiHint = 'wide';
    (f.nodes[1]!.config as Record<string, unknown>).retry = { max: 3 };
    const e = { ...env(), exportedBy: 'x', variables: [{ ...env().variables[0]!, tags: ['a'] }] };
    expect(appDefinitionSchema.parse(a)).toMatchObject({ extraTop: { x: 1 }, workflow: { color: 'blue' } });
    const parsedFlow = flowDefinitionSchema.parse(f) as Record<string, unknown> & {
      nodes: Array<Record<string, unknown> & { config: Record<string, unknown> }>;
    };
    expect(parsedFlow.canvas).toEqual({ zoom: 2 });
    expect(parsedFlow.nodes[1]!.uiHint).toBe('wide');
    expect(parsedFlow.nodes[1]!.config.retry).toEqual({ max: 3 });
    expect(envVariablesSchema.parse(e)).toMatchObject({ exportedBy: 'x', variables: [{ tags: ['a'] }] });
    expect(
      rawVersionRecordSchema.parse({
        ...record(),
        extra: 1,
        workflow: { ...record().workflow, owner: 'u1' },
      }),
    ).toMatchObject({ extra: 1, workflow: { owner: 'u1' } });
  });

  it('keeps unknown node types', () => {
    const f = flow();
    f.nodes[1] = { ...f.nodes[1]!, type: 'browserAutomation', config: { script: 'x' } as never };
    expect(flowDefinitionSchema.parse(f).nodes[1]!.type).toBe('browserAutomation');
  });

  it('accepts a callflow.json-shaped flow with defaults filled in', () => {
    const callflow = { schemaVersion: '1', nodes: [{ id: 's', name: 'Start', type: 'start' }] };
    expect(flowDefinitionSchema.parse(callflow).nodes[0]).toMatchObject({
      config: {},
      connections: { onSuccess: [], onFailure: [] },
    });
  });

  it('accepts the env file as a bare array and fills defaults', () => {
    expect(
      envVariablesSchema.parse([
        { name: 'A', value: 'x' },
        { name: 'B', secure: true },
      ]),
    ).toEqual({
      schemaVersion: '1.0',
      variables: [
        { name: 'A', value: 'x', secure: false, notes: '' },
        { name: 'B', value: '', secure: true, notes: '' },
      ],
    });
    expect(
      rawVersionRecordSchema.parse({ ...record(), env: [{ name: 'A', value: 'x' }] }).env.variables,
    ).toHaveLength(1);
  });

  it('accepts the same major and refuses a newer one', () => {
    expect(appDefinitionSchema.safeParse({ ...app(), schemaVersion: '1.7' }).success).toBe(true);
    const newer = appDefinitionSchema.safeParse({ ...app(), schemaVersion: '2.0' });
    expect(newer.success).toBe(false);
    expect(paths(newer)).toEqual(['schemaVersion']);
    expect(flowDefinitionSchema.safeParse({ ...flow(), schemaVersion: '3' }).success).toBe(false);
    expect(envVariablesSchema.safeParse({ ...env(), schemaVersion: '2.1' }).success).toBe(false);
    expect(appDefinitionSchema.safeParse({ ...app(), schemaVersion: 'one' }).success).toBe(false);
    // A malformed version gets one message, not also "newer".
    const malformed = flowDefinitionSchema.safeParse({ ...flow(), schemaVersion: 'v2' });
    expect(malformed.error?.issues.map((issue) => issue.message)).toEqual(['must look like "1.0"']);
    expect(schemaMajor('1.4')).toBe(1);
    expect(schemaMajor(undefined)).toBeNaN();
  });

  it('reports every offending path, not just the first', () => {
    const bad = record() as unknown as {
      workflow: Record<string, unknown>;
      app: { schemaVersion: string; io: { inputs: Array<{ name: string }> } };
      flow: {
        nodes: Array<
          Record<string, unknown> & { config: Record<string, unknown>; connections: { onSuccess: string[] } }
        >;
      };
      env: { variables: Array<Record<string, unknown>> };
    };
    delete bad.workflow.id;
    bad.app.schemaVersion = '9.0';
    bad.app.io.inputs[0]!.name = '';
    bad.flow.nodes[1]!.config.url = 42;
    delete bad.flow.nodes[1]!.config.method;
    bad.flow.nodes[0]!.connections.onSuccess = ['nowhere'];
    bad.flow.nodes.push({ ...bad.flow.nodes[2]! });
    bad.env.variables.push({ name: 'BASE_URL', value: 'dup' }, { name: '9bad name', value: '' });
    const result = rawVersionRecordSchema.safeParse(bad);
    expect(result.success).toBe(false);
    expect(paths(result)).toEqual(
      expect.arrayContaining([
        'workflow.id',
        'app.schemaVersion',
        'app.io.inputs[0].name',
        'flow.nodes[1].config.url',
        'flow.nodes[1].config.method',
        'flow.nodes[3].id',
        'flow.nodes[0].connections.onSuccess[0]',
        'env.variables[1].name',
        'env.variables[2].name',
      ]),
    );
    // The flow's own cross-checks report their paths too once the rest is valid.
    const wiring = flow();
    wiring.nodes[0]!.connections.onSuccess = ['nowhere'];
    wiring.nodes.push({ ...wiring.nodes[2]! });
    expect(paths(flowDefinitionSchema.safeParse(wiring))).toEqual([
      'nodes[3].id',
      'nodes[0].connections.onSuccess[0]',
    ]);
    const vars = envVariablesSchema.safeParse({ variables: [{ name: 'A' }, { name: 'A' }, { name: '9x' }] });
    expect(paths(vars)).toEqual(expect.arrayContaining(['variables[2].name']));
  });

  it('reports wiring and duplicates together with type errors elsewhere in the same file', () => {
    const wiring = flow() as unknown as { nodes: Array<Record<string, unknown>> };
    wiring.nodes.push({ ...wiring.nodes[2]! }); // duplicate id n3
    (wiring.nodes[0]!.connections as { onSuccess: string[] }).onSuccess = ['ghost'];
    wiring.nodes[1]!.position = { x: 'left', y: 0 }; // a type error in another node
    wiring.nodes.push({ id: 7, name: 'Bad', type: 'end' });
    expect(paths(flowDefinitionSchema.safeParse(wiring))).toEqual(
      expect.arrayContaining([
        'nodes[1].position.x',
        'nodes[4].id',
        'nodes[3].id',
        'nodes[0].connections.onSuccess[0]',
      ]),
    );
    const vars = envVariablesSchema.safeParse([
      { name: 'A', value: 1 },
      { name: 'A', value: '' },
    ]);
    expect(paths(vars)).toEqual(expect.arrayContaining(['variables[0].value', 'variables[1].name']));
  });

  it('reads null descriptions, notes and values as empty, as some exports write them', () => {
    const raw = record() as unknown as {
      workflow: Record<string, unknown>;
      version: Record<string, unknown>;
      app: Record<string, Record<string, unknown>>;
      env: { variables: Array<Record<string, unknown>> };
    };
    raw.workflow.description = null;
    raw.version.description = null;
    raw.app.workflow!.description = null;
    raw.app.execution!.async = {
      enabled: true,
      timeoutSec: null,
      push: { callbackUrl: null, accessToken: null },
    };
    raw.env.variables.push({ name: 'TOKEN', value: null, secure: true, notes: null });
    const result = rawVersionRecordSchema.safeParse(raw);
    expect(result.success).toBe(true);
    expect(result.data!.workflow.description).toBe('');
    expect(result.data!.app.workflow.description).toBe('');
    expect(result.data!.env.variables.at(-1)).toMatchObject({ value: '', notes: '' });
    expect(result.data!.app.execution!.async!.push!.accessToken).toBeUndefined();
  });

  it('validates the config of api, function and ai nodes', () => {
    const f = flow() as unknown as { nodes: unknown[] };
    f.nodes.push(
      { id: 'f', name: 'FUNCTION0001', type: 'function', config: { language: 'ruby', code: 1 } },
      { id: 'a', name: 'AI0001', type: 'ai', config: { model: { provider: 'openai' }, timeoutSec: 'slow' } },
    );
    expect(paths(flowDefinitionSchema.safeParse(f))).toEqual([
      'nodes[3].config.language',
      'nodes[3].config.code',
      'nodes[4].config.model.name',
      'nodes[4].config.timeoutSec',
    ]);
  });

  it('formats paths', () => {
    expect(formatIssuePath(['nodes', 3, 'config', 'headers', 0, 'value'])).toBe(
      'nodes[3].config.headers[0].value',
    );
    expect(formatIssuePath([])).toBe('(root)');
    expect(formatIssuePath([0, 'a'])).toBe('[0].a');
  });
});

describe('api node config tolerance', () => {
  it('accepts numeric header values and JSON bodies stored as objects, and still redacts inside them', async () => {
    const { redactPackage } = await import('../../../lib/redaction/redactor');
    const secret = 'sk-ant-api03-' + 'Zq8vN2mR7tX4kW9pL3sB6yD1fH5jC0gA'.repeat(2);
    const flow = flowDefinitionSchema.parse({
      schemaVersion: '1.0',
      nodes: [
        {
          id: 'n1',
          name: 'API0001',
          type: 'api',
          config: {
            url: 'https://api.example.test',
            method: 'POST',
            headers: [{ key: 'X-Retry', value: 3 }],
            body: { contentType: 'application/json', content: { apiKey: secret, query: 'hello' } },
          },
        },
      ],
    });
    const { content } = await redactPackage({
      app: {
        schemaVersion: '1.0',
        workflow: { name: 'w', description: '' },
        version: { name: 'v' },
        io: { inputs: [], outputs: [] },
      },
      flow,
      env: { schemaVersion: '1.0', variables: [] },
    });
    const text = JSON.stringify(content);
    expect(text).not.toContain(secret);
    expect(text).toContain('"query":"hello"');
    expect(text).toContain('"value":3');
  });
});
