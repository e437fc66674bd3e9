import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redactVersion } from '../../lib/redaction/redactor.ts';
import { safeFileStem } from '../../lib/package/filename.ts';
import { generatedWorkflowPlan, generatedWorkflows, parseWorkflowCount } from './scale.ts';
import { startSandbox, type SandboxHandle } from './server.ts';
import { createSeedState, WORKFLOWS } from './seed.ts';
import { apiKeyClient, sessionClient } from './test-helpers.ts';

const COUNT = 30;
let sandbox: SandboxHandle;
beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, jobDelayMs: 5, workflows: COUNT });
});
afterAll(() => sandbox.close());

interface Listed {
  id: string;
  name: string;
  status: string;
  myRole: string;
}
const listAs = async (user: 'owner' | 'editor' | 'viewer') =>
  (
    (await (await (await sessionClient(sandbox.url, user)).fetch('/api/workflows')).json()) as {
      workflows: Listed[];
    }
  ).workflows;

describe('generated workflows (--workflows N)', () => {
  it('come after the seeded five, which stay exactly as without them', () => {
    const state = sandbox.state();
    expect(state.workflows).toHaveLength(5 + COUNT);
    expect(JSON.stringify(state.workflows.slice(0, 5))).toBe(JSON.stringify(createSeedState().workflows));
    expect(state.workflows.slice(0, 5).map((w) => w.id)).toEqual(Object.values(WORKFLOWS).map((w) => w.id));
  });

  it('are the same on every run, and workflow i does not depend on how many were asked for', () => {
    expect(JSON.stringify(generatedWorkflows(12))).toBe(JSON.stringify(generatedWorkflows(12)));
    expect(JSON.stringify(generatedWorkflows(12))).toBe(
      JSON.stringify(generatedWorkflows(COUNT).slice(0, 12)),
    );
  });

  it('have unique names and IDs, and two names that make the same file name', () => {
    const workflows = generatedWorkflows(COUNT);
    const names = [...createSeedState().workflows, ...workflows].map((w) => w.name.toLowerCase());
    expect(new Set(names).size).toBe(names.length);
    expect(new Set(workflows.map((w) => w.id)).size).toBe(COUNT);
    expect(safeFileStem(workflows[2]!.name)).toBe(safeFileStem(workflows[3]!.name));
    expect(workflows[2]!.name).not.toBe(workflows[3]!.name);
  });

  it('mix sizes and states: large, medium and small; deployed, in development only, and both', () => {
    const workflows = generatedWorkflows(40);
    const nodes = workflows.map((w) => (w.versions[0]!.flow.nodes as unknown[]).length);
    expect(Math.max(...nodes)).toBeGreaterThanOrEqual(400);
    expect(Math.min(...nodes)).toBeLessThanOrEqual(30);
    expect(nodes.filter((n) => n >= 60 && n <= 200).length).toBeGreaterThan(5);
    const states = workflows.map((w) => w.versions.map((v) => v.state).join('+'));
    expect(new Set(states)).toEqual(new Set(['deployed', 'in-development', 'deployed+in-development']));
    for (const w of workflows)
      expect(w.deployedVersionId).toBe(w.versions.find((v) => v.state === 'deployed')?.id ?? null);
  });

  it('are listed with each user’s role: the viewer may export some, the editor not all, and some are hidden from the viewer', async () => {
    const generatedIds = new Set(generatedWorkflows(COUNT).map((w) => w.id));
    const owner = (await listAs('owner')).filter((w) => generatedIds.has(w.id));
    const editor = (await listAs('editor')).filter((w) => generatedIds.has(w.id));
    const viewer = (await listAs('viewer')).filter((w) => generatedIds.has(w.id));
    expect(owner).toHaveLength(COUNT);
    expect(owner.every((w) => w.myRole === 'tool admin')).toBe(true);
    expect(editor.filter((w) => w.myRole === 'tool viewer').map((w) => w.name)).toEqual(
      [10, 20, 30].map((i) => generatedWorkflowPlan(i).name),
    );
    expect(viewer.map((w) => w.id)).not.toContain(generatedWorkflowPlan(15).id);
    expect(viewer).toHaveLength(COUNT - 2); // 15 and 30 are not shared with the viewer
    expect(viewer.filter((w) => w.myRole === 'tool editor').length).toBeGreaterThan(5);
  });

  it('answer the permission the role gives: a viewer who is a tool editor on one may read its version record', async () => {
    const viewer = await sessionClient(sandbox.url, 'viewer');
    const allowed = generatedWorkflowPlan(1);
    const refused = generatedWorkflowPlan(2);
    const details = (await (await viewer.fetch(`/api/workflows/${allowed.id}`)).json()) as {
      workflow: { permissions: { export: boolean } };
    };
    expect(details.workflow.permissions.export).toBe(true);
    expect(
      (await viewer.fetch(`/api/workflows/${allowed.id}/versions/${allowed.deployedVersionId}`)).status,
    ).toBe(200);
    const res = await viewer.fetch(`/api/workflows/${refused.id}/versions/${refused.inDevelopmentVersionId}`);
    expect(res.status).toBe(403);
    await res.arrayBuffer();
  });

  it('every default version exports cleanly through the extension’s redaction (fault-free)', async () => {
    const owner = await sessionClient(sandbox.url, 'owner');
    for (let i = 1; i <= COUNT; i++) {
      const plan = generatedWorkflowPlan(i);
      const versionId = plan.deployedVersionId ?? plan.inDevelopmentVersionId!;
      const raw: unknown = await (
        await owner.fetch(`/api/workflows/${plan.id}/versions/${versionId}`)
      ).json();
      const { content, report } = await redactVersion(raw, { fingerprintKey: 'scale-test' });
      expect(content.app.workflow.name).toBe(plan.name);
      expect(content.flow.nodes).toHaveLength(plan.nodeCount);
      expect(report.items.length).toBeGreaterThan(0); // the API key, sharing, endpoint and audit log go
    }
  });

  it('survive a reset, and the public API lists them too', async () => {
    sandbox.reset();
    expect(sandbox.state().workflows).toHaveLength(5 + COUNT);
    const res = await apiKeyClient(sandbox.url).fetch(`/api/workflows/${generatedWorkflowPlan(COUNT).id}`);
    expect(res.status).toBe(200);
    await res.arrayBuffer();
  });
});

describe('the workflow count', () => {
  it('takes a whole number from 0 to 5000 and refuses anything else with a clear message', () => {
    expect(parseWorkflowCount('200')).toBe(200);
    expect(parseWorkflowCount(0)).toBe(0);
    for (const bad of ['-1', '2.5', 'many', 5001, Number.NaN])
      expect(() => parseWorkflowCount(bad)).toThrow(/whole number from 0 to 5000/);
  });

  it('npm run sandbox -- --workflows x exits 2 and says why', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'tests/sandbox/cli.ts', '--workflows', 'x'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(2);
    expect(stderr).toContain('Invalid --workflows');
  });

  it('startSandbox refuses a bad count before listening', async () => {
    await expect(startSandbox({ port: 0, workflows: -3 })).rejects.toThrow(/whole number/);
  });
});
