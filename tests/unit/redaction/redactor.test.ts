import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isPackageError, PackageError } from '../../../lib/package/errors';
import { assertNoLeaks, checkNoLeaks, serializePackageFile } from '../../../lib/redaction/leak-check';
import { ProvenClean } from '../../../lib/redaction/proven';
import {
  redactPackage,
  redactValidatedVersion,
  redactVersion,
  type RedactionResult,
} from '../../../lib/redaction/redactor';
import { scanJson, scanPackageContent, scanText } from '../../../lib/redaction/scan';
import {
  rawVersionRecordSchema,
  type PackageContent,
  type RawVersionRecord,
} from '../../../lib/package/schemas';
import { classifyKey, SecretScanMemo } from '../../../lib/redaction/scanner';
import { writePackageZip, zipFiles } from '../../../lib/package/zip-write';
import { canonicalOrder, canonicalPackage } from '../../../lib/package/canonical';

// ---------------------------------------------------------------------------------------------------------
// Corpora and a realistic raw version record
// ---------------------------------------------------------------------------------------------------------

interface Planted {
  id: string;
  place: string;
  key?: string;
  text: string;
  secret: string;
  keep: string[];
}
interface Benign {
  id: string;
  place: string;
  key?: string;
  text: string;
}

const fixture = (name: string) => fileURLToPath(new URL(`../../fixtures/secrets/${name}`, import.meta.url));
/** The fixtures split fake provider prefixes with § so that push protection does not see whole keys. */
const unsplit = (value: string) => value.replaceAll('§', '');
const PLANTED: Planted[] = (
  JSON.parse(readFileSync(fixture('planted.json'), 'utf8')).secrets as Planted[]
).map((entry) => ({
  ...entry,
  text: unsplit(entry.text),
  secret: unsplit(entry.secret),
  keep: entry.keep.map(unsplit),
}));
const BENIGN: Benign[] = JSON.parse(readFileSync(fixture('benign.json'), 'utf8')).strings as Benign[];

const CRM_TOKEN_VALUE = 'crm-7Hq2Lx9Vb4Nz8Kc3Wd6Ty1Rp5Sg0Mf';
const SIGNING_KEY_VALUE = 'psk_4f9a2c7e1b8d3f6a0c5e9b2d7f1a4c8e';
const PUSH_TOKEN = 'push-Zq8Wm3Xk7Yt2Bv9Nc4Lp6Rj1Hs5Gd0';
const API_KEY_VALUES = [
  'kg-11111111-2222-4333-8444-555555555555-prod',
  'kg-66666666-7777-4888-9999-aaaaaaaaaaaa-ci',
];

type Json = Record<string, unknown>;

function node(id: number, name: string, type: string, config: Json, extra: Json = {}): Json {
  return {
    id: `n-${String(id).padStart(4, '0')}`,
    name,
    type,
    position: { x: id * 200, y: 100 },
    config,
    connections: { onSuccess: [], onFailure: [] },
    ...extra,
  };
}

/** A raw version record shaped like the sandbox's Banking Assistant (§6), secrets included. */
function baseRecord(): Json {
  return {
    workflow: {
      id: 'a-5a9d3c1e-0b7f-4e21-9c55-7d2f8a1b3c4d',
      name: 'Banking Assistant',
      description: 'Answers banking questions',
      status: 'Deployed',
      createdAt: '2024-01-02T10:00:00Z',
      updatedAt: '2024-05-01T10:00:00Z',
      deployedVersionId: 'cf-0e1d2c3b-4a59-4687-9a1b-2c3d4e5f6a7b',
      endpoint: {
        sync: 'https://process.sandbox.test/api/v1/process/a-5a9d3c1e-0b7f-4e21-9c55-7d2f8a1b3c4d',
        asyncPoll: 'https://process.sandbox.test/api/v1/process/a-5a9d3c1e-0b7f-4e21-9c55-7d2f8a1b3c4d/poll',
      },
      apiKeys: API_KEY_VALUES.map((key, index) => ({
        id: `k${index}`,
        name: index ? 'ci' : 'prod',
        key,
        createdAt: '2024-01-03',
        lastUsedAt: null,
      })),
      sharing: [
        { userId: 'u1', email: 'owner@sandbox.test', role: 'tool admin' },
        { userId: 'u2', email: 'manager@sandbox.test', role: 'tool manager' },
        { userId: 'u3', email: 'editor@sandbox.test', role: 'tool editor' },
        { userId: 'u4', email: 'viewer@sandbox.test', role: 'tool viewer' },
      ],
      auditLogs: [
        {
          id: 'l1',
          event: 'Workflow deployed',
          category: 'Workflow Management',
          user: 'owner@sandbox.test',
          at: '2024-05-01',
          description: 'secret-audit-entry-one',
          metadata: {},
        },
        {
          id: 'l2',
          event: 'API Key created',
          category: 'Workflow Management',
          user: 'owner@sandbox.test',
          at: '2024-05-02',
          description: 'secret-audit-entry-two',
          metadata: {},
        },
        {
          id: 'l3',
          event: 'Version created',
          category: 'Workflow Management',
          user: 'owner@sandbox.test',
          at: '2024-05-03',
          description: 'secret-audit-entry-three',
          metadata: {},
        },
      ],
    },
    version: {
      id: 'cf-0e1d2c3b-4a59-4687-9a1b-2c3d4e5f6a7b',
      name: 'v3 fraud checks',
      description: 'Adds fraud checks',
      state: 'in-development',
      createdAt: '2024-04-01T09:00:00Z',
      updatedAt: '2024-05-01T09:00:00Z',
    },
    // As the platform sends it (the sandbox's composeApp): the workflow and version facts laid over the app.
    app: {
      schemaVersion: '1.0',
      workflow: { name: 'Banking Assistant', description: 'Answers banking questions' },
      version: {
        id: 'cf-0e1d2c3b-4a59-4687-9a1b-2c3d4e5f6a7b',
        name: 'v3 fraud checks',
        description: 'Adds fraud checks',
        createdAt: '2024-04-01T09:00:00Z',
      },
      io: {
        inputs: [{ name: 'question', type: 'string', mandatory: true }],
        outputs: [{ name: 'answer', type: 'string' }],
      },
      execution: {
        syncTimeoutSec: 180,
        async: {
          enabled: true,
          timeoutSec: 300,
          push: { callbackUrl: 'https://callback.sandbox-bank.test/afp', accessToken: PUSH_TOKEN },
        },
      },
      guardrails: {
        inputScanners: [{ type: 'Prompt Injection', settings: { threshold: 0.8 } }],
        outputScanners: [],
      },
      exportedBy: 'platform 1.0.9',
    },
    flow: {
      schemaVersion: '1.0',
      nodes: [
        node(1, 'Start', 'start', {}),
        node(2, 'API0001', 'api', {
          url: '{{context.env.BASE_URL}}/accounts',
          method: 'GET',
          headers: [
            { key: 'Authorization', value: 'Bearer {{context.env.CRM_TOKEN}}' },
            { key: 'Content-Type', value: 'application/json' },
          ],
        }),
        node(3, 'FUNCTION0001', 'function', { language: 'javascript', code: 'return { ok: true };' }),
        node(4, 'AI0001', 'ai', {
          model: { name: 'gpt-4o', provider: 'openai' },
          systemPrompt: 'You are a banking assistant.',
          prompt: 'Answer: {{context.steps.Start.output.question}}',
          hyperparameters: { temperature: 0.2 },
          timeoutSec: 60,
        }),
        node(5, 'End', 'end', {}),
      ],
      canvas: { zoom: 1 },
    },
    env: {
      schemaVersion: '1.0',
      variables: [
        { name: 'BASE_URL', value: 'https://api.sandbox-bank.test', secure: false, notes: '' },
        { name: 'LOG_LEVEL', value: 'info', secure: false, notes: '' },
        { name: 'CRM_TOKEN', value: CRM_TOKEN_VALUE, secure: true, notes: 'CRM access' },
        { name: 'PAYMENTS_SIGNING_KEY', value: SIGNING_KEY_VALUE, secure: true, notes: '' },
      ],
    },
  };
}

const nodesOf = (record: Json) => (record.flow as { nodes: Json[] }).nodes;
const varsOf = (record: Json) => (record.env as { variables: Json[] }).variables;

/** Puts a corpus string where its `place` says, as a real user would have typed it. */
function place(
  record: Json,
  entry: { place: string; key?: string; text: string; secret?: string },
  index: number,
): void {
  const nodes = nodesOf(record);
  const id = 100 + index;
  const key = entry.key ?? 'value';
  const n = String(index + 1).padStart(4, '0');
  switch (entry.place) {
    case 'header':
      nodes.push(
        node(id, `API1${n}`, 'api', {
          url: 'https://api.partner.test/v1',
          method: 'POST',
          headers: [
            { key: 'Accept', value: 'application/json' },
            { key, value: entry.text },
          ],
        }),
      );
      break;
    case 'pair':
      nodes.push(
        node(id, `API1${n}`, 'api', {
          url: 'https://api.partner.test/v1',
          method: 'GET',
          params: [{ name: key, value: entry.text }],
        }),
      );
      break;
    case 'url':
      nodes.push(node(id, `API1${n}`, 'api', { url: entry.text, method: 'GET' }));
      break;
    case 'body':
      nodes.push(
        node(id, `API1${n}`, 'api', {
          url: 'https://api.partner.test/v1',
          method: 'POST',
          body: { contentType: 'application/json', content: entry.text },
        }),
      );
      break;
    case 'code-js':
      nodes.push(node(id, `FUNCTION1${n}`, 'function', { language: 'javascript', code: entry.text }));
      break;
    case 'code-py':
      nodes.push(node(id, `FUNCTION1${n}`, 'function', { language: 'python', code: entry.text }));
      break;
    case 'prompt':
      nodes.push(
        node(id, `AI1${n}`, 'ai', {
          model: { name: 'gpt-4o', provider: 'openai' },
          systemPrompt: 'You are helpful.',
          prompt: entry.text,
        }),
      );
      break;
    case 'unknown':
      nodes.push(
        node(
          id,
          `INTEGRATION1${n}`,
          'integration',
          { provider: 'custom', [key]: entry.text },
          { extraMeta: { owner: 'ops' } },
        ),
      );
      break;
    case 'nested':
      nodes.push(
        node(id, `LOOP1${n}`, 'loop', {
          retry: { policies: [{ max: 3 }, { auth: [{ scheme: 'custom' }, { [key]: entry.text }] }] },
        }),
      );
      break;
    case 'json-key':
      nodes.push(
        node(id, `INTEGRATION1${n}`, 'integration', {
          mapping: { [entry.text]: 'customerId', plain: 'value' },
        }),
      );
      break;
    case 'app': {
      const app = record.app as Json;
      const list = (app.integrations ??= []) as Json[];
      list.push({ name: `integration-${n}`, [key]: entry.text });
      break;
    }
    case 'app-guardrail': {
      const guardrails = (record.app as Json).guardrails as { inputScanners: Json[] };
      guardrails.inputScanners.push({
        type: 'Regex',
        settings: { patterns: ['\\d{16}'], [key]: entry.text },
      });
      break;
    }
    case 'env': {
      let name = key.replace(/[^A-Za-z0-9_]/g, '_');
      while (varsOf(record).some((variable) => variable.name === name)) name += '_2';
      varsOf(record).push({ name, value: entry.text, secure: false, notes: 'typed by a user' });
      break;
    }
    case 'env-notes':
      varsOf(record).push({
        name: `ROTATION_INFO_${n}`,
        value: 'see notes',
        secure: false,
        notes: entry.text,
      });
      break;
    case 'known-secure': {
      const crm = varsOf(record).find((variable) => variable.name === 'CRM_TOKEN')!;
      crm.value = entry.secret!;
      nodes.push(
        node(id, `AI1${n}`, 'ai', { model: { name: 'gpt-4o', provider: 'openai' }, prompt: entry.text }),
      );
      break;
    }
    default:
      throw new Error(`unknown place ${entry.place}`);
  }
}

/** Every string (keys and values) of a JSON value, joined. */
function allStrings(value: unknown): string[] {
  const out: string[] = [];
  const walk = (v: unknown) => {
    if (typeof v === 'string') out.push(v);
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      for (const [k, child] of Object.entries(v)) {
        out.push(k);
        walk(child);
      }
    }
  };
  walk(value);
  return out;
}

const serialized = (content: PackageContent) =>
  [content.app, content.flow, content.env].map((file) => serializePackageFile(file)).join('\n');

/** Every string anywhere in the report, for "never contains the secret" checks. */
const reportText = (result: RedactionResult) => allStrings(result.report).join('\n');

function expectAbsent(result: RedactionResult, secret: string) {
  const text = serialized(result.content);
  expect(text.includes(secret), 'secret still in package').toBe(false);
  expect(text.includes(JSON.stringify(secret).slice(1, -1)), 'escaped secret still in package').toBe(false);
  expect(reportText(result).includes(secret), 'secret in report').toBe(false);
}

const KNOWN_SECRETS = [CRM_TOKEN_VALUE, SIGNING_KEY_VALUE, PUSH_TOKEN, ...API_KEY_VALUES];

// ---------------------------------------------------------------------------------------------------------

describe('redactVersion: structure', () => {
  it('keeps only app, flow and env; blanks secure values; removes the push token; reports removals', async () => {
    const result = await redactVersion(baseRecord());
    const text = serialized(result.content);
    for (const secret of KNOWN_SECRETS) expect(text).not.toContain(secret);
    for (const leftOut of ['process.sandbox.test', 'viewer@sandbox.test', 'secret-audit-entry', 'lastUsedAt'])
      expect(text).not.toContain(leftOut);

    const { app, flow, env } = result.content;
    expect(app.workflow).toMatchObject({
      name: 'Banking Assistant',
      description: 'Answers banking questions',
    });
    expect(app.version).toEqual({
      id: 'cf-0e1d2c3b-4a59-4687-9a1b-2c3d4e5f6a7b',
      name: 'v3 fraud checks',
      description: 'Adds fraud checks',
      createdAt: '2024-04-01T09:00:00Z',
    });
    expect(app.execution?.async?.push).toEqual({ callbackUrl: 'https://callback.sandbox-bank.test/afp' });
    expect((app as Json).exportedBy).toBe('platform 1.0.9');
    expect((flow as Json).canvas).toEqual({ zoom: 1 });
    expect(env.variables).toEqual([
      { name: 'BASE_URL', value: 'https://api.sandbox-bank.test', secure: false, notes: '' },
      { name: 'LOG_LEVEL', value: 'info', secure: false, notes: '' },
      { name: 'CRM_TOKEN', value: '', secure: true, notes: 'CRM access' },
      { name: 'PAYMENTS_SIGNING_KEY', value: '', secure: true, notes: '' },
    ]);

    const items = result.report.items;
    expect(items.filter((item) => item.file === '(not exported)')).toEqual([
      { file: '(not exported)', path: 'workflow.endpoint', rule: 'workflow-endpoint', action: 'removed' },
      {
        file: '(not exported)',
        path: 'workflow.apiKeys',
        rule: 'workflow-api-keys',
        action: 'removed',
        count: 2,
      },
      { file: '(not exported)', path: 'workflow.sharing', rule: 'sharing', action: 'removed', count: 4 },
      { file: '(not exported)', path: 'workflow.auditLogs', rule: 'audit-logs', action: 'removed', count: 3 },
    ]);
    expect(items).toContainEqual(
      expect.objectContaining({
        file: 'app_definition.json',
        path: 'execution.async.push.accessToken',
        action: 'removed',
      }),
    );
    expect(items).toContainEqual(
      expect.objectContaining({
        file: 'env_variables.json',
        path: 'variables[2].value',
        rule: 'secure-env',
        action: 'blanked',
        variable: 'CRM_TOKEN',
      }),
    );
    expect(result.report.variables.map((variable) => variable.name)).toEqual([
      'CRM_TOKEN',
      'PAYMENTS_SIGNING_KEY',
    ]);
    // The templates already in the flow survive untouched.
    expect(JSON.stringify(flow)).toContain('Bearer {{context.env.CRM_TOKEN}}');
    for (const secret of KNOWN_SECRETS) expect(reportText(result)).not.toContain(secret);
  });

  it('does not count an empty list of keys, sharing or audit logs as redacted', async () => {
    const raw = baseRecord();
    const workflow = raw.workflow as Json;
    workflow.apiKeys = [];
    workflow.sharing = [];
    const { report } = await redactVersion(raw);
    const paths = report.items.filter((item) => item.file === '(not exported)').map((item) => item.path);
    expect(paths).toEqual(['workflow.endpoint', 'workflow.auditLogs']);
  });

  it('does not mutate its input', async () => {
    const raw = baseRecord();
    const copy = structuredClone(raw);
    await redactVersion(raw);
    expect(raw).toEqual(copy);
  });
});

describe('redactVersion: inline secrets', () => {
  it('replaces a Bearer token in a header and keeps "Bearer "; declares a secure blank variable with notes', async () => {
    const raw = baseRecord();
    const token = 'sk-proj-Rq7Tz2Wx9Kp4Lm8Nb3Vc6Yd1Hf5Js0Ga7Qe2';
    (nodesOf(raw)[1]!.config as { headers: Json[] }).headers[0]!.value = `Bearer ${token}`;
    const result = await redactVersion(raw);
    expectAbsent(result, token);
    const headers = (result.content.flow.nodes[1]!.config as { headers: Array<{ value: string }> }).headers;
    expect(headers[0]!.value).toBe('Bearer {{context.env.PORTER_API0001_AUTHORIZATION}}');
    const variable = result.content.env.variables.find((v) => v.name === 'PORTER_API0001_AUTHORIZATION')!;
    expect(variable).toMatchObject({ value: '', secure: true });
    expect(variable.notes).toContain('flow_definition.json at nodes[1].config.headers[0].value');
    expect(variable.notes).toContain('Supply its value after import');
    const item = result.report.items.find((i) => i.variable === 'PORTER_API0001_AUTHORIZATION')!;
    expect(item).toMatchObject({
      file: 'flow_definition.json',
      path: 'nodes[1].config.headers[0].value',
      rule: 'openai-key',
      action: 'replaced',
      replacement: '{{context.env.PORTER_API0001_AUTHORIZATION}}',
      nodeName: 'API0001',
    });
    expect(item.fingerprint).toMatch(/^[0-9a-f]{16}$/);
  });

  it('names a key in function code after its variable, and maps the same secret to one variable', async () => {
    const raw = baseRecord();
    const key = 'sk-Hq3Lw8Zt1Xc6Vb9Nm2Kd5Fj7Gp0Ry4Ts8Ue1Wa';
    nodesOf(raw)[2]!.config = {
      language: 'javascript',
      code: `const apiKey = "${key}";\nreturn call(apiKey);`,
    };
    nodesOf(raw)[3]!.config = { ...(nodesOf(raw)[3]!.config as Json), prompt: `Use ${key} for the call.` };
    const result = await redactVersion(raw);
    expectAbsent(result, key);
    expect((result.content.flow.nodes[2]!.config as { code: string }).code).toBe(
      'const apiKey = "{{context.env.PORTER_FUNCTION0001_API_KEY}}";\nreturn call(apiKey);',
    );
    expect((result.content.flow.nodes[3]!.config as { prompt: string }).prompt).toBe(
      'Use {{context.env.PORTER_FUNCTION0001_API_KEY}} for the call.',
    );
    const created = result.content.env.variables.filter((v) => v.name.startsWith('PORTER_'));
    expect(created.map((v) => v.name)).toEqual(['PORTER_FUNCTION0001_API_KEY']);
    expect(created[0]!.notes).toContain('and in 1 more place(s)');
    const items = result.report.items.filter((i) => i.variable === 'PORTER_FUNCTION0001_API_KEY');
    expect(items).toHaveLength(2);
    expect(new Set(items.map((i) => i.fingerprint)).size).toBe(1);
    expect(result.report.variables.find((v) => v.name === 'PORTER_FUNCTION0001_API_KEY')).toMatchObject({
      created: true,
      occurrences: 2,
    });
  });

  it("replaces a secret given as an input's default, judged by the input's name; other defaults stay", async () => {
    const raw = baseRecord();
    const key = 'K8PJ4G5z65hr8nwLlKkLbTbYe1fTvIBv';
    const inputs = ((raw.app as Json).io as { inputs: Json[] }).inputs;
    inputs.push(
      { name: 'partnerApiKey', type: 'string', mandatory: false, default: key },
      { name: 'greeting', type: 'string', mandatory: false, default: 'Hello there' },
    );
    const result = await redactVersion(raw);
    expectAbsent(result, key);
    const defaults = result.content.app.io.inputs.map((input) => input.default);
    expect(defaults).toContain('Hello there');
    expect(result.report.items).toContainEqual(
      expect.objectContaining({
        file: 'app_definition.json',
        path: `io.inputs[${inputs.length - 2}].default`,
      }),
    );
  });

  it('never collides with existing variables', async () => {
    const raw = baseRecord();
    varsOf(raw).push({ name: 'PORTER_API0001_AUTHORIZATION', value: 'x', secure: false, notes: '' });
    (nodesOf(raw)[1]!.config as { headers: Json[] }).headers[0]!.value =
      'Bearer ghp_Ab3dEf5gHi7jKl9mNo1pQr3sTu5vWx7yZa9B';
    const result = await redactVersion(raw);
    const names = result.content.env.variables.map((v) => v.name);
    expect(names).toContain('PORTER_API0001_AUTHORIZATION_2');
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) expect(name).toMatch(/^[A-Za-z_][A-Za-z0-9_]*$/);
  });

  it('makes a non-secure env variable holding a secret secure and blank', async () => {
    const raw = baseRecord();
    varsOf(raw).push({
      name: 'OPENAI_API_KEY',
      value: 'sk-Lq4Wz8Xt2Kc6Vb1Nm9Hd3Fj5Gp7Ry0Ts2Ue4Wa',
      secure: false,
      notes: 'prod key',
    });
    const result = await redactVersion(raw);
    const variable = result.content.env.variables.find((v) => v.name === 'OPENAI_API_KEY')!;
    expect(variable).toMatchObject({ value: '', secure: true });
    expect(variable.notes).toMatch(/^prod key AFP Porter made this variable secure/);
    expect(result.report.items).toContainEqual(
      expect.objectContaining({
        file: 'env_variables.json',
        path: 'variables[4].value',
        action: 'blanked',
        variable: 'OPENAI_API_KEY',
      }),
    );
  });

  it('points inline copies of a secure value at its own variable', async () => {
    const raw = baseRecord();
    (nodesOf(raw)[3]!.config as Json).prompt = `Call the CRM with ${CRM_TOKEN_VALUE} please`;
    const result = await redactVersion(raw);
    expect((result.content.flow.nodes[3]!.config as { prompt: string }).prompt).toBe(
      'Call the CRM with {{context.env.CRM_TOKEN}} please',
    );
    expect(result.content.env.variables.some((v) => v.name.startsWith('PORTER_'))).toBe(false);
    expect(result.report.items).toContainEqual(
      expect.objectContaining({ rule: 'secure-env-value', variable: 'CRM_TOKEN', action: 'replaced' }),
    );
  });

  it('replaces copies of the push token and of workflow API keys', async () => {
    const raw = baseRecord();
    (nodesOf(raw)[2]!.config as Json).code = `const a = "${PUSH_TOKEN}"; const b = '${API_KEY_VALUES[0]}';`;
    const result = await redactVersion(raw);
    expectAbsent(result, PUSH_TOKEN);
    expectAbsent(result, API_KEY_VALUES[0]!);
  });

  it('replaces a secret used as a JSON key, and reports it without the secret', async () => {
    const raw = baseRecord();
    const key = 'ghp_Zx9Yw8Vu7Ts6Rq5Po4Nm3Lk2Ji1Hg0Fe9Dc8Ba';
    nodesOf(raw).push(node(9, 'INTEGRATION0001', 'integration', { lookup: { [key]: 'svc-user' } }));
    const result = await redactVersion(raw);
    expectAbsent(result, key);
    const item = result.report.items.find((i) => i.rule === 'github-token')!;
    expect(item.path).toBe(
      'nodes[5].config.lookup.{{context.env.PORTER_INTEGRATION0001_GITHUB_TOKEN}} (key)',
    );
  });

  it('is deterministic', async () => {
    const build = () => {
      const raw = baseRecord();
      PLANTED.forEach((entry, index) => place(raw, entry, index));
      return raw;
    };
    const [a, b] = [await redactVersion(build()), await redactVersion(build())];
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
  });
});

describe('redactVersion: every copy of a detected secret', () => {
  const WEBHOOK_SECRET = 'Xp9EMc645emSmHr6zhUF1oDvW3JCtx5Axu';
  const REFERENCE = '{{context.env.PORTER_FUNCTION0001_WEBHOOK_SECRET}}';

  it('finds a token under a header with a neutral name even when the same text sat, clean, in an ordinary field first', async () => {
    const token = 'aB3dE5fG7hJ9kL2mN4pQ6rS8tU';
    // The note comes first in the walk: clean there (nothing says secret), it must not pass for clean under the header.
    const raw = recordWith([{ note: token }, { headers: [{ key: 'X-Partner', value: token }] }]);
    const result = await redactVersion(raw);
    expectAbsent(result, token);
    expect(result.report.items.some((item) => item.rule === 'api-key-header')).toBe(true);
  });

  it('replaces the copies nothing around gives away by the same reference: one secret, one variable', async () => {
    const raw = baseRecord();
    // Recognised by its context only here…
    (nodesOf(raw)[2]!.config as Json).code =
      `const webhookSecret = "${WEBHOOK_SECRET}";\nsend("${WEBHOOK_SECRET}");`;
    // …and copied where nothing says "secret": before it in the walk (app), after it (flow, env).
    (raw.app as Json).integrations = [{ name: 'hooks', ref: `partner ${WEBHOOK_SECRET}` }];
    (nodesOf(raw)[3]!.config as Json).prompt = `Relay ${WEBHOOK_SECRET} to the partner.`;
    varsOf(raw).push({
      name: 'HOOK_PATH',
      value: `/in/${WEBHOOK_SECRET}`,
      secure: false,
      notes: `was ${WEBHOOK_SECRET}`,
    });
    const result = await redactVersion(raw);
    expectAbsent(result, WEBHOOK_SECRET);

    const { app, flow, env } = result.content;
    expect((flow.nodes[2]!.config as { code: string }).code).toBe(
      `const webhookSecret = "${REFERENCE}";\nsend("${REFERENCE}");`,
    );
    expect((app as Json).integrations).toEqual([{ name: 'hooks', ref: `partner ${REFERENCE}` }]);
    expect((flow.nodes[3]!.config as { prompt: string }).prompt).toBe(`Relay ${REFERENCE} to the partner.`);
    // A variable's value holding a copy is blanked and made secure: the platform does not resolve references there.
    const hookPath = env.variables.find((v) => v.name === 'HOOK_PATH')!;
    expect(hookPath).toMatchObject({ name: 'HOOK_PATH', value: '', secure: true });
    expect(hookPath.notes).toMatch(
      new RegExp(`^was ${REFERENCE.replace(/[{}.]/g, '\\$&')} AFP Porter made this variable secure`),
    );
    expect(result.report.items).toContainEqual(
      expect.objectContaining({
        path: 'variables[4].value',
        rule: 'secret-copy',
        action: 'blanked',
        variable: 'HOOK_PATH',
      }),
    );
    const created = env.variables.filter((v) => v.name.startsWith('PORTER_'));
    expect(created.map((v) => v.name)).toEqual(['PORTER_FUNCTION0001_WEBHOOK_SECRET']);
    expect(created[0]!.notes).toContain('flow_definition.json at nodes[2].config.code');
    expect(created[0]!.notes).toContain('and in 4 more place(s)');

    const items = result.report.items.filter((i) => i.variable === 'PORTER_FUNCTION0001_WEBHOOK_SECRET');
    expect(items.map((i) => [i.file, i.path, i.rule])).toEqual([
      ['app_definition.json', 'integrations[0].ref', 'secret-copy'],
      ['flow_definition.json', 'nodes[2].config.code', 'secret-assignment'],
      ['flow_definition.json', 'nodes[2].config.code', 'secret-copy'],
      ['flow_definition.json', 'nodes[3].config.prompt', 'secret-copy'],
      ['env_variables.json', 'variables[4].notes', 'secret-copy'],
    ]);
    expect(new Set(items.map((i) => i.fingerprint)).size).toBe(1);
    expect(
      result.report.variables.find((v) => v.name === 'PORTER_FUNCTION0001_WEBHOOK_SECRET'),
    ).toMatchObject({
      created: true,
      rule: 'secret-assignment',
      occurrences: 5,
    });
  });

  it('replaces a copy of a secret used as a JSON key, and names the key in the report only by its reference', async () => {
    const raw = baseRecord();
    (nodesOf(raw)[2]!.config as Json).code = `const webhookSecret = "${WEBHOOK_SECRET}";`;
    nodesOf(raw).push(
      node(9, 'INTEGRATION0001', 'integration', {
        routes: { [WEBHOOK_SECRET]: { password: 'Hk39!mZq2Lw8xP' } },
      }),
    );
    const result = await redactVersion(raw);
    expectAbsent(result, WEBHOOK_SECRET);
    expect(result.content.flow.nodes[5]!.config).toEqual({
      routes: { [REFERENCE]: { password: '{{context.env.PORTER_INTEGRATION0001_PASSWORD}}' } },
    });
    // The password was found under the key before the sweep replaced the key: its path is rewritten too.
    expect(result.report.items.find((i) => i.variable === 'PORTER_INTEGRATION0001_PASSWORD')!.path).toBe(
      `nodes[5].config.routes.${REFERENCE}.password`,
    );
    const notes = result.content.env.variables.find(
      (v) => v.name === 'PORTER_INTEGRATION0001_PASSWORD',
    )!.notes;
    expect(notes).toContain(`nodes[5].config.routes.${REFERENCE}.password`);
  });

  it('stops the export when a detected secret is still somewhere the redaction does not rewrite', async () => {
    const raw = baseRecord();
    (nodesOf(raw)[2]!.config as Json).code = `const webhookSecret = "${WEBHOOK_SECRET}";`;
    // Variable names are never rewritten (references point at them): only the final check can catch this.
    varsOf(raw).push({ name: WEBHOOK_SECRET, value: 'on', secure: false, notes: '' });
    const error = await leakError(redactVersion(raw));
    expect(error.problems).toContainEqual({
      file: 'env_variables.json',
      message: expect.stringMatching(/^a value known to be secret appears in the file$/),
    });
    expect(JSON.stringify([error.message, error.problems])).not.toContain(WEBHOOK_SECRET);
  });

  it('leaves ordinary words alone: a word-like password is replaced where found, its copies are not searched for', async () => {
    const raw = baseRecord();
    nodesOf(raw).push(
      node(9, 'INTEGRATION0001', 'integration', {
        driver: 'postgres',
        password: 'postgres',
        url: 'postgres://db.internal:5432/core',
      }),
      // A config that names the variable holding the password, next to a reference to that variable.
      node(10, 'INTEGRATION0002', 'integration', {
        password: 'POSTGRES_PASSWORD_PROD',
        dsn: 'postgres://app:{{context.env.POSTGRES_PASSWORD_PROD}}@db.internal:5432/core',
      }),
    );
    varsOf(raw).push({ name: 'POSTGRES_PASSWORD_PROD', value: '', secure: true, notes: '' });
    const result = await redactVersion(raw);
    expect(result.content.flow.nodes[5]!.config).toEqual({
      driver: 'postgres',
      password: '{{context.env.PORTER_INTEGRATION0001_PASSWORD}}',
      url: 'postgres://db.internal:5432/core',
    });
    expect(result.content.flow.nodes[6]!.config).toEqual({
      password: '{{context.env.PORTER_INTEGRATION0002_PASSWORD}}',
      dsn: 'postgres://app:{{context.env.POSTGRES_PASSWORD_PROD}}@db.internal:5432/core',
    });
    expect(result.content.env.variables.map((v) => v.name)).toContain('POSTGRES_PASSWORD_PROD');
  });
});

describe('redactVersion: names of new variables', () => {
  it('never take a secret or a random-looking run from the name a secret is assigned to', async () => {
    const raw = baseRecord();
    (nodesOf(raw)[2]!.config as Json).code = [
      'const secret_AKIA6FTV4HNLNH3QXM2U = "ixOqoRGrB5Vpg5C6QsyHZytfqY6K1Qjah4dXd3eO";',
      'const token_9f8e7d6c5b4a3928f1e2 = "Wq4Lz8Rt2Xv6Bn1Mk9Hd3Fj5Gp7Ys0Tc";',
    ].join('\n');
    const result = await redactVersion(raw);
    expectAbsent(result, 'ixOqoRGrB5Vpg5C6QsyHZytfqY6K1Qjah4dXd3eO');
    expectAbsent(result, 'Wq4Lz8Rt2Xv6Bn1Mk9Hd3Fj5Gp7Ys0Tc');
    expectAbsent(result, 'AKIA6FTV4HNLNH3QXM2U');
    const created = result.content.env.variables.filter((v) => v.name.startsWith('PORTER_'));
    expect(created).toHaveLength(3);
    // What the names would have carried: SECRET_AKIA6_FTV4_HNLNH3_QXM2_U, TOKEN_9F8E7D6C5B4A3928F1E2.
    const shown = [serializePackageFile(result.content.env), reportText(result)].join('\n');
    expect(shown).not.toMatch(/AKIA|FTV4|HNLNH3|QXM2|9F8E7D6C|9f8e7d6c/);
    for (const variable of created) {
      expect(variable.name).toMatch(/^PORTER_FUNCTION0001_[A-Z_]+?(?:_\d)?$/);
      expect(result.report.items.find((i) => i.variable === variable.name)!.replacement).toBe(
        `{{context.env.${variable.name}}}`,
      );
    }
    // A name that says something is still used (`webhookSecret` → WEBHOOK_SECRET): only bad labels go.
    expect(created.map((v) => v.name)).toContain('PORTER_FUNCTION0001_SECRET');
  });

  it('do not take a random-looking node name either', async () => {
    const raw = baseRecord();
    nodesOf(raw).push(
      node(9, 'sync_9f8e7d6c5b4a3928f1e2', 'function', {
        language: 'javascript',
        code: 'const apiKey = "sk-Hq3Lw8Zt1Xc6Vb9Nm2Kd5Fj7Gp0Ry4Ts8Ue1Wa";',
      }),
    );
    const result = await redactVersion(raw);
    const created = result.content.env.variables.filter((v) => v.name.startsWith('PORTER_'));
    expect(created.map((v) => v.name)).toEqual(['PORTER_NODE0006_API_KEY']);
  });
});

describe('null where a record has a description, notes or a value', () => {
  /** The nulls some records hold (platform exports, hand-edited records). */
  const putNulls = (record: Json) => {
    (record.workflow as Json).description = null;
    (record.version as Json).description = null;
    ((record.app as Json).workflow as Json).description = null;
    ((record.app as Json).version as Json).description = null;
    varsOf(record)[0]!.notes = null; // BASE_URL
    varsOf(record)[1]!.value = null; // LOG_LEVEL, not secure
    varsOf(record)[2]!.value = null; // CRM_TOKEN, secure
    const push = (((record.app as Json).execution as Json).async as Json).push as Json;
    push.accessToken = null;
    return record;
  };
  const expectNullsGone = (result: RedactionResult) => {
    const { app, env } = result.content;
    expect(app.workflow).toEqual({ name: 'Banking Assistant', description: '' });
    expect(app.version).toEqual({
      id: 'cf-0e1d2c3b-4a59-4687-9a1b-2c3d4e5f6a7b',
      name: 'v3 fraud checks',
      createdAt: '2024-04-01T09:00:00Z',
    });
    expect(env.variables).toEqual([
      { name: 'BASE_URL', value: 'https://api.sandbox-bank.test', secure: false, notes: '' },
      { name: 'LOG_LEVEL', value: '', secure: false, notes: '' },
      { name: 'CRM_TOKEN', value: '', secure: true, notes: 'CRM access' },
      { name: 'PAYMENTS_SIGNING_KEY', value: '', secure: true, notes: '' },
    ]);
    expect(serializePackageFile(app)).not.toContain('null');
    expect(serializePackageFile(env)).not.toContain('null');
    // Nothing was there: nothing blanked, nothing removed.
    expect(app.execution?.async?.push).toEqual({ callbackUrl: 'https://callback.sandbox-bank.test/afp' });
    expect(result.report.items.filter((item) => item.file !== '(not exported)')).toEqual([
      expect.objectContaining({ variable: 'PAYMENTS_SIGNING_KEY', action: 'blanked' }),
    ]);
  };

  it('neither stop the export nor travel: "" instead (a null secure value like any secure value)', async () => {
    expectNullsGone(await redactVersion(putNulls(baseRecord())));
  });

  it('are handled by the redaction itself, whatever the schemas let through', async () => {
    const parsed = rawVersionRecordSchema.parse(baseRecord());
    expectNullsGone(
      await redactValidatedVersion(putNulls(parsed as unknown as Json) as unknown as RawVersionRecord),
    );
  });
});

describe("app_definition.json: the workflow's and version's details", () => {
  it("are the record's app's own, extra keys included; only a field it lacks comes from the record", async () => {
    const raw = baseRecord();
    (raw.app as Json).workflow = {
      name: 'Banking Assistant (EU)',
      description: 'EU build',
      icon: 'bank',
      tags: ['eu'],
    };
    (raw.app as Json).version = { name: 'v3 fraud checks (EU)', build: 42 };
    const result = await redactVersion(raw);
    expect(result.content.app.workflow).toEqual({
      name: 'Banking Assistant (EU)',
      description: 'EU build',
      icon: 'bank',
      tags: ['eu'],
    });
    expect(result.content.app.version).toEqual({
      name: 'v3 fraud checks (EU)',
      build: 42,
      id: 'cf-0e1d2c3b-4a59-4687-9a1b-2c3d4e5f6a7b',
      description: 'Adds fraud checks',
      createdAt: '2024-04-01T09:00:00Z',
    });

    // Empty in the app: the record's; empty in both: "" for the workflow (the schema's default), none for the version.
    const bare = baseRecord();
    (bare.app as Json).workflow = { name: 'Banking Assistant', description: '' };
    (bare.app as Json).version = { name: 'v3 fraud checks' };
    delete (bare.version as Json).description;
    const { app } = (await redactVersion(bare)).content;
    expect(app.workflow).toEqual({ name: 'Banking Assistant', description: 'Answers banking questions' });
    expect(app.version).toEqual({
      name: 'v3 fraud checks',
      id: 'cf-0e1d2c3b-4a59-4687-9a1b-2c3d4e5f6a7b',
      createdAt: '2024-04-01T09:00:00Z',
    });
    delete (bare.workflow as Json).description;
    expect((await redactVersion(bare)).content.app.workflow).toEqual({
      name: 'Banking Assistant',
      description: '',
    });
  });
});

describe('the report of a blanked value', () => {
  it('says the value was blanked and the variable is secure, never that it became a reference', async () => {
    const raw = baseRecord();
    varsOf(raw).push({
      name: 'OPENAI_API_KEY',
      value: 'sk-Lq4Wz8Xt2Kc6Vb1Nm9Hd3Fj5Gp7Ry0Ts2Ue4Wa',
      secure: false,
      notes: '',
    });
    const result = await redactVersion(raw);
    const blanked = result.report.items.filter((item) => item.action === 'blanked');
    const fingerprint = expect.stringMatching(/^[0-9a-f]{16}$/);
    expect(blanked).toEqual([
      {
        file: 'env_variables.json',
        path: 'variables[2].value',
        rule: 'secure-env',
        action: 'blanked',
        replacement: '"" (kept secure)',
        variable: 'CRM_TOKEN',
        fingerprint,
      },
      {
        file: 'env_variables.json',
        path: 'variables[3].value',
        rule: 'secure-env',
        action: 'blanked',
        replacement: '"" (kept secure)',
        variable: 'PAYMENTS_SIGNING_KEY',
        fingerprint,
      },
      {
        file: 'env_variables.json',
        path: 'variables[4].value',
        rule: 'openai-key',
        action: 'blanked',
        replacement: '"" (made secure)',
        variable: 'OPENAI_API_KEY',
        fingerprint,
      },
    ]);
    // What `porter pack` prints for them (its NOW column).
    const { reportTable, safeReportItems } = await import('../../../lib/cli/package-tools');
    const rows = reportTable(safeReportItems(blanked)).slice(1);
    expect(rows).toHaveLength(3);
    for (const row of rows) expect(row).not.toContain('{{context.env.');
    expect(rows.map((row) => /(kept|made) secure/.exec(row)?.[0])).toEqual([
      'kept secure',
      'kept secure',
      'made secure',
    ]);
  });
});

describe('redactVersion: planted corpus', () => {
  it('has at least 80 planted secrets and 60 benign strings', () => {
    expect(PLANTED.length).toBeGreaterThanOrEqual(80);
    expect(BENIGN.length).toBeGreaterThanOrEqual(60);
  });

  it.each(PLANTED.map((entry, index) => [entry.id, entry.place, entry, index] as const))(
    '%s (%s) is removed, its surroundings kept',
    async (_id, _place, entry, index) => {
      const raw = baseRecord();
      place(raw, entry, index);
      const result = await redactVersion(raw);
      expectAbsent(result, entry.secret);
      const strings = allStrings(result.content).join('\n');
      for (const keep of entry.keep) expect(strings).toContain(keep);
    },
  );

  it('removes every planted secret at once, and the report never repeats one', async () => {
    const raw = baseRecord();
    PLANTED.forEach((entry, index) => place(raw, entry, index));
    const result = await redactVersion(raw);
    for (const entry of PLANTED) expectAbsent(result, entry.secret);
    const report = reportText(result);
    for (const secret of [...PLANTED.map((entry) => entry.secret), ...KNOWN_SECRETS]) {
      expect(report.includes(secret)).toBe(false);
      // No long piece of a secret either (fingerprints are hashes, never prefixes or suffixes).
      if (secret.length >= 16) {
        expect(report.includes(secret.slice(0, 12))).toBe(false);
        expect(report.includes(secret.slice(-12))).toBe(false);
      }
    }
    // Every new variable is declared, secure and blank, with a valid unique name.
    const vars = result.content.env.variables;
    const names = vars.map((v) => v.name);
    expect(new Set(names).size).toBe(names.length);
    const referenced = new Set(
      [...serialized(result.content).matchAll(/\{\{context\.env\.([A-Z0-9_]+)\}\}/g)].map((m) => m[1]!),
    );
    for (const name of referenced) expect(names).toContain(name);
    for (const v of vars.filter((v) => v.name.startsWith('PORTER_'))) {
      expect(v).toMatchObject({ value: '', secure: true });
      expect(v.name).toMatch(/^PORTER_[A-Z0-9_]+$/);
    }
    expect(scanPackageContent(result.content)).toEqual([]);
  });
});

describe('redactVersion: benign corpus', () => {
  it.each(BENIGN.map((entry, index) => [entry.id, entry.text.slice(0, 50), entry, index] as const))(
    '%s survives: %s',
    async (_id, _label, entry, index) => {
      const raw = baseRecord();
      place(raw, entry, index);
      const parsed = rawVersionRecordSchema.parse(raw);
      const result = await redactVersion(raw);
      expect(result.content.flow).toEqual(parsed.flow);
      expect(result.content.env.variables).toEqual(
        parsed.env.variables.map((v) => (v.secure ? { ...v, value: '' } : v)),
      );
      expect(result.report.items.filter((item) => item.action === 'replaced')).toEqual([]);
      expect(allStrings(result.content)).toContain(entry.text);
    },
  );
});

describe('fail closed', () => {
  it('throws LEAK_DETECTED when the redaction missed something, without quoting the secret', async () => {
    const raw = baseRecord();
    const secrets = PLANTED.filter((entry) => entry.place === 'code-js').slice(0, 3);
    secrets.forEach((entry, index) => place(raw, entry, index));
    // A detector that finds nothing stands for a rule that failed; the final check must still stop the export.
    const error = await redactVersion(raw, { detector: () => [] }).catch((e: unknown) => e);
    expect(isPackageError(error)).toBe(true);
    const packageError = error as PackageError;
    expect(packageError.code).toBe('LEAK_DETECTED');
    expect(packageError.problems.length).toBeGreaterThanOrEqual(3);
    const everything = [
      packageError.message,
      ...packageError.problems.flatMap((p) => [p.file ?? '', p.path ?? '', p.message]),
    ].join('\n');
    for (const entry of secrets) expect(everything.includes(entry.secret)).toBe(false);
    expect(packageError.problems[0]).toMatchObject({ file: 'flow_definition.json' });
  });

  it.each(
    PLANTED.filter((entry) => entry.place !== 'known-secure').map((entry) => [entry.id, entry] as const),
  )(
    'the final check alone stops %s (the redaction memo never stands in for another detector)',
    async (_id, entry) => {
      const raw = baseRecord();
      place(raw, entry, 0);
      // First a real redaction (fills the memo), then the same record with a detector that finds nothing.
      await expect(redactVersion(structuredClone(raw))).resolves.toBeDefined();
      const error = await redactVersion(raw, { detector: () => [] }).catch((e: unknown) => e);
      expect(isPackageError(error) && error.code).toBe('LEAK_DETECTED');
    },
  );

  it('replaces a token on the line after its keyword, which the final check reads on one line of JSON text', async () => {
    // In the package file a line break inside a value is the two characters `\n`: a CSV header and its row,
    // or `password:` and the value below it, sit on one line there. The redaction must replace what the final
    // check would find, or the export stops for a workflow the user cannot mend.
    const token = 'K8PJ4G5z65hr8nwLlKkLbTbYe1fTvIBv';
    const breaks = fc.constantFrom('\n', '\r\n', ' \n  ', ',\n', ':\n  ', '%22\r\n');
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('api_key', 'token', 'password', 'secret', 'auth'),
        breaks,
        async (keyword, lineBreak) => {
          const raw = baseRecord();
          varsOf(raw).push({
            name: 'SETUP_SNIPPET',
            value: `name,${keyword}${lineBreak}${token}`,
            secure: false,
          });
          expectAbsent(await redactVersion(raw), token);
        },
      ),
      { numRuns: 30 },
    );
  });

  it('scans the serialized files like scanText does (line by line, same lines, columns and rules)', async () => {
    const { content } = await redactVersion(baseRecord());
    const config = content.flow.nodes[3]!.config as Json;
    PLANTED.filter((entry) => entry.place !== 'known-secure').forEach((entry, index) => {
      config[`planted${index}`] = entry.text;
    });
    const error = (() => {
      try {
        assertNoLeaks(content);
      } catch (e) {
        return e as PackageError;
      }
      return undefined;
    })();
    expect(error?.code).toBe('LEAK_DETECTED');
    const fromCheck = error!.problems
      .filter((p) => p.message.includes('serialized file'))
      .map((p) => `${p.file} ${p.path} ${p.message}`);
    const expected = (['app', 'flow', 'env'] as const).flatMap((part) => {
      const file = { app: 'app_definition.json', flow: 'flow_definition.json', env: 'env_variables.json' }[
        part
      ];
      return scanText(serializePackageFile(canonicalOrder(content[part])), file).map(
        (f) => `${f.file} ${f.line}:${f.column} rule ${f.rule} still matches in the serialized file`,
      );
    });
    expect(fromCheck).toEqual(expected);
  });

  it('throws LEAK_DETECTED when a known secret value is still present', async () => {
    const { content } = await redactVersion(baseRecord());
    const value = 'plain-looking-value-42';
    (content.flow.nodes[3]!.config as Json).prompt = `say ${value}`;
    expect(() =>
      assertNoLeaks({ app: content.app, flow: content.flow, env: content.env }, [value]),
    ).toThrowError(expect.objectContaining({ code: 'LEAK_DETECTED' }));
    (content.flow.nodes[3]!.config as Json).prompt = 'say nothing';
    expect(() => assertNoLeaks(content, ['absent-value-99'])).not.toThrow();
  });
});

describe('redactVersion: schema errors', () => {
  it('lists every offending path', async () => {
    const raw = baseRecord();
    delete (raw.workflow as Json).id;
    (nodesOf(raw)[1]!.config as Json).url = 42;
    (nodesOf(raw)[2]!.config as Json).language = 'cobol';
    varsOf(raw)[0]!.name = '1-bad name';
    (raw.app as Json).schemaVersion = '2.0';
    const error = (await redactVersion(raw).catch((e: unknown) => e)) as PackageError;
    expect(error.code).toBe('SCHEMA_MISMATCH');
    const paths = error.problems.map((p) => p.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'workflow.id',
        'app.schemaVersion',
        'flow.nodes[1].config.url',
        'flow.nodes[2].config.language',
        'env.variables[0].name',
      ]),
    );
    expect(error.problems.find((p) => p.path === 'flow.nodes[1].config.url')!.file).toBe(
      'flow_definition.json',
    );
    expect(error.message).toContain('flow.nodes[2].config.language');
  });
});

describe('redactPackage (a native export)', () => {
  it('blanks secure values, removes the push token and replaces inline secrets', async () => {
    const parsed = rawVersionRecordSchema.parse(baseRecord());
    const token = 'xoxb-123456789012-1234567890123-Ab3dEf5gHi7jKl9mNo1pQr3s';
    (parsed.flow.nodes[1]!.config as { headers: Json[] }).headers.push({ key: 'X-Slack', value: token });
    const content: PackageContent = { app: parsed.app, flow: parsed.flow, env: parsed.env };
    const result = await redactPackage(content);
    expectAbsent(result, token);
    for (const secret of [CRM_TOKEN_VALUE, SIGNING_KEY_VALUE, PUSH_TOKEN]) expectAbsent(result, secret);
    expect(result.content.app.execution?.async?.push).toEqual({
      callbackUrl: 'https://callback.sandbox-bank.test/afp',
    });
    expect(result.content.env.variables.map((v) => v.name)).toContain('PORTER_API0001_SLACK_TOKEN');
  });

  it('accepts an env file that is a bare array and refuses an invalid package with every path', async () => {
    const parsed = rawVersionRecordSchema.parse(baseRecord());
    const result = await redactPackage({
      app: parsed.app,
      flow: parsed.flow,
      env: [{ name: 'A', value: 'b' }] as unknown as PackageContent['env'],
    });
    expect(result.content.env).toEqual({
      schemaVersion: '1.0',
      variables: [{ name: 'A', value: 'b', secure: false, notes: '' }],
    });
    const error = (await redactPackage({
      app: { ...parsed.app, schemaVersion: '3.1' },
      flow: { schemaVersion: '1.0', nodes: [{ id: 'x' }] },
      env: parsed.env,
    } as unknown as PackageContent).catch((e: unknown) => e)) as PackageError;
    expect(error.code).toBe('SCHEMA_MISMATCH');
    expect(error.problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ file: 'app_definition.json', path: 'schemaVersion' }),
        expect.objectContaining({ file: 'flow_definition.json', path: 'nodes[0].name' }),
        expect.objectContaining({ file: 'flow_definition.json', path: 'nodes[0].type' }),
      ]),
    );
  });
});

describe('scanners for `porter scan`', () => {
  it('scanJson reports paths, rules and fingerprints, never the secret', () => {
    const findings = scanJson(
      {
        nodes: [
          {
            config: {
              headers: [{ key: 'Authorization', value: 'Bearer ghp_Ab3dEf5gHi7jKl9mNo1pQr3sTu5vWx7yZa9B' }],
            },
          },
        ],
      },
      'flow_definition.json',
    );
    expect(findings).toEqual([
      {
        file: 'flow_definition.json',
        path: 'nodes[0].config.headers[0].value',
        rule: 'github-token',
        fingerprint: expect.stringMatching(/^[0-9a-f]{16}$/),
      },
    ]);
  });

  it('scanText reports line and column', () => {
    const text = '{\n  "a": 1,\n  "url": "postgres://u:Sup3rS3cret!@db:5432/x"\n}';
    expect(scanText(text, 'x.json')).toEqual([
      {
        file: 'x.json',
        line: 3,
        column: 24,
        rule: 'url-credentials',
        // A 12-character password is guessable from a fingerprint: it gets none.
        fingerprint: 'low-entropy, not fingerprinted',
      },
    ]);
  });

  it('fingerprints are stable and keyed', () => {
    const a = scanText('token=ghp_Ab3dEf5gHi7jKl9mNo1pQr3sTu5vWx7yZa9B', 'a')[0]!.fingerprint;
    const b = scanText('x ghp_Ab3dEf5gHi7jKl9mNo1pQr3sTu5vWx7yZa9B y', 'b')[0]!.fingerprint;
    const c = scanText('x ghp_Ab3dEf5gHi7jKl9mNo1pQr3sTu5vWx7yZa9B y', 'b', {
      fingerprintKey: 'install-1',
    })[0]!.fingerprint;
    expect(a).toBe(b);
    expect(c).not.toBe(a);
  });
});

// ---------------------------------------------------------------------------------------------------------
// Property-based
// ---------------------------------------------------------------------------------------------------------

const SAFE_KEYS = [
  'label',
  'title',
  'mode',
  'retries',
  'items',
  'options',
  'meta',
  'target',
  'description',
  'format',
  'extra',
  'steps',
  'limit',
];
const safeKey = fc.oneof(
  fc.constantFrom(...SAFE_KEYS),
  fc.stringMatching(/^[a-z]{1,8}$/).filter((k) => classifyKey(k) === null && k !== '__proto__'),
);
const BENIGN_TEXTS = BENIGN.filter((entry) => !entry.key || classifyKey(entry.key) === null).map(
  (entry) => entry.text,
);
const benignString = fc.oneof(
  fc.constantFrom(...BENIGN_TEXTS),
  fc.stringMatching(/^[a-z ]{0,40}$/),
  fc.constantFrom(
    '{{context.steps.Start.output.x}}',
    'Bearer {{context.env.CRM_TOKEN}}',
    'https://example.org/a?b=c',
    'gpt-4o',
  ),
);
const { tree: benignValue } = fc.letrec((tie) => ({
  tree: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    benignString,
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('tree'), { maxLength: 3 }),
    fc.dictionary(safeKey, tie('tree'), { maxKeys: 3 }),
  ),
}));
const benignConfig = fc.dictionary(safeKey, benignValue, { maxKeys: 4 });

function recordWith(configs: Array<Record<string, unknown>>): Json {
  const raw = baseRecord();
  const nodes = nodesOf(raw);
  configs.forEach((config, index) =>
    nodes.push(node(200 + index, `INTEGRATION2${String(index).padStart(3, '0')}`, 'integration', config)),
  );
  return raw;
}

describe('properties', () => {
  it('a workflow without secrets comes out identical (apart from the structural cut)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(benignConfig, { maxLength: 6 }), async (configs) => {
        const raw = recordWith(configs);
        const parsed = rawVersionRecordSchema.parse(raw);
        const result = await redactVersion(raw);
        expect(result.content.flow).toEqual(parsed.flow);
        expect(result.report.items.filter((item) => item.action === 'replaced')).toEqual([]);
      }),
      { numRuns: 60 },
    );
  });

  const CONTEXT_FREE = PLANTED.filter((entry) =>
    ['code-js', 'code-py', 'prompt', 'url', 'body'].includes(entry.place),
  );

  it('secrets inserted anywhere are gone and everything else is identical', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(benignConfig, { minLength: 1, maxLength: 5 }),
        fc.array(
          fc.tuple(
            fc.nat(),
            fc.constantFrom(...CONTEXT_FREE),
            fc.constantFrom('payload', 'note', 'script', 'extra'),
          ),
          { minLength: 1, maxLength: 4 },
        ),
        async (configs, inserts) => {
          const withSecrets = configs.map((config) => ({ ...config }));
          const inserted: Array<{ nodeIndex: number; key: string; entry: Planted }> = [];
          for (const [at, entry, keyBase] of inserts) {
            const nodeIndex = at % withSecrets.length;
            const key = `${keyBase}${inserted.length}`;
            withSecrets[nodeIndex]![key] = [{ deep: entry.text }];
            inserted.push({ nodeIndex, key, entry });
          }
          const raw = recordWith(withSecrets);
          const result = await redactVersion(raw);
          for (const { entry } of inserted) expectAbsent(result, entry.secret);
          const baseCount = nodesOf(baseRecord()).length;
          const outNodes = result.content.flow.nodes;
          // Remove what was inserted; the rest must equal the benign input exactly.
          const stripped = outNodes.slice(baseCount).map((n, index) => {
            const config = { ...(n.config as Json) };
            for (const i of inserted.filter((x) => x.nodeIndex === index)) {
              const text = (config[i.key] as Array<{ deep: string }>)[0]!.deep;
              for (const keep of i.entry.keep) expect(text).toContain(keep);
              delete config[i.key];
            }
            return config;
          });
          const expected = rawVersionRecordSchema
            .parse(recordWith(configs))
            .flow.nodes.slice(baseCount)
            .map((n) => n.config);
          expect(stripped).toEqual(expected);
          expect(outNodes.slice(0, baseCount)).toEqual(rawVersionRecordSchema.parse(baseRecord()).flow.nodes);
          // Env: the original variables (secure ones blank) followed by new PORTER_ variables only.
          const vars = result.content.env.variables;
          expect(vars.slice(0, 4).map((v) => v.name)).toEqual([
            'BASE_URL',
            'LOG_LEVEL',
            'CRM_TOKEN',
            'PAYMENTS_SIGNING_KEY',
          ]);
          for (const v of vars.slice(4))
            expect(v).toMatchObject({ name: expect.stringMatching(/^PORTER_/), value: '', secure: true });
        },
      ),
      { numRuns: 40 },
    );
  });
});

// ---------------------------------------------------------------------------------------------------------
// Performance sanity (no timing assertion)
// ---------------------------------------------------------------------------------------------------------

describe('performance', () => {
  it('redacts a generated 2,000-node flow', async () => {
    const raw = baseRecord();
    const nodes = nodesOf(raw);
    const code = Array.from(
      { length: 30 },
      (_, i) => `  const value${i} = items[${i}] ? items[${i}].amount * rate : 0; // step ${i}`,
    ).join('\n');
    const prompt =
      'You are a claims assistant. Read the claim {{context.steps.Start.output.claim}} and decide whether it needs a human review. '.repeat(
        6,
      );
    for (let i = 0; i < 2000; i++) {
      const kind = i % 4;
      const name = `N${String(i).padStart(5, '0')}`;
      if (kind === 0)
        nodes.push(
          node(1000 + i, `API${name}`, 'api', {
            url: `{{context.env.BASE_URL}}/claims/${i}?limit=50`,
            method: 'POST',
            headers: [
              { key: 'Authorization', value: 'Bearer {{context.env.CRM_TOKEN}}' },
              { key: 'Content-Type', value: 'application/json' },
            ],
            body: {
              contentType: 'application/json',
              content: `{"claimId": "{{context.steps.Start.output.id}}", "index": ${i}}`,
            },
          }),
        );
      else if (kind === 1)
        nodes.push(
          node(1000 + i, `FUNCTION${name}`, 'function', {
            language: 'javascript',
            code: `function run(items, rate) {\n${code}\n  return value0;\n}`,
          }),
        );
      else if (kind === 2)
        nodes.push(
          node(1000 + i, `AI${name}`, 'ai', {
            model: { name: 'gpt-4o', provider: 'openai' },
            systemPrompt: prompt,
            prompt: `Claim ${i}: {{context.steps.Start.output.text}}`,
            hyperparameters: { temperature: 0.1 },
            timeoutSec: 60,
          }),
        );
      else
        nodes.push(
          node(1000 + i, `COND${name}`, 'condition', {
            rules: [{ left: '{{context.steps.Start.output.amount}}', op: '>', right: String(i * 10) }],
            meta: { id: `c9b1e2f0-1a2b-4c3d-8e9f-${String(i).padStart(12, '0')}` },
          }),
        );
    }
    // One secret somewhere in the middle.
    (nodes[1200]!.config as Json).note = 'password: Wint3r!Storm#88';
    const size = JSON.stringify(raw).length;
    const started = performance.now();
    const result = await redactVersion(raw);
    const elapsed = performance.now() - started;
    // Sanity timing (Node 20, this dev container): ~2.1 MB of JSON, 2,005 nodes, 0.7–1.0 s including the
    // final leak check (which scans the package twice: as JSON and as serialized text). Not asserted.
    console.log(
      `performance: ${(size / 1e6).toFixed(1)} MB, ${nodes.length} nodes, ${elapsed.toFixed(0)} ms`,
    );
    expect(serialized(result.content)).not.toContain('Wint3r!Storm#88');
    expect(result.content.flow.nodes).toHaveLength(nodes.length);
  }, 60_000);
});

describe('performance: copies of many detected secrets', () => {
  it('replaces the copies of 1,000 secrets across a 4,000-node flow', async () => {
    const raw = baseRecord();
    const nodes = nodesOf(raw);
    let seed = 20240501;
    const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';
    const randomText = (length: number) =>
      Array.from({ length }, () => {
        seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
        return alphabet[(seed >>> 16) % alphabet.length];
      }).join('');
    // `Q7…`: never a placeholder word (`my…`, `your…`) the scanner would rightly skip.
    const secrets = Array.from({ length: 1000 }, () => `Q7${randomText(30)}`);
    const filler = 'Check the totals of the batch against the ledger and report any difference. '.repeat(12);
    secrets.forEach((secret, i) =>
      nodes.push(
        node(10_000 + i, `FUNCTION${String(i).padStart(5, '0')}`, 'function', {
          language: 'javascript',
          code: `const apiKey = "${secret}";\nreturn call(apiKey, ${i});`,
        }),
      ),
    );
    for (let i = 0; i < 3000; i++)
      nodes.push(
        node(20_000 + i, `AI${String(i).padStart(5, '0')}`, 'ai', {
          model: { name: 'gpt-4o', provider: 'openai' },
          prompt: `${filler}Batch ${i}: quote ${secrets[(i * 7) % 1000]} to the partner.`,
        }),
      );
    const size = JSON.stringify(raw).length;
    const started = performance.now();
    const result = await redactVersion(raw);
    const elapsed = performance.now() - started;
    console.log(
      `performance (copies): ${(size / 1e6).toFixed(1)} MB, ${nodes.length} nodes, 1,000 secrets each copied 3 times, ${elapsed.toFixed(0)} ms`,
    );
    const out = result.content.flow.nodes;
    for (let i = 0; i < 3000; i++) {
      const prompt = (out[5 + 1000 + i]!.config as { prompt: string }).prompt;
      const defining = `PORTER_FUNCTION${String((i * 7) % 1000).padStart(5, '0')}_API_KEY`;
      expect(prompt).toBe(`${filler}Batch ${i}: quote {{context.env.${defining}}} to the partner.`);
    }
    expect(result.content.env.variables.filter((v) => v.name.startsWith('PORTER_'))).toHaveLength(1000);
  }, 60_000);
});

// ---------------------------------------------------------------------------------------------------------
// redactValidatedVersion, the files of the check, and the check on a package read in pieces
// ---------------------------------------------------------------------------------------------------------

/** A record whose flow is far larger than one piece of the serialized file (many pieces, many lines). */
function largeRecord(nodeCount = 1500): Json {
  const raw = baseRecord();
  const nodes = nodesOf(raw);
  for (let i = 0; i < nodeCount; i++) {
    nodes.push(
      node(5000 + i, `STEP${String(i).padStart(5, '0')}`, 'function', {
        language: 'javascript',
        code: `// step ${i}\nconst total${i} = items.reduce((sum, item) => sum + item.amount, 0);\nreturn total${i};`,
        note: `Step ${i} of the large flow: déjà vu ✓`,
      }),
    );
  }
  return raw;
}

const leakError = async (promise: Promise<unknown>) => {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(isPackageError(error) && error.code).toBe('LEAK_DETECTED');
  return error as PackageError;
};

describe('redactValidatedVersion', () => {
  it('is redactVersion without the validation: the same result for a validated record', async () => {
    const raw = baseRecord();
    const parsed = rawVersionRecordSchema.parse(raw);
    const viaValidated = await redactValidatedVersion(parsed);
    expect(viaValidated).toEqual(await redactVersion(raw));
    expect('files' in viaValidated).toBe(false);
  });

  it('fails closed like redactVersion', async () => {
    const raw = baseRecord();
    place(
      raw,
      PLANTED.find((entry) => entry.place === 'code-js')!,
      0,
    );
    const parsed = rawVersionRecordSchema.parse(raw);
    const error = await leakError(redactValidatedVersion(parsed, { detector: () => [] }));
    const expected = await leakError(redactVersion(raw, { detector: () => [] }));
    expect(error.problems).toEqual(expected.problems);
  });
});

describe('{ files: true }: the files the final check scanned', () => {
  it('are the package, its keys in canonical order: zipFiles of them gives writePackageZip(canonicalPackage(content))', async () => {
    for (const raw of [baseRecord(), largeRecord()]) {
      const parsed = rawVersionRecordSchema.parse(raw);
      const result = await redactValidatedVersion(parsed, { files: true });
      expect(result.files.map((file) => file.name)).toEqual([
        'app_definition.json',
        'flow_definition.json',
        'env_variables.json',
      ]);
      const decoder = new TextDecoder();
      const parts = [result.content.app, result.content.flow, result.content.env];
      result.files.forEach((file, i) =>
        expect(decoder.decode(file.data)).toBe(serializePackageFile(canonicalOrder(parts[i]))),
      );
      const { files, ...rest } = result;
      expect(rest).toEqual(await redactVersion(raw));
      const zipped = await zipFiles(files);
      expect(zipped).toEqual(await writePackageZip(canonicalPackage(result.content)));
    }
  });

  it('come out in canonical key order whatever order the record has, keys that held secrets included', async () => {
    const reversed = (value: unknown): unknown =>
      Array.isArray(value)
        ? value.map(reversed)
        : value !== null && typeof value === 'object'
          ? Object.fromEntries(
              Object.entries(value)
                .reverse()
                .map(([key, inner]) => [key, reversed(inner)]),
            )
          : value;
    const decoder = new TextDecoder();
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.dictionary(fc.string({ maxLength: 6 }), fc.jsonValue({ maxDepth: 3 })), { maxLength: 4 }),
        fc.boolean(),
        async (configs, secretKeys) => {
          const raw = baseRecord() as { flow: { nodes: Json[] }; execution?: unknown };
          configs.forEach((config, index) => {
            const target = raw.flow.nodes[index % raw.flow.nodes.length]!;
            target.config = { ...(target.config as Json), extra: config, z: null, a: [true, 1.5, null] };
          });
          if (secretKeys) {
            const target = raw.flow.nodes[0]!;
            target.config = { ...(target.config as Json), [`Bearer ${CRM_TOKEN_VALUE}`]: { y: 1, b: false } };
          }
          const record = rawVersionRecordSchema.parse(reversed(raw));
          const result = await redactValidatedVersion(record, { files: true });
          const parts = [result.content.app, result.content.flow, result.content.env];
          result.files.forEach((file, i) => {
            const text = decoder.decode(file.data);
            expect(text).toBe(serializePackageFile(canonicalOrder(parts[i])));
            expect(text).not.toContain(CRM_TOKEN_VALUE);
          });
        },
      ),
      { numRuns: 60 },
    );
  });

  it('are never given when the check fails (same problems as without files)', async () => {
    const raw = largeRecord(300);
    PLANTED.filter((entry) => entry.place === 'code-js')
      .slice(0, 3)
      .forEach((entry, index) => place(raw, entry, index));
    const withFiles = await leakError(redactVersion(raw, { detector: () => [], files: true }));
    const without = await leakError(redactVersion(raw, { detector: () => [] }));
    expect(withFiles.problems).toEqual(without.problems);
  });

  it('works for redactPackage too', async () => {
    const { content } = await redactVersion(baseRecord());
    const result = await redactPackage(content, { files: true });
    expect(await zipFiles(result.files)).toEqual(await writePackageZip(canonicalPackage(result.content)));
  });
});

describe('fail closed on a large package (the check reads each file in pieces)', () => {
  it('reports the serialized-file findings with the lines and columns of scanText on the whole file', async () => {
    const { content } = await redactVersion(largeRecord());
    const nodes = content.flow.nodes;
    const planted = PLANTED.filter((entry) => entry.place !== 'known-secure');
    planted.forEach((entry, index) => {
      const target = nodes[Math.floor(((index + 1) * (nodes.length - 1)) / planted.length)]!;
      (target.config as Json)[`planted${index}`] = entry.text;
    });
    const check = () => {
      try {
        assertNoLeaks(content);
      } catch (e) {
        return (e as PackageError).problems
          .filter((p) => p.message.includes('serialized file'))
          .map((p) => `${p.file} ${p.path} ${p.message}`);
      }
      return [];
    };
    // Lines and columns of the file as the zip would hold it: in canonical key order.
    const expected = scanText(serializePackageFile(canonicalOrder(content.flow)), 'flow_definition.json').map(
      (f) => `${f.file} ${f.line}:${f.column} rule ${f.rule} still matches in the serialized file`,
    );
    expect(expected.length).toBeGreaterThan(50);
    expect(check()).toEqual(expected);
  });

  it('finds a known secret value wherever it is in the text, also across the pieces', async () => {
    const { content } = await redactVersion(largeRecord());
    const text = serializePackageFile(canonicalOrder(content.flow));
    // Stretches of the text (line breaks and indentation included) at many places: every one is in the file.
    const stretches: string[] = [];
    for (let at = 1000; at + 120 < text.length; at += 7919) {
      const stretch = text.slice(at, at + 40 + (at % 80));
      if (
        !serializePackageFile(content.app).includes(stretch) &&
        !serializePackageFile(content.env).includes(stretch)
      )
        stretches.push(stretch);
    }
    expect(stretches.length).toBeGreaterThan(20);
    let error: PackageError | undefined;
    try {
      assertNoLeaks(content, stretches);
    } catch (e) {
      error = e as PackageError;
    }
    const known = error!.problems.filter((p) => p.message.includes('known to be secret'));
    expect(known).toEqual([
      {
        file: 'flow_definition.json',
        message: `${stretches.length} values known to be secret appear in the file`,
      },
    ]);
    expect(() => assertNoLeaks(content, ['not-in-the-file-anywhere'])).not.toThrow();
  });
});

describe('the final check trusts only what the redaction proved clean', () => {
  it.each([
    ...PLANTED.map((entry) => [`planted ${entry.id}`, [entry]] as const),
    ['every planted secret at once', PLANTED] as const,
    ['the benign corpus', BENIGN.slice(0, 40)] as const,
  ])('%s: what it did not scan again is clean to the full check too', async (_label, entries) => {
    const raw = baseRecord();
    entries.forEach((entry, index) => place(raw, entry as Planted, index));
    const result = await redactVersion(raw);
    // assertNoLeaks has no proofs: it scans every string and every line of every file.
    expect(() => assertNoLeaks(result.content, KNOWN_SECRETS)).not.toThrow();
  });

  it('scans everything it was not given a proof for, with the lines and columns of the whole files', async () => {
    const { content } = await redactVersion(largeRecord(400));
    const nodes = content.flow.nodes;
    const planted = PLANTED.filter((entry) => entry.place !== 'known-secure');
    const plantedAt = new Set<number>();
    planted.forEach((entry, index) => {
      const at = Math.floor(((index + 1) * (nodes.length - 1)) / planted.length);
      plantedAt.add(at);
      (nodes[at]!.config as Json)[`planted${index}`] = entry.text;
    });
    // Every other node proven clean (what the redaction proves of a node it left as it was).
    const proven = new ProvenClean();
    nodes.forEach((node, index) => {
      if (!plantedAt.has(index)) proven.mark(node, undefined);
    });
    const problems = (check: () => void) => {
      try {
        check();
      } catch (e) {
        return (e as PackageError).problems;
      }
      return [];
    };
    const withProofs = problems(() => checkNoLeaks(content, [], new SecretScanMemo(), false, proven));
    expect(withProofs.length).toBeGreaterThan(planted.length);
    expect(withProofs).toEqual(problems(() => assertNoLeaks(content)));
    // A secret put into a proven node (in place of a string, so that no line moves) is trusted: nothing
    // scans it again.
    const trusted = nodes.findIndex(
      (node, index) => !plantedAt.has(index) && typeof (node.config as Json).note === 'string',
    );
    (nodes[trusted]!.config as Json).note = PLANTED[0]!.text;
    expect(problems(() => checkNoLeaks(content, [], new SecretScanMemo(), false, proven))).toEqual(
      withProofs,
    );
    expect(problems(() => assertNoLeaks(content)).length).toBeGreaterThan(withProofs.length);
  });

  it('proves nothing for another detector: its misses are found in every part of the package', async () => {
    const raw = largeRecord(300);
    place(
      raw,
      PLANTED.find((entry) => entry.place === 'code-js')!,
      0,
    );
    const error = await leakError(redactVersion(raw, { detector: () => [] }));
    const parsed = rawVersionRecordSchema.parse(raw);
    const full = (() => {
      try {
        assertNoLeaks(canonicalPackage({ app: parsed.app, flow: parsed.flow, env: parsed.env }));
      } catch (e) {
        return (e as PackageError).problems.filter((p) => p.file === 'flow_definition.json');
      }
      return [];
    })();
    expect(full.length).toBeGreaterThan(0);
    expect(error.problems.filter((p) => p.file === 'flow_definition.json')).toEqual(full);
  });
});

describe('the scanner shortcuts (assignment pre-check, needle prefix tree, memo per key) hide nothing', () => {
  // Secrets written into code or prose as assignments of every shape, and corpus secrets as they are.
  const assignment = fc
    .tuple(
      fc.constantFrom('apiKey', 'db_password', 'client_secret', 'AUTH_TOKEN', 'pwd'),
      fc.constantFrom(' = ', '=', ': ', ' := ', ' => ', ':'),
      fc.constantFrom('"', "'", '`'),
      fc.constantFrom('', 'r'),
      fc.constantFrom('Hk39!mZq2Lw8xP', 'xY7pQ2rT9vB4nM6kJ3hG5fD8', 'T0p$ecret-9f8e7d6c'),
    )
    .map(([name, op, quote, prefix, secret]) => ({
      text: `${name}${op}${prefix}${quote}${secret}${quote}`,
      secret,
    }));
  const corpusSecret = fc
    .constantFrom(...PLANTED.filter((entry) => entry.place === 'code-js' || entry.place === 'prompt'))
    .map((entry) => ({ text: entry.text, secret: entry.secret }));

  it('a secret planted into a random string of a large flow is removed, and caught when not redacted', async () => {
    const raw = largeRecord(300);
    const parsed = rawVersionRecordSchema.parse(raw);
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(assignment, corpusSecret),
        fc.nat(299),
        fc.constantFrom('code', 'note'),
        fc.nat(),
        async (planted, nodeIndex, field, cut) => {
          const record = structuredClone(parsed);
          // One of the 300 generated function nodes (after the base record's own nodes).
          const nodes = record.flow.nodes;
          const config = (nodes[nodes.length - 300 + nodeIndex] as { config: Record<string, string> }).config;
          const host = config[field]!;
          const at = cut % (host.length + 1);
          config[field] = `${host.slice(0, at)}\n${planted.text}\n${host.slice(at)}`;
          const result = await redactValidatedVersion(record, { files: true });
          expectAbsent(result, planted.secret);
          const bytes = result.files.map((file) => new TextDecoder().decode(file.data)).join('\n');
          expect(bytes.includes(planted.secret)).toBe(false);
          // With a detector that finds nothing, the final check still stops the export.
          await leakError(redactValidatedVersion(record, { detector: () => [], files: true }));
        },
      ),
      { numRuns: 25 },
    );
  });
});
