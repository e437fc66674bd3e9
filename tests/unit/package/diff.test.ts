import { describe, expect, it } from 'vitest';
import {
  diffPackages,
  formatDiff,
  formatPath,
  isEmptyDiff,
  isOlderVersion,
} from '../../../lib/package/diff.ts';
import type { PackageContent } from '../../../lib/package/schemas.ts';
import { bankingContent } from '../banking-package.ts';

const base = bankingContent();

const clone = (): PackageContent => structuredClone(base);
const node = (content: PackageContent, name: string) => content.flow.nodes.find((n) => n.name === name)!;

describe('diffPackages', () => {
  it('finds nothing between equal packages', () => {
    const diff = diffPackages(base, clone());
    expect(isEmptyDiff(diff)).toBe(true);
    expect(formatDiff(diff)).toBe('no changes');
  });

  it('reports added and removed nodes and their connections', () => {
    const b = clone();
    b.flow.nodes = b.flow.nodes.filter((n) => n.name !== 'AI0001');
    node(b, 'API0001').connections.onSuccess = ['n-api2'];
    b.flow.nodes.push({
      id: 'n-api2',
      name: 'API0002',
      type: 'api',
      config: { url: 'https://x', method: 'GET' },
      connections: { onSuccess: ['n-end'], onFailure: [] },
    });
    const diff = diffPackages(base, b);
    expect(diff.flow.nodesAdded).toEqual([{ id: 'n-api2', name: 'API0002', type: 'api' }]);
    expect(diff.flow.nodesRemoved).toEqual([{ id: 'n-ai', name: 'AI0001', type: 'ai' }]);
    expect(diff.flow.nodesChanged).toEqual([]);
    expect(diff.flow.connectionsAdded).toEqual(
      expect.arrayContaining([
        { from: 'API0001', outcome: 'onSuccess', to: 'API0002' },
        { from: 'API0002', outcome: 'onSuccess', to: 'End' },
      ]),
    );
    expect(diff.flow.connectionsRemoved).toEqual(
      expect.arrayContaining([
        { from: 'API0001', outcome: 'onSuccess', to: 'AI0001' },
        { from: 'AI0001', outcome: 'onSuccess', to: 'End' },
      ]),
    );
    const text = formatDiff(diff);
    expect(text).toContain('+ node API0002 (api)');
    expect(text).toContain('- node AI0001 (ai)');
    expect(text).toContain('+ connection API0001 -onSuccess-> API0002');
  });

  it('reports field-level changes within a node, matched by name and type', () => {
    const b = clone();
    const api = node(b, 'API0001');
    (api.config.headers as { key: string; value: string }[])[0]!.value = 'Bearer {{context.env.OTHER}}';
    api.config.timeoutSec = 10;
    node(b, 'AI0001').config.prompt = 'A new prompt';
    const diff = diffPackages(base, b);
    expect(diff.flow.nodesChanged).toHaveLength(2);
    const apiChange = diff.flow.nodesChanged.find((c) => c.after.name === 'API0001')!;
    expect(apiChange.matchedBy).toBe('name');
    expect(apiChange.fields).toEqual([
      {
        path: 'config.headers[0].value',
        kind: 'changed',
        before: 'Bearer {{context.env.CRM_TOKEN}}',
        after: 'Bearer {{context.env.OTHER}}',
      },
      { path: 'config.timeoutSec', kind: 'added', after: 10 },
    ]);
    const text = formatDiff(diff);
    expect(text).toContain(
      '~ node API0001: config.headers[0].value: "Bearer {{context.env.CRM_TOKEN}}" → "Bearer {{context.env.OTHER}}"',
    );
    expect(text).toContain('~ node API0001: config.timeoutSec: + 10');
    expect(text).toContain(
      '~ node AI0001: config.prompt: "Answer {{context.steps.API0001.output}} — ünïcode ✓" → "A new prompt"',
    );
  });

  it('matches a node by id when it was renamed', () => {
    const b = clone();
    node(b, 'AI0001').name = 'AI0009';
    const diff = diffPackages(base, b);
    expect(diff.flow.nodesAdded).toEqual([]);
    expect(diff.flow.nodesRemoved).toEqual([]);
    expect(diff.flow.nodesChanged).toEqual([
      expect.objectContaining({
        matchedBy: 'id',
        before: expect.objectContaining({ name: 'AI0001' }),
        after: expect.objectContaining({ name: 'AI0009' }),
      }),
    ]);
    expect(diff.flow.connectionsAdded).toEqual([]);
    expect(formatDiff(diff)).toBe('~ node AI0001 → AI0009 (renamed)');
  });

  it('matches a node by name when its id changed, keeps its edges, and does not count the id as a change', () => {
    const b = clone();
    const ai = node(b, 'AI0001');
    ai.id = 'n-ai-new';
    node(b, 'API0001').connections.onSuccess = ['n-ai-new'];
    ai.config.systemPrompt = 'Be brief.';
    const diff = diffPackages(base, b);
    expect(diff.flow.nodesAdded).toEqual([]);
    expect(diff.flow.nodesRemoved).toEqual([]);
    expect(diff.flow.connectionsAdded).toEqual([]);
    expect(diff.flow.connectionsRemoved).toEqual([]);
    const change = diff.flow.nodesChanged[0]!;
    expect(change.matchedBy).toBe('name');
    expect(change.fields.map((f) => f.path)).toEqual(['config.systemPrompt']);
  });

  it('sees no change when every id was regenerated, configurations naming nodes by id included', () => {
    const a = clone();
    node(a, 'AI0001').config.fallbackNode = node(a, 'End').id;
    const b = structuredClone(a);
    const newId = new Map(b.flow.nodes.map((n) => [n.id, `${n.id}-regenerated`]));
    for (const n of b.flow.nodes) {
      n.id = newId.get(n.id)!;
      n.connections.onSuccess = n.connections.onSuccess.map((id) => newId.get(id)!);
      n.connections.onFailure = n.connections.onFailure.map((id) => newId.get(id)!);
    }
    node(b, 'AI0001').config.fallbackNode = newId.get(node(a, 'End').id)!;
    expect(isEmptyDiff(diffPackages(a, b))).toBe(true);
    node(b, 'AI0001').config.fallbackNode = node(b, 'API0001').id;
    expect(formatDiff(diffPackages(a, b))).toBe(
      '~ node AI0001: config.fallbackNode: "‹node End›" → "‹node API0001›"',
    );
  });

  it('tells apart two nodes of one name by their type', () => {
    const a = clone();
    const b = clone();
    node(b, 'AI0001').type = 'function';
    const diff = diffPackages(a, b);
    expect(diff.flow.nodesChanged.map((c) => [c.matchedBy, c.fields.map((f) => f.path)])).toEqual([
      ['id', ['type']],
    ]);
  });

  it('reports app definition changes field by field', () => {
    const b = clone();
    b.app.workflow.description = 'Answers loan and card questions';
    b.app.io.inputs.push({ name: 'customerId', type: 'string' });
    delete (b.app as Record<string, unknown>).futureField;
    const diff = diffPackages(base, b);
    expect(diff.app).toEqual([
      {
        path: 'workflow.description',
        kind: 'changed',
        before: 'Answers loan questions',
        after: 'Answers loan and card questions',
      },
      { path: 'io.inputs[1]', kind: 'added', after: { name: 'customerId', type: 'string' } },
      { path: 'futureField', kind: 'removed', before: { kept: true } },
    ]);
    expect(formatDiff(diff)).toContain(
      '~ app workflow.description: "Answers loan questions" → "Answers loan and card questions"',
    );
  });

  it('never shows the value of a variable that is secure on either side', () => {
    const a = clone();
    a.env.variables[0]!.value = 'super-secret-before'; // a raw (unredacted) record could carry it
    const b = clone();
    b.env.variables[0]!.value = 'super-secret-after';
    b.env.variables[0]!.notes = 'rotated';
    b.env.variables[1]!.value = 'https://crm2.example.com';
    b.env.variables[1]!.secure = true; // became secure: old value must not show either
    b.env.variables.push({ name: 'NEW_SECRET', value: 'leak-me-not', secure: true, notes: '' });
    b.env.variables.push({ name: 'REGION', value: 'eu', secure: false, notes: '' });
    const diff = diffPackages(a, b);
    const json = JSON.stringify(diff);
    const text = formatDiff(diff);
    for (const secret of [
      'super-secret-before',
      'super-secret-after',
      'leak-me-not',
      'https://crm.example.com',
      'https://crm2.example.com',
    ]) {
      expect(json).not.toContain(secret);
      expect(text).not.toContain(secret);
    }
    expect(diff.env.changed).toEqual([
      {
        name: 'CRM_TOKEN',
        secure: { before: true, after: true },
        valueChanged: true,
        fields: [{ path: 'notes', kind: 'changed', before: 'set after import', after: 'rotated' }],
      },
      {
        name: 'BASE_URL',
        secure: { before: false, after: true },
        valueChanged: true,
        fields: [{ path: 'secure', kind: 'changed', before: false, after: true }],
      },
    ]);
    expect(text).toContain('~ env CRM_TOKEN: value changed (secure)');
    expect(text).toContain('~ env BASE_URL: now secure');
    expect(text).toContain('+ env NEW_SECRET (secure)');
    expect(text).toContain('+ env REGION = "eu"');
  });

  it("hides secrets that a platform's own export still holds, yet shows that they changed", () => {
    // A native export keeps the async push token.
    const withPushToken = (accessToken: string) => {
      const content = clone();
      content.app.execution = {
        ...content.app.execution,
        async: {
          enabled: true,
          timeoutSec: 60,
          push: { callbackUrl: 'https://hooks.bank.test/cb', accessToken },
        },
      };
      return content;
    };
    const a = withPushToken('tok-OLD-77aa');
    const b = withPushToken('tok-NEW-88bb');
    const api = node(b, 'API0001').config as Record<string, unknown>;
    api.headers = [
      { key: 'X-Api-Key', value: 'q8ZrT3vW9xY2' },
      { key: 'Accept', value: 'application/json' },
    ];
    api.password = 'Winter2024!';
    api.url = 'https://api.bank.test/v1?token={{context.env.API_TOKEN}}';
    b.env.variables.push({ name: 'DB_PASSWORD', value: 'Winter2024!', secure: false, notes: '' });
    b.env.variables.push({
      name: 'GH',
      value: 'ghp_shRQNG3dhi4wVnX558GkvxThvA0EhexWQ3cz',
      secure: false,
      notes: '',
    });

    const diff = diffPackages(a, b, { fingerprintKey: 'test' });
    const text = JSON.stringify(diff) + formatDiff(diff, { maxValueLength: 500 });
    for (const secret of [
      'tok-OLD-77aa',
      'tok-NEW-88bb',
      'q8ZrT3vW9xY2',
      'Winter2024!',
      'ghp_shRQNG3dhi4wVnX558',
    ])
      expect(text).not.toContain(secret);
    const token = diff.app.find((c) => c.path === 'execution.async.push.accessToken')!;
    expect(token.before).not.toEqual(token.after);
    // What is not secret stays readable.
    expect(text).toContain('application/json');
    expect(text).toContain('{{context.env.API_TOKEN}}');
    // The same secret in two places has the same mark.
    const password = formatDiff(diff).match(/config\.password: \+ "(‹[^›]+›)"/)![1]!;
    expect(formatDiff(diff)).toContain(`+ env DB_PASSWORD = "${password}"`);
  });

  it('shows non-secure value changes and removed variables', () => {
    const b = clone();
    b.env.variables[1]!.value = 'https://crm2.example.com';
    b.env.variables.shift();
    const diff = diffPackages(base, b);
    const text = formatDiff(diff);
    expect(text).toContain('- env CRM_TOKEN (secure)');
    expect(text).toContain('~ env BASE_URL: "https://crm.example.com" → "https://crm2.example.com"');
  });

  it('shortens long values around the first difference', () => {
    const b = clone();
    const long = 'Lorem ipsum dolor sit amet, '.repeat(20);
    node(b, 'AI0001').config.prompt = `${long}the customer's name`;
    const a = clone();
    node(a, 'AI0001').config.prompt = `${long}the client's name`;
    const line = formatDiff(diffPackages(a, b));
    expect(line).toMatch(/^~ node AI0001: config\.prompt: "?….*client's name" → ….*customer's name"$/);
    expect(line.length).toBeLessThan(200);
  });

  it('formats odd keys with brackets', () => {
    expect(formatPath(['config', 'headers', 0, 'value'])).toBe('config.headers[0].value');
    expect(formatPath(['config', 'a b', 'x.y'])).toBe('config["a b"]["x.y"]');
  });
});

describe('version order', () => {
  const versioned = (name: string, createdAt?: string) => {
    const content = bankingContent();
    content.app.version = { ...content.app.version, name, createdAt };
    return content;
  };
  it('puts the older version first by creation time, else by name in natural order', () => {
    expect(
      isOlderVersion(versioned('b', '2025-01-01T00:00:00Z'), versioned('a', '2025-02-01T00:00:00Z')),
    ).toBe(true);
    expect(isOlderVersion(versioned('v10'), versioned('v2'))).toBe(false);
    expect(isOlderVersion(versioned('v2'), versioned('v10', '2025-01-01T00:00:00Z'))).toBe(true);
    expect(isOlderVersion(versioned('v2'), versioned('V2'))).toBeUndefined();
  });
});
