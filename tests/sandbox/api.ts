/** The session API (platform-contract.md §4): what the sandbox's own web UI uses. */
import {
  HttpError,
  conflict,
  forbidden,
  invalid,
  sendEmpty,
  sendJson,
  type Ctx,
  type Router,
} from './http.ts';
import { newAuditId, newVersionId, newWorkflowId } from './ids.ts';
import { composeApp } from './package.ts';
import { can, canImportWorkflow, permissionsFor } from './roles.ts';
import { SESSION_COOKIE, type Principal, type Sandbox } from './sandbox.ts';
import type { JsonObject, User, Workflow } from './types.ts';

const isObj = (v: unknown): v is JsonObject => v !== null && typeof v === 'object' && !Array.isArray(v);

export const publicUser = (u: User) => ({ id: u.id, email: u.email, name: u.name });

export function endpointOf(ctx: Ctx, workflow: Workflow) {
  return {
    sync: `${ctx.origin}/api/v1/process/${workflow.id}`,
    asyncPoll: `${ctx.origin}/api/v1/process/${workflow.id}/status`,
  };
}

function versionSummary(sb: Sandbox, workflow: Workflow) {
  return workflow.versions.map((v) => ({
    id: v.id,
    name: v.name,
    description: v.description,
    state: v.state,
    createdAt: v.createdAt,
    updatedAt: v.updatedAt,
  }));
}

function workflowSummary(sb: Sandbox, p: Principal, w: Workflow) {
  return {
    id: w.id,
    name: w.name,
    description: w.description,
    status: sb.status(w),
    createdAt: w.createdAt,
    updatedAt: w.updatedAt,
    createdBy: w.createdBy,
    myRole: sb.roleOf(p.user, w),
  };
}

async function jsonBody(ctx: Ctx): Promise<JsonObject> {
  let body: unknown;
  try {
    body = await ctx.json();
  } catch (error) {
    if (error instanceof HttpError) throw error;
    throw invalid('The request body must be JSON.');
  }
  if (!isObj(body)) throw invalid('The request body must be a JSON object.');
  return body;
}

export function registerSessionApi(router: Router, sb: Sandbox) {
  router.add('POST', '/api/auth/login', async (ctx) => {
    const body = await jsonBody(ctx);
    const email = typeof body.email === 'string' ? body.email.trim().toLowerCase() : '';
    const user = sb.state.users.find((u) => u.email.toLowerCase() === email);
    if (!user || typeof body.password !== 'string' || body.password !== user.password) {
      throw new HttpError(401, 'INVALID_CREDENTIALS', 'Incorrect email or password.');
    }
    const old = sb.sessionFromRequest(ctx);
    if (old) sb.endSession(old.id);
    const session = sb.createSession(user);
    sendJson(
      ctx.res,
      200,
      { user: publicUser(user), csrfToken: session.csrfToken },
      {
        'set-cookie': `${SESSION_COOKIE}=${session.id}; HttpOnly; SameSite=Lax; Path=/`,
      },
    );
  });

  router.add('POST', '/api/auth/logout', (ctx) => {
    const session = sb.sessionFromRequest(ctx);
    if (session) {
      sb.authenticate(ctx, { mutation: true });
      sb.endSession(session.id);
    }
    sendEmpty(ctx.res, 204, {
      'set-cookie': `${SESSION_COOKIE}=; HttpOnly; SameSite=Lax; Path=/; Max-Age=0`,
    });
  });

  router.add('GET', '/api/session', (ctx) => {
    const p = sb.authenticate(ctx);
    sendJson(ctx.res, 200, {
      user: publicUser(p.user),
      account: { id: sb.state.account.id, name: sb.state.account.name, role: p.user.accountRole },
      csrfToken: p.session?.csrfToken ?? null,
    });
  });

  router.add('GET', '/api/account', (ctx) => {
    const p = sb.authenticate(ctx);
    const allowed = canImportWorkflow(p.user.accountRole);
    sendJson(ctx.res, 200, {
      account: { id: sb.state.account.id, name: sb.state.account.name, role: p.user.accountRole },
      permissions: { importWorkflow: allowed, createWorkflow: allowed },
    });
  });

  router.add('GET', '/api/workflows', (ctx) => {
    const p = sb.authenticate(ctx);
    const workflows = sb.state.workflows
      .filter((w) => sb.roleOf(p.user, w))
      .map((w) => workflowSummary(sb, p, w));
    sendJson(ctx.res, 200, { workflows });
  });

  router.add('POST', '/api/workflows', async (ctx) => {
    const p = sb.authenticate(ctx);
    if (!canImportWorkflow(p.user.accountRole)) throw forbidden('Your account role cannot create workflows.');
    const body = await jsonBody(ctx);
    const name = typeof body.name === 'string' ? body.name.trim() : '';
    if (!name) throw invalid('Workflow name is required.', [{ path: 'name', message: 'is required' }]);
    if (sb.nameTaken(name)) throw conflict(`A workflow named "${name}" already exists.`, 'NAME_EXISTS');
    const now = new Date().toISOString();
    const id = newWorkflowId();
    const startId = `n-${id.slice(2, 20)}s`;
    const endId = `n-${id.slice(2, 20)}e`;
    const workflow: Workflow = {
      id,
      name,
      description: typeof body.description === 'string' ? body.description : '',
      createdAt: now,
      updatedAt: now,
      createdBy: p.user.id,
      deployedVersionId: null,
      apiKeys: [],
      sharing: [{ userId: p.user.id, email: p.user.email, role: 'tool admin' }],
      auditLogs: [
        {
          id: newAuditId(),
          event: 'Workflow created',
          category: 'Workflow Management',
          user: p.user.email,
          at: now,
          description: `Workflow "${name}" created`,
          metadata: { 'Agent ID': id },
        },
      ],
      versions: [
        {
          id: newVersionId(),
          name: 'v1',
          description: '',
          state: 'in-development',
          createdAt: now,
          updatedAt: now,
          app: {
            io: { inputs: [], outputs: [] },
            execution: { syncTimeoutSec: 180, async: { enabled: false, timeoutSec: null } },
            guardrails: { inputScanners: [], outputScanners: [] },
          },
          flow: {
            schemaVersion: '1.0',
            nodes: [
              {
                id: startId,
                name: 'Start',
                type: 'start',
                position: { x: 0, y: 200 },
                config: {},
                connections: { onSuccess: [endId], onFailure: [] },
              },
              {
                id: endId,
                name: 'End',
                type: 'end',
                position: { x: 400, y: 200 },
                config: { outputs: [] },
                connections: { onSuccess: [], onFailure: [] },
              },
            ],
          },
          env: { schemaVersion: '1.0', variables: [] },
        },
      ],
    };
    sb.state.workflows.push(workflow);
    sb.changed();
    sendJson(ctx.res, 201, { workflow: workflowSummary(sb, p, workflow) });
  });

  router.add('GET', '/api/workflows/:id', (ctx) => {
    const p = sb.authenticate(ctx);
    const { workflow, role } = sb.workflowFor(p, ctx.params.id!);
    sendJson(ctx.res, 200, {
      workflow: {
        ...workflowSummary(sb, p, workflow),
        deployedVersionId: workflow.deployedVersionId,
        inDevelopmentVersionId: sb.inDevelopment(workflow)?.id ?? null,
        myRole: role,
        permissions: permissionsFor(role),
      },
      versions: versionSummary(sb, workflow),
    });
  });

  /** What the web UI's workflow pages show (secure values masked, keys masked). Any role may read it. */
  router.add('GET', '/api/workflows/:id/settings', (ctx) => {
    const p = sb.authenticate(ctx);
    const { workflow, role } = sb.workflowFor(p, ctx.params.id!);
    const version = sb.inDevelopment(workflow) ?? sb.deployed(workflow) ?? workflow.versions.at(-1)!;
    const app = composeApp(workflow, version);
    const execution = structuredClone(isObj(app.execution) ? app.execution : {});
    if (isObj(execution.async) && isObj(execution.async.push)) {
      execution.async.push = {
        callbackUrl: execution.async.push.callbackUrl ?? null,
        hasAccessToken: !!execution.async.push.accessToken,
      };
    }
    sendJson(ctx.res, 200, {
      versionId: version.id,
      endpoint: workflow.deployedVersionId ? endpointOf(ctx, workflow) : null,
      apiKeys: workflow.apiKeys.map((k) => ({
        id: k.id,
        name: k.name,
        key: `${k.key.slice(0, 6)}…${k.key.slice(-4)}`,
        createdAt: k.createdAt,
        lastUsedAt: k.lastUsedAt,
      })),
      sharing: workflow.sharing,
      auditLogs: can(role, 'auditLog') ? [...workflow.auditLogs].reverse() : null,
      execution,
      io: app.io ?? null,
      guardrails: app.guardrails ?? { inputScanners: [], outputScanners: [] },
      env: version.env.variables.map((v) => ({
        name: v.name,
        value: v.secure ? (v.value ? '••••••••' : '') : v.value,
        secure: v.secure,
        notes: v.notes,
      })),
      nodes: (Array.isArray(version.flow.nodes) ? (version.flow.nodes as JsonObject[]) : [])
        .slice(0, 200)
        .map((n) => ({ id: n.id, name: n.name, type: n.type })),
      nodeCount: Array.isArray(version.flow.nodes) ? version.flow.nodes.length : 0,
    });
  });

  router.add('GET', '/api/workflows/:id/versions/:versionId', (ctx) => {
    const p = sb.authenticate(ctx);
    const { workflow, role } = sb.workflowFor(p, ctx.params.id!);
    sb.require(role, 'export', 'Your workflow role cannot export this workflow.');
    const version = workflow.versions.find((v) => v.id === ctx.params.versionId);
    if (!version) throw new HttpError(404, 'NOT_FOUND', 'Version not found.');
    sendJson(ctx.res, 200, {
      workflow: {
        id: workflow.id,
        name: workflow.name,
        description: workflow.description,
        status: sb.status(workflow),
        createdAt: workflow.createdAt,
        updatedAt: workflow.updatedAt,
        deployedVersionId: workflow.deployedVersionId,
        endpoint: endpointOf(ctx, workflow),
        apiKeys: workflow.apiKeys,
        sharing: workflow.sharing,
        auditLogs: workflow.auditLogs,
      },
      version: {
        id: version.id,
        name: version.name,
        description: version.description,
        state: version.state,
        createdAt: version.createdAt,
        updatedAt: version.updatedAt,
      },
      app: composeApp(workflow, version),
      flow: version.flow,
      env: version.env,
    });
  });

  router.add('DELETE', '/api/workflows/:id', (ctx) => {
    const p = sb.authenticate(ctx);
    const { workflow, role } = sb.workflowFor(p, ctx.params.id!);
    sb.require(role, 'delete', 'Only a tool admin can delete a workflow.');
    if (workflow.deployedVersionId) throw conflict('Undeploy the workflow before deleting it.');
    sb.state.workflows = sb.state.workflows.filter((w) => w.id !== workflow.id);
    sb.changed();
    sendEmpty(ctx.res, 204);
  });
}
