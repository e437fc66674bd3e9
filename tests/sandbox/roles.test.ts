import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSandbox, type SandboxHandle } from './server.ts';
import { WORKFLOWS, type SeedUserKey } from './seed.ts';
import { apiKeyClient, importNew, sessionClient, upload, waitForJob, type Client } from './test-helpers.ts';

type Who = SeedUserKey | 'apiKey';
const WHO: Who[] = ['owner', 'manager', 'editor', 'viewer', 'apiKey'];
const B = WORKFLOWS.banking;

let sandbox: SandboxHandle;
const clients = {} as Record<Who, Client>;
const minimalFlow = {
  schemaVersion: '1.0',
  nodes: [
    {
      id: 's',
      name: 'Start',
      type: 'start',
      position: { x: 0, y: 0 },
      config: {},
      connections: { onSuccess: ['e'], onFailure: [] },
    },
    {
      id: 'e',
      name: 'End',
      type: 'end',
      position: { x: 1, y: 0 },
      config: {},
      connections: { onSuccess: [], onFailure: [] },
    },
  ],
};
const minimalApp = {
  schemaVersion: '1.0',
  workflow: { name: 'x', description: '' },
  version: { name: 'v1' },
};
const minimalEnv = { schemaVersion: '1.0', variables: [] };

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, jobDelayMs: 5 });
  for (const who of WHO)
    clients[who] = who === 'apiKey' ? apiKeyClient(sandbox.url) : await sessionClient(sandbox.url, who);
});
afterAll(() => sandbox.close());
beforeEach(() => sandbox.reset());

async function errorCode(res: Response): Promise<string | undefined> {
  if (res.status < 400) return undefined;
  const body = (await res.json()) as { error?: { code?: string } };
  return body.error?.code;
}

interface Call {
  name: string;
  run(c: Client): Promise<Response>;
  expect: Record<Who, number | [number, string]>;
}

const fileIds = async (c: Client) => ({
  flowDataFileId: await upload(c, 'flow_definition.json', minimalFlow),
  workflowDataFileId: await upload(c, 'app_definition.json', minimalApp),
  envVariablesFileId: await upload(c, 'env_variables.json', minimalEnv),
});

const CALLS: Call[] = [
  {
    name: 'GET /api/workflows',
    run: (c) => c.fetch('/api/workflows'),
    expect: { owner: 200, manager: 200, editor: 200, viewer: 200, apiKey: 200 },
  },
  {
    name: 'GET /api/workflows/:id',
    run: (c) => c.fetch(`/api/workflows/${B.id}`),
    expect: { owner: 200, manager: 200, editor: 200, viewer: 200, apiKey: 200 },
  },
  {
    name: 'GET /api/workflows/:id/versions/:versionId',
    run: (c) => c.fetch(`/api/workflows/${B.id}/versions/${B.versions.v3}`),
    expect: { owner: 200, manager: 200, editor: 200, viewer: [403, 'FORBIDDEN'], apiKey: 200 },
  },
  {
    name: 'POST export',
    run: (c) => c.fetch(`/api/public/workflows/${B.id}/export?flowId=${B.versions.v2}`, { method: 'POST' }),
    expect: { owner: 202, manager: 202, editor: 202, viewer: [403, 'FORBIDDEN'], apiKey: 202 },
  },
  {
    name: 'POST export (singular alias)',
    run: (c) => c.fetch(`/api/public/workflow/${B.id}/export`, { method: 'POST' }),
    expect: { owner: 202, manager: 202, editor: 202, viewer: [403, 'FORBIDDEN'], apiKey: 202 },
  },
  {
    name: 'POST import as new workflow',
    run: async (c) =>
      c.fetch('/api/public/workflows/import', {
        method: 'POST',
        json: {
          workflowName: `Imported by ${c.name}`,
          flowDataFileId: await upload(c, 'f.json', minimalFlow),
        },
      }),
    expect: { owner: 202, manager: 202, editor: 202, viewer: [403, 'FORBIDDEN'], apiKey: 202 },
  },
  {
    name: 'POST import as version (deployed parent)',
    run: async (c) =>
      c.fetch(`/api/public/workflows/${B.id}/import`, { method: 'POST', json: await fileIds(c) }),
    expect: { owner: 202, manager: 202, editor: [403, 'FORBIDDEN'], viewer: [403, 'FORBIDDEN'], apiKey: 202 },
  },
  {
    name: 'POST import as version (parent not deployed)',
    run: async (c) =>
      c.fetch(`/api/public/workflows/${WORKFLOWS.invoice.id}/import`, {
        method: 'POST',
        json: await fileIds(c),
      }),
    expect: {
      owner: [409, 'PARENT_NOT_DEPLOYED'],
      manager: [409, 'PARENT_NOT_DEPLOYED'],
      editor: [403, 'FORBIDDEN'],
      viewer: [403, 'FORBIDDEN'],
      apiKey: [409, 'PARENT_NOT_DEPLOYED'],
    },
  },
  {
    name: 'POST deploy',
    run: (c) =>
      c.fetch(`/api/public/workflows/${WORKFLOWS.invoice.id}/deploy`, {
        method: 'POST',
        json: { isAsync: false },
      }),
    expect: { owner: 202, manager: 202, editor: 202, viewer: [403, 'FORBIDDEN'], apiKey: 202 },
  },
  {
    name: 'POST undeploy (singular alias)',
    run: (c) => c.fetch(`/api/public/workflow/${WORKFLOWS.onboarding.id}/undeploy`, { method: 'POST' }),
    expect: { owner: 202, manager: 202, editor: 202, viewer: [403, 'FORBIDDEN'], apiKey: 202 },
  },
  {
    name: 'POST undeploy of a workflow that is not deployed',
    run: (c) => c.fetch(`/api/public/workflows/${WORKFLOWS.empty.id}/undeploy`, { method: 'POST' }),
    expect: {
      owner: [409, 'CONFLICT'],
      manager: [409, 'CONFLICT'],
      editor: [409, 'CONFLICT'],
      viewer: [403, 'FORBIDDEN'],
      apiKey: [409, 'CONFLICT'],
    },
  },
  {
    name: 'DELETE undeployed workflow',
    run: (c) => c.fetch(`/api/workflows/${WORKFLOWS.invoice.id}`, { method: 'DELETE' }),
    expect: {
      owner: 204,
      manager: [403, 'FORBIDDEN'],
      editor: [403, 'FORBIDDEN'],
      viewer: [403, 'FORBIDDEN'],
      apiKey: 204,
    },
  },
  {
    name: 'DELETE deployed workflow',
    run: (c) => c.fetch(`/api/workflows/${B.id}`, { method: 'DELETE' }),
    expect: {
      owner: [409, 'CONFLICT'],
      manager: [403, 'FORBIDDEN'],
      editor: [403, 'FORBIDDEN'],
      viewer: [403, 'FORBIDDEN'],
      apiKey: [409, 'CONFLICT'],
    },
  },
];

describe('role matrix', () => {
  for (const call of CALLS) {
    it.each(WHO)(`${call.name} as %s`, async (who) => {
      const res = await call.run(clients[who]);
      const expected = call.expect[who];
      const [status, code] = Array.isArray(expected) ? expected : [expected, undefined];
      expect(res.status).toBe(status);
      if (code) expect(await errorCode(res)).toBe(code);
      else await res.arrayBuffer();
    });
  }

  it('GET /api/workflows/:id reports permissions from the role only', async () => {
    const expected: Record<Who, Record<string, boolean>> = {
      owner: { export: true, importVersion: true, deploy: true, delete: true },
      manager: { export: true, importVersion: true, deploy: true, delete: false },
      editor: { export: true, importVersion: false, deploy: true, delete: false },
      viewer: { export: false, importVersion: false, deploy: false, delete: false },
      apiKey: { export: true, importVersion: true, deploy: true, delete: true },
    };
    for (const who of WHO) {
      for (const id of [B.id, WORKFLOWS.invoice.id]) {
        const body = (await (await clients[who].fetch(`/api/workflows/${id}`)).json()) as {
          workflow: { permissions: unknown; myRole: string };
        };
        expect(body.workflow.permissions, `${who} on ${id}`).toEqual(expected[who]);
      }
    }
  });

  it('GET /api/account reports whether the account role may import', async () => {
    for (const who of WHO) {
      const body = (await (await clients[who].fetch('/api/account')).json()) as {
        permissions: { importWorkflow: boolean };
      };
      expect(body.permissions.importWorkflow).toBe(who !== 'viewer');
    }
  });

  it('a user with no role on a workflow gets 404 everywhere', async () => {
    const { job } = await importNew(clients.editor, 'Editor private', { flow: minimalFlow });
    expect(job?.status).toBe('SUCCESS');
    const id = job!.workflowId;
    expect((await clients.editor.fetch(`/api/workflows/${id}`)).status).toBe(200);
    for (const who of ['manager', 'viewer', 'owner', 'apiKey'] as Who[]) {
      const c = clients[who];
      expect((await c.fetch(`/api/workflows/${id}`)).status).toBe(404);
      expect((await c.fetch(`/api/public/workflows/${id}/export`, { method: 'POST' })).status).toBe(404);
      expect((await c.fetch(`/api/workflows/${id}`, { method: 'DELETE' })).status).toBe(404);
      const list = (await (await c.fetch('/api/workflows')).json()) as { workflows: Array<{ id: string }> };
      expect(list.workflows.some((w) => w.id === id)).toBe(false);
    }
  });

  it('unauthenticated calls get 401 UNAUTHENTICATED; a wrong API key too', async () => {
    for (const path of [
      '/api/session',
      '/api/workflows',
      `/api/workflows/${B.id}`,
      '/api/public/dock-status/ds-x',
    ]) {
      const res = await fetch(`${sandbox.url}${path}`);
      expect(res.status).toBe(401);
      expect(await errorCode(res)).toBe('UNAUTHENTICATED');
    }
    const res = await apiKeyClient(sandbox.url, 'kg-not-a-key').fetch('/api/workflows');
    expect(res.status).toBe(401);
    // A workflow API key is not a management key.
    const wfKey = sandbox.state().workflows[0]!.apiKeys[0]!.key;
    expect((await apiKeyClient(sandbox.url, wfKey).fetch('/api/workflows')).status).toBe(401);
  });

  it('deploy publishes the in-development version; undeploy and delete follow', async () => {
    const c = clients.owner;
    let res = await c.fetch(`/api/public/workflows/${B.id}/deploy`, {
      method: 'POST',
      json: { isAsync: true },
    });
    const started = (await res.json()) as { dockStatusId: string; 'dock-statusId': string; action: string };
    expect(started['dock-statusId']).toBe(started.dockStatusId);
    expect(started.action).toBe('DEPLOY');
    expect((await waitForJob(c, started.dockStatusId)).status).toBe('SUCCESS');
    let detail = (await (await c.fetch(`/api/workflows/${B.id}`)).json()) as {
      workflow: { status: string; deployedVersionId: string; inDevelopmentVersionId: string | null };
      versions: Array<{ id: string; state: string }>;
    };
    expect(detail.workflow.deployedVersionId).toBe(B.versions.v3);
    expect(detail.workflow.inDevelopmentVersionId).toBeNull();
    expect(detail.versions.find((v) => v.id === B.versions.v2)!.state).toBe('saved');
    expect(detail.workflow.status).toBe('Deployed');

    res = await c.fetch(`/api/public/workflows/${B.id}/undeploy`, { method: 'POST' });
    const undeploy = (await res.json()) as { dockStatusId: string; toolId: string };
    expect(undeploy.toolId).toBe(B.id);
    expect((await waitForJob(c, undeploy.dockStatusId)).status).toBe('SUCCESS');
    detail = (await (await c.fetch(`/api/workflows/${B.id}`)).json()) as typeof detail;
    expect(detail.workflow.status).toBe('In Development');
    expect(detail.workflow.deployedVersionId).toBeNull();
    expect(detail.workflow.inDevelopmentVersionId).toBe(B.versions.v3);
    expect((await c.fetch(`/api/workflows/${B.id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await c.fetch(`/api/workflows/${B.id}`)).status).toBe(404);
  });
});
