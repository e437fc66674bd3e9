/**
 * The worker's message router: who may ask, what they may ask, and the answer as data.
 *
 * Only the extension's own contexts are served: its pages, and its content scripts on an origin the extension
 * holds a host permission for. The origin a request acts on is the sender's, never a value inside the message, so
 * a page cannot point the worker at another host.
 */
import {
  workerRequestSchema,
  type WorkerRequest,
  type WorkerResponse,
  type WorkerResponses,
  type WorkflowInfo,
} from '../messages';
import type { PlatformClient } from '../platform/types';
import { JobError, toUiError } from '../jobs/errors';
import {
  cancelExport,
  confirmExport,
  currentExport,
  jobSnapshot,
  startExport,
  type ExportDeps,
} from '../jobs/export-job';

export interface SenderInfo {
  /** The sending extension's id. */
  id?: string;
  /** The sending document's URL (a page of the platform, or one of our extension pages). */
  url?: string;
  tabId?: number;
}

export interface RouterDeps extends ExportDeps {
  extensionId: string;
  extensionOrigin: string;
  isOriginAllowed(origin: string): Promise<boolean>;
  openViewer(packageId?: string): Promise<void>;
}

interface Caller {
  origin: string;
  tabId: number | null;
}

async function identify(sender: SenderInfo, deps: RouterDeps): Promise<Caller | null> {
  if (sender.id !== deps.extensionId || !sender.url) return null;
  let origin: string;
  try {
    origin = new URL(sender.url).origin;
  } catch {
    return null;
  }
  if (origin === deps.extensionOrigin) return { origin, tabId: null };
  if (sender.tabId === undefined || !(await deps.isOriginAllowed(origin))) return null;
  return { origin, tabId: sender.tabId };
}

export async function handleMessage(
  message: unknown,
  sender: SenderInfo,
  deps: RouterDeps,
): Promise<WorkerResponse<unknown> | undefined> {
  const parsed = workerRequestSchema.safeParse(message);
  // Not ours (another listener's message, or garbage): stay silent rather than answer.
  if (!parsed.success) return undefined;
  const caller = await identify(sender, deps);
  if (!caller) {
    return {
      ok: false,
      error: toUiError(new JobError('NOT_ALLOWED_ORIGIN', 'This page may not use AFP Porter.')),
    };
  }
  try {
    return { ok: true, data: await dispatch(parsed.data, caller, deps) };
  } catch (error) {
    return { ok: false, error: toUiError(error) };
  }
}

function requirePlatformCaller(caller: Caller, deps: RouterDeps): void {
  if (caller.origin === deps.extensionOrigin) {
    throw new JobError('NOT_ALLOWED_ORIGIN', 'Exports start from the workflow page of the platform.');
  }
}

async function dispatch<T extends WorkerRequest>(
  request: T,
  caller: Caller,
  deps: RouterDeps,
): Promise<WorkerResponses[T['type']]> {
  type Answer = WorkerResponses[T['type']];
  switch (request.type) {
    case 'workflow:get': {
      requirePlatformCaller(caller, deps);
      const client = deps.clientFor(caller.origin, caller.tabId);
      return (await describeWorkflow(client, request.workflowId)) as Answer;
    }
    case 'export:start':
      requirePlatformCaller(caller, deps);
      return (await startExport(deps, {
        origin: caller.origin,
        tabId: caller.tabId,
        workflowId: request.workflowId,
        versionId: request.versionId,
      })) as Answer;
    case 'export:confirm':
      await requireOwnJob(request.jobId, caller, deps);
      return (await confirmExport(deps, request.jobId)) as Answer;
    case 'export:cancel':
      await requireOwnJob(request.jobId, caller, deps);
      return (await cancelExport(deps, request.jobId)) as Answer;
    case 'export:status':
      return (await jobSnapshot(deps.db, request.jobId)) as Answer;
    case 'export:current':
      requirePlatformCaller(caller, deps);
      return (await currentExport(deps.db, {
        origin: caller.origin,
        tabId: caller.tabId,
        workflowId: request.workflowId,
      })) as Answer;
    case 'viewer:open':
      await deps.openViewer(request.packageId);
      return null as Answer;
    case 'package:download': {
      if (caller.origin !== deps.extensionOrigin)
        throw new JobError('NOT_ALLOWED_ORIGIN', 'Only AFP Porter’s own pages save cached packages.');
      const meta = await deps.db.packages.get(request.packageId);
      if (!meta) throw new JobError('DOWNLOAD_FAILED', 'This package is not in the cache any more.');
      const { savedAs } = await deps.downloads.download(meta.id, meta.fileName);
      return { savedAs: savedAs ?? null } as Answer;
    }
  }
  throw new Error('unreachable');
}

export async function describeWorkflow(client: PlatformClient, workflowId: string): Promise<WorkflowInfo> {
  const { workflow, versions } = await client.getWorkflow(workflowId);
  return {
    id: workflow.id,
    name: workflow.name,
    status: workflow.status,
    myRole: workflow.myRole,
    deployedVersionId: workflow.deployedVersionId ?? null,
    inDevelopmentVersionId: workflow.inDevelopmentVersionId ?? null,
    canExport: workflow.permissions.export,
    versions: versions.map((version) => ({
      id: version.id,
      name: version.name,
      state: version.state,
      updatedAt: version.updatedAt,
    })),
  };
}

/** A page may decide only about exports started from its own origin. */
async function requireOwnJob(jobId: string, caller: Caller, deps: RouterDeps): Promise<void> {
  const job = await deps.db.jobs.get(jobId);
  if (!job) throw new JobError('NO_SUCH_JOB', 'This export is no longer known. Export again.');
  if (caller.origin !== deps.extensionOrigin && job.origin !== caller.origin) {
    throw new JobError('NOT_ALLOWED_ORIGIN', 'This page may not decide about that export.');
  }
}
