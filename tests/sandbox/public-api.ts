/**
 * The documented public API (platform-contract.md §5): `x-api-key`, or the session cookie plus
 * `x-csrf-token`. Management calls are asynchronous jobs polled through dock-status.
 */
import {
  HttpError,
  conflict,
  forbidden,
  invalid,
  notFound,
  sendJson,
  type Ctx,
  type Router,
} from './http.ts';
import { newExportJobId, newFileId, newWorkflowId } from './ids.ts';
import { applyImportNew, applyImportVersion, validatePackage, type RawFiles } from './import.ts';
import { contentDisposition, nativePackageFiles, packageFileName, zipPackage } from './package.ts';
import { canImportWorkflow } from './roles.ts';
import { JobFailure, type Sandbox } from './sandbox.ts';
import type { Job, JsonObject } from './types.ts';

const isObj = (v: unknown): v is JsonObject => v !== null && typeof v === 'object' && !Array.isArray(v);
const WF = ['workflows', 'workflow', 'tools'];
/** How long a download of an unfinished export waits for its job before answering 409. */
const EXPORT_WAIT_MS = 30_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function jsonBody(ctx: Ctx, optional = false): Promise<JsonObject> {
  const raw = await ctx.body();
  if (raw.length === 0 && optional) return {};
  let body: unknown;
  try {
    body = JSON.parse(raw.toString('utf8'));
  } catch {
    throw invalid('The request body must be JSON.');
  }
  if (!isObj(body)) throw invalid('The request body must be a JSON object.');
  return body;
}

/** The job as the docs show it (with both spellings of the dock-status id). */
export function jobView(job: Job) {
  return {
    _id: job._id,
    dockStatusId: job._id,
    'dock-statusId': job._id,
    workflowId: job.workflowId,
    ...(job.action === 'UNDEPLOY' ? { toolId: job.workflowId } : {}),
    jobType: job.jobType,
    action: job.action,
    status: job.status,
    createdAt: job.createdAt,
    ...(job.completedAt ? { completedAt: job.completedAt } : {}),
    ...(job.versionId ? { versionId: job.versionId } : {}),
    ...(job.exportJobId ? { exportJobId: job.exportJobId } : {}),
    ...(job.error ? { error: job.error } : {}),
    ...(job.warnings ? { warnings: job.warnings } : {}),
    ...(job.result ? { result: job.result } : {}),
  };
}

const paths = (suffix: string) => WF.map((w) => `/api/public/${w}/:id${suffix}`);

export function registerPublicApi(router: Router, sb: Sandbox) {
  // ---------------------------------------------------------------- files
  router.add('POST', '/api/public/files', async (ctx) => {
    const p = sb.authenticate(ctx, { mutation: true });
    const contentType = ctx.req.headers['content-type'] ?? '';
    if (!contentType.toLowerCase().startsWith('multipart/form-data'))
      throw invalid('Send multipart/form-data with a "file" field.');
    const raw = await ctx.body();
    let form: FormData;
    try {
      form = await new Request('http://sandbox.local/upload', {
        method: 'POST',
        headers: { 'content-type': contentType },
        body: new Uint8Array(raw),
      }).formData();
    } catch {
      throw invalid('The multipart body could not be read.');
    }
    const file = form.get('file');
    if (!file || typeof file === 'string')
      throw invalid('The "file" field is required.', [{ path: 'file', message: 'is required' }]);
    const bytes = Buffer.from(await file.arrayBuffer());
    sb.pruneFiles();
    const fileId = newFileId();
    sb.state.files.push({
      id: fileId,
      name: file.name || 'upload.json',
      fileContext: String(form.get('fileContext') ?? 'bulkImport'),
      ownerId: p.user.id,
      uploadedAt: Date.now(),
      base64: bytes.toString('base64'),
    });
    sb.changed();
    sendJson(ctx.res, 200, { fileId, url: `${ctx.origin}/api/getMediaStream/orgFiles/f-${fileId}` });
  });

  const fileBytes = (id: unknown): Uint8Array | null => {
    const file = sb.liveFile(id);
    return file ? Buffer.from(file.base64, 'base64') : null;
  };
  const requireFiles = (body: JsonObject, fields: string[]) => {
    const problems: JsonObject[] = [];
    for (const field of fields) {
      const value = body[field];
      if (value === undefined || value === null || value === '')
        problems.push({ path: field, message: 'is required' });
      else if (!sb.liveFile(value))
        problems.push({ path: field, message: 'no such file (or it expired after 24 hours)' });
    }
    if (problems.length) throw invalid('Some files are missing or unknown.', problems);
  };

  // ---------------------------------------------------------------- import as a new workflow
  router.add('POST', ['/api/public/workflows/import', '/api/public/tools/import'], async (ctx) => {
    const p = sb.authenticate(ctx, { mutation: true });
    if (!canImportWorkflow(p.user.accountRole))
      throw forbidden('Your account role cannot import workflows.', { role: p.user.accountRole });
    const body = await jsonBody(ctx);
    const name =
      typeof body.workflowName === 'string'
        ? body.workflowName.trim()
        : typeof body.toolName === 'string'
          ? body.toolName.trim()
          : '';
    if (!name) throw invalid('workflowName is required.', [{ path: 'workflowName', message: 'is required' }]);
    const appField =
      body.workflowDataFileId === undefined && body.toolDataFileId !== undefined
        ? 'toolDataFileId'
        : 'workflowDataFileId';
    // The name is the first thing the product checks: a clash is reported whatever the files are.
    if (sb.nameTaken(name))
      throw conflict(`A workflow named "${name}" already exists.`, 'NAME_EXISTS', { workflowName: name });
    requireFiles(body, ['flowDataFileId']);
    const optionalFiles = [appField, 'envVariablesFileId'].filter(
      (f) => body[f] !== undefined && body[f] !== null && body[f] !== '',
    );
    requireFiles(body, optionalFiles);
    const files: RawFiles = {
      flow: fileBytes(body.flowDataFileId)!,
      app: fileBytes(body[appField]),
      env: fileBytes(body.envVariablesFileId),
    };
    const workflowId = newWorkflowId();
    const job = sb.startJob({ workflowId, action: 'IMPORT', userId: p.user.id }, () => {
      if (sb.nameTaken(name))
        throw new JobFailure({ code: 'NAME_EXISTS', message: `A workflow named "${name}" already exists.` });
      const result = validatePackage(files, sb.state);
      if (!result.ok) throw new JobFailure(result.error);
      const { workflow, warnings } = applyImportNew(sb.state, result.value, {
        workflowId,
        workflowName: name,
        user: p.user,
        now: new Date().toISOString(),
      });
      job.versionId = workflow.versions[0]!.id;
      return { warnings, result: { workflowId, versionId: workflow.versions[0]!.id } };
    });
    sendJson(ctx.res, 202, jobView(job));
  });

  // ---------------------------------------------------------------- import as a version
  router.add('POST', paths('/import'), async (ctx) => {
    const p = sb.authenticate(ctx, { mutation: true });
    const { workflow, role } = sb.workflowFor(p, ctx.params.id!);
    sb.require(role, 'importVersion', 'Only a tool admin or tool manager can import a version.');
    const body = await jsonBody(ctx);
    const appField =
      body.workflowDataFileId === undefined && body.toolDataFileId !== undefined
        ? 'toolDataFileId'
        : 'workflowDataFileId';
    requireFiles(body, ['flowDataFileId', appField, 'envVariablesFileId']);
    const envConflicts: Record<string, string> = {};
    if (body.envConflicts !== undefined) {
      if (!isObj(body.envConflicts))
        throw invalid('envConflicts must be an object of NAME: "overwrite" | "keep".');
      for (const [k, v] of Object.entries(body.envConflicts)) {
        if (v !== 'overwrite' && v !== 'keep')
          throw invalid(`envConflicts.${k} must be "overwrite" or "keep".`, [
            { path: `envConflicts.${k}`, message: 'must be "overwrite" or "keep"' },
          ]);
        envConflicts[k] = v;
      }
    }
    if (!workflow.deployedVersionId)
      throw conflict(
        'To import a workflow as a version, the parent workflow must be deployed.',
        'PARENT_NOT_DEPLOYED',
      );
    const files: RawFiles = {
      flow: fileBytes(body.flowDataFileId)!,
      app: fileBytes(body[appField]),
      env: fileBytes(body.envVariablesFileId),
    };
    const job = sb.startJob({ workflowId: workflow.id, action: 'IMPORT', userId: p.user.id }, () => {
      const current = sb.state.workflows.find((w) => w.id === workflow.id);
      if (!current) throw new JobFailure({ code: 'NOT_FOUND', message: 'The workflow no longer exists.' });
      if (!current.deployedVersionId)
        throw new JobFailure({
          code: 'PARENT_NOT_DEPLOYED',
          message: 'The parent workflow must be deployed.',
        });
      const result = validatePackage(files, sb.state);
      if (!result.ok) throw new JobFailure(result.error);
      const applied = applyImportVersion(current, result.value, {
        user: p.user,
        now: new Date().toISOString(),
        envConflicts,
      });
      job.versionId = applied.version.id;
      return {
        warnings: applied.warnings,
        result: { workflowId: current.id, versionId: applied.version.id, envConflicts: applied.envConflicts },
      };
    });
    sendJson(ctx.res, 202, jobView(job));
  });

  // ---------------------------------------------------------------- export
  router.add('POST', paths('/export'), (ctx) => {
    const p = sb.authenticate(ctx, { mutation: true });
    const { workflow, role } = sb.workflowFor(p, ctx.params.id!);
    sb.require(role, 'export', 'Your workflow role cannot export this workflow.');
    const flowId = ctx.url.searchParams.get('flowId') ?? ctx.url.searchParams.get('callflowId');
    const version = flowId
      ? workflow.versions.find((v) => v.id === flowId)
      : (sb.deployed(workflow) ?? sb.inDevelopment(workflow));
    if (!version)
      throw notFound(flowId ? 'Version (flowId) not found.' : 'The workflow has no version to export.');
    const exportJobId = newExportJobId();
    const job = sb.startJob(
      { workflowId: workflow.id, action: 'EXPORT', userId: p.user.id, exportJobId, versionId: version.id },
      () => {
        const wf = sb.state.workflows.find((w) => w.id === workflow.id);
        const v = wf?.versions.find((x) => x.id === version.id);
        if (!wf || !v) throw new JobFailure({ code: 'NOT_FOUND', message: 'The version no longer exists.' });
        const fileName = packageFileName(wf.name);
        sb.exports.set(exportJobId, { bytes: zipPackage(nativePackageFiles(wf, v)), fileName });
        job.fileName = fileName;
        sb.audit(wf, p.user, 'Workflow exported', `Version "${v.name}" exported`, { versionId: v.id });
        return { result: { fileName } };
      },
    );
    sendJson(ctx.res, 202, {
      ...jobView(job),
      response: { downloadUrl: `${ctx.origin}/api/v1/account/exports/${exportJobId}` },
    });
  });

  router.add('GET', '/api/v1/account/exports/:exportJobId', async (ctx) => {
    const p = sb.authenticate(ctx);
    const job = sb.state.jobs.find((j) => j.exportJobId === ctx.params.exportJobId);
    if (!job) throw notFound('Export not found.');
    const { workflow, role } = sb.workflowFor(p, job.workflowId);
    sb.require(role, 'export', 'Your workflow role cannot export this workflow.');
    // A client that fetches the URL straight away gets the zip once the job is done, as it would from a
    // download link that the product hands out with the job.
    const deadline = Date.now() + EXPORT_WAIT_MS;
    while (job.status === 'IN_PROGRESS' && Date.now() < deadline) await sleep(20);
    if (job.status === 'IN_PROGRESS')
      throw conflict('The export is still in progress; poll dock-status until SUCCESS.');
    if (job.status === 'FAILED') throw conflict('The export failed.', 'CONFLICT', job.error ?? null);
    let built = sb.exports.get(job.exportJobId!);
    if (!built) {
      const version = workflow.versions.find((v) => v.id === job.versionId);
      if (!version) throw notFound('The exported version no longer exists.');
      built = {
        bytes: zipPackage(nativePackageFiles(workflow, version)),
        fileName: job.fileName ?? packageFileName(workflow.name),
      };
      sb.exports.set(job.exportJobId!, built);
    }
    ctx.res.writeHead(200, {
      'content-type': 'application/zip',
      'content-length': built.bytes.length,
      'content-disposition': contentDisposition(built.fileName),
      'cache-control': 'no-store',
    });
    ctx.res.end(ctx.method === 'HEAD' ? undefined : Buffer.from(built.bytes));
  });

  // ---------------------------------------------------------------- deploy / undeploy
  router.add('POST', paths('/deploy'), async (ctx) => {
    const p = sb.authenticate(ctx, { mutation: true });
    const { workflow, role } = sb.workflowFor(p, ctx.params.id!);
    sb.require(role, 'deploy', 'Your workflow role cannot manage deployment.');
    const body = await jsonBody(ctx, true);
    if (body.isAsync !== undefined && typeof body.isAsync !== 'boolean')
      throw invalid('isAsync must be true or false.', [{ path: 'isAsync', message: 'must be a boolean' }]);
    const job = sb.startJob({ workflowId: workflow.id, action: 'DEPLOY', userId: p.user.id }, () => {
      const wf = sb.state.workflows.find((w) => w.id === workflow.id);
      if (!wf) throw new JobFailure({ code: 'NOT_FOUND', message: 'The workflow no longer exists.' });
      const dev = sb.inDevelopment(wf);
      const current = sb.deployed(wf);
      if (!dev) {
        if (current) return { result: { versionId: current.id } };
        throw new JobFailure({ code: 'CONFLICT', message: 'There is no version to deploy.' });
      }
      const now = new Date().toISOString();
      if (current) {
        current.state = 'saved';
        current.updatedAt = now;
      }
      dev.state = 'deployed';
      dev.updatedAt = now;
      wf.deployedVersionId = dev.id;
      wf.updatedAt = now;
      job.versionId = dev.id;
      sb.audit(wf, p.user, 'Workflow deployed', `Version "${dev.name}" deployed`, {
        workflowVersion: dev.name,
        apiMode: body.isAsync ? 'async' : 'sync',
      });
      return { result: { versionId: dev.id } };
    });
    sendJson(ctx.res, 202, jobView(job));
  });

  router.add('POST', paths('/undeploy'), (ctx) => {
    const p = sb.authenticate(ctx, { mutation: true });
    const { workflow, role } = sb.workflowFor(p, ctx.params.id!);
    sb.require(role, 'deploy', 'Your workflow role cannot manage deployment.');
    if (!workflow.deployedVersionId) throw conflict('The workflow is not deployed.');
    const job = sb.startJob({ workflowId: workflow.id, action: 'UNDEPLOY', userId: p.user.id }, () => {
      const wf = sb.state.workflows.find((w) => w.id === workflow.id);
      const deployed = wf && sb.deployed(wf);
      if (!wf || !deployed) return;
      const now = new Date().toISOString();
      deployed.state = sb.inDevelopment(wf) ? 'saved' : 'in-development';
      deployed.updatedAt = now;
      wf.deployedVersionId = null;
      wf.updatedAt = now;
      sb.audit(wf, p.user, 'Workflow undeployed', `Version "${deployed.name}" undeployed`, {
        workflowVersion: deployed.name,
      });
    });
    sendJson(ctx.res, 202, jobView(job));
  });

  // ---------------------------------------------------------------- dock status
  router.add('GET', '/api/public/dock-status/:id', (ctx) => {
    const p = sb.authenticate(ctx);
    const job = sb.state.jobs.find((j) => j._id === ctx.params.id);
    if (!job || job.userId !== p.user.id) throw notFound('Job not found.');
    const view = jobView(job);
    if (job.action === 'EXPORT' && job.exportJobId) {
      sendJson(ctx.res, 200, {
        ...view,
        response: { downloadUrl: `${ctx.origin}/api/v1/account/exports/${job.exportJobId}` },
      });
      return;
    }
    sendJson(ctx.res, 200, view);
  });

  // A deployed workflow's run endpoint is out of scope; say so clearly.
  router.add('POST', '/api/v1/process/:id', () => {
    throw new HttpError(501, 'NOT_IMPLEMENTED', 'The sandbox does not run workflows.');
  });
}
