import { describe, expect, it } from 'vitest';
import { afterImportTasks, describeTask, summarizeContent } from '../../../lib/package/summary';
import { bankingContent } from '../banking-package';

describe('package summary', () => {
  it('counts nodes by type and lists inputs, outputs, scanners and variables, secure values left out', () => {
    const content = bankingContent();
    content.env.variables[0]!.value = 'would never be shown';
    const summary = summarizeContent(content);
    expect(summary.workflow.name).toBe('Banking Assistant');
    expect(summary.nodes).toEqual({ total: 4, byType: { ai: 1, api: 1, end: 1, start: 1 } });
    expect(summary.execution).toEqual({
      syncTimeoutSec: 60,
      async: { enabled: false, timeoutSec: null, pushAccessTokenSet: false },
    });
    expect(summary.env).toEqual([
      { name: 'CRM_TOKEN', secure: true, notes: 'set after import' },
      { name: 'BASE_URL', secure: false, value: 'https://crm.example.com' },
    ]);
    expect(JSON.stringify(summary)).not.toContain('would never be shown');
  });

  it('says what to fill in after import: empty secure variables with the nodes using them, the push token, undefined variables, dependencies', () => {
    const content = bankingContent();
    content.app.execution = {
      syncTimeoutSec: 60,
      async: { enabled: true, timeoutSec: 300, push: { callbackUrl: 'https://hooks.example/cb' } },
    };
    content.app.guardrails = { inputScanners: [{ type: 'Toxicity' }], outputScanners: [] };
    const api = content.flow.nodes.find((node) => node.name === 'API0001')!;
    api.config.url = '{{context.env.BASE_URL}}/x?k={{ context.env.MISSING_KEY }}';
    const tasks = afterImportTasks(content);
    expect(tasks).toEqual([
      { kind: 'secure-variable', name: 'CRM_TOKEN', notes: 'set after import', usedBy: ['API0001'] },
      { kind: 'undefined-variable', name: 'MISSING_KEY', usedBy: ['API0001'] },
      { kind: 'push-token', callbackUrl: 'https://hooks.example/cb' },
      ...tasks.filter((task) => task.kind === 'dependency' && task.dependency === 'model'),
      { kind: 'dependency', dependency: 'guardrail', name: 'Toxicity' },
    ]);
    expect(tasks.map(describeTask)).toContain(
      'Set the value of the secure variable CRM_TOKEN (used by API0001): packages never carry it.',
    );
    expect(describeTask(tasks[2]!)).toBe(
      'Set the async push access token for https://hooks.example/cb: it is never exported.',
    );
  });

  it('has nothing to fill in for a package without secrets or dependencies', () => {
    const content = bankingContent();
    content.env.variables = [];
    content.flow.nodes = content.flow.nodes.filter((node) => node.type === 'start' || node.type === 'end');
    content.flow.nodes[0]!.connections = { onSuccess: [], onFailure: [] };
    expect(afterImportTasks(content)).toEqual([]);
  });
});
