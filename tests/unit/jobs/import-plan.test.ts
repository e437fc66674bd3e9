import { describe, expect, it } from 'vitest';
import { envConflicts, freeName, planImport } from '../../../lib/jobs/import-plan';
import type { WorkflowDetails } from '../../../lib/platform/types';
import { bankingContent } from '../banking-package';

const workflow = (changes: Partial<WorkflowDetails['workflow']> = {}): WorkflowDetails['workflow'] => ({
  id: 'a-1',
  name: 'Banking Assistant',
  description: '',
  status: 'Deployed',
  deployedVersionId: 'cf-2',
  inDevelopmentVersionId: 'cf-3',
  myRole: 'tool admin',
  permissions: { export: true, importVersion: true, deploy: true, delete: true },
  ...changes,
});

describe('the import plan', () => {
  it('proposes a free name when the package’s is taken, whatever its case and spacing', () => {
    const plan = planImport({
      content: bankingContent(),
      target: { kind: 'new' },
      workflows: [{ name: ' banking  assistant' }, { name: 'Banking Assistant (2)' }],
    });
    expect(plan).toMatchObject({ kind: 'new', nameTaken: true, name: 'Banking Assistant (3)', blocking: [] });
    expect(freeName('Claims (2)', ['Claims (2)'])).toBe('Claims (3)');
    expect(freeName('Fresh', ['Other'])).toBe('Fresh');
  });

  it('for a version: conflicts show both values unless secure, and nothing blocks a deployed workflow', () => {
    const plan = planImport({
      content: bankingContent(),
      target: {
        kind: 'version',
        workflow: workflow(),
        currentVariables: [
          { name: 'BASE_URL', value: 'https://old.example.com', secure: false, notes: '' },
          { name: 'CRM_TOKEN', value: 'current-secret', secure: true, notes: '' },
          { name: 'ONLY_HERE', value: '1', secure: false, notes: '' },
        ],
      },
      workflows: [],
    });
    expect(plan.blocking).toEqual([]);
    expect(plan.envConflicts).toEqual([
      { name: 'CRM_TOKEN', secure: true },
      {
        name: 'BASE_URL',
        secure: false,
        packageValue: 'https://crm.example.com',
        currentValue: 'https://old.example.com',
      },
    ]);
    expect(JSON.stringify(plan)).not.toContain('current-secret');
  });

  it('blocks a version into a workflow that is not deployed, or for a role that may not, saying why', () => {
    const plan = planImport({
      content: bankingContent(),
      target: {
        kind: 'version',
        workflow: workflow({
          deployedVersionId: null,
          myRole: 'tool editor',
          permissions: { export: true, importVersion: false, deploy: false, delete: false },
        }),
        currentVariables: [],
      },
      workflows: [],
    });
    expect(plan.blocking).toHaveLength(2);
    expect(plan.blocking[0]).toMatch(/is not deployed.*Deploy it first/);
    expect(plan.blocking[1]).toMatch(/\(tool editor\) cannot import a version/);
  });

  it('names what must exist in the target; a linked workflow the account has is not mentioned', () => {
    const content = bankingContent();
    content.app.guardrails!.inputScanners.push({ type: 'Ban Topics' });
    const plan = planImport({ content, target: { kind: 'new' }, workflows: [] });
    const messages = plan.dependencies.map((d) => d.message);
    expect(messages.some((m) => /Guardrail scanner "Ban Topics".*refuses the whole import/.test(m))).toBe(
      true,
    );
    expect(messages.some((m) => /AI model "gpt-4o"/.test(m))).toBe(true);
    expect(plan.emptySecure.map((v) => v.name)).toEqual(['CRM_TOKEN']);
  });

  it('a conflict is only a variable whose value or secure flag differs', () => {
    const same = { name: 'A', value: '1', secure: false, notes: '' };
    expect(envConflicts([same], [same])).toEqual([]);
    expect(envConflicts([same], [{ ...same, secure: true }])).toEqual([{ name: 'A', secure: true }]);
    expect(envConflicts([same], [])).toEqual([]);
  });
});
