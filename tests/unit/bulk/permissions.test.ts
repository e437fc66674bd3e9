import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportPermission } from '../../../lib/bulk/permissions';
import { listForBulkExport } from '../../../lib/worker/handlers/bulk';
import { generatedWorkflowPlan } from '../../sandbox/scale';
import { startSandbox, type SandboxHandle } from '../../sandbox/server';
import { sessionFor } from '../platform/sandbox-fixture';

let sandbox: SandboxHandle;
beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, jobDelayMs: 5, workflows: 10 });
});
afterAll(() => sandbox.close());

describe('who may export, from the role in the workflow list', () => {
  it('admins, managers and editors may; a viewer may not and is told why; an unknown role is left to the platform', () => {
    for (const role of ['tool admin', 'tool manager', 'Tool Editor'])
      expect(exportPermission(role)).toEqual({ canExport: true });
    expect(exportPermission('tool viewer')).toEqual({
      canExport: false,
      reason: expect.stringContaining('(tool viewer) may not export'),
    });
    expect(exportPermission('workflow auditor')).toEqual({ canExport: true });
    expect(exportPermission(undefined)).toEqual({ canExport: true });
  });

  it('the picker lists every workflow with its status and role, those the viewer may not export with the reason', async () => {
    const list = await listForBulkExport(await sessionFor(sandbox.url, 'viewer'));
    expect(list.account.name).toBe('Sandbox Bank');
    const banking = list.workflows.find((w) => w.name === 'Banking Assistant')!;
    expect(banking).toMatchObject({ status: 'Deployed', myRole: 'tool viewer', canExport: false });
    expect(banking.reason).toMatch(/editor role or above/);
    const allowed = list.workflows.find((w) => w.id === generatedWorkflowPlan(1).id)!;
    expect(allowed).toMatchObject({ myRole: 'tool editor', canExport: true });
    expect(allowed.reason).toBeUndefined();
  });
});
