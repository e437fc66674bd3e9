/** The export feature's handlers: each acts on the caller's origin and only on jobs started from it. */
import type { exportMessages } from '../../protocol/export';
import { JobError } from '../../jobs/errors';
import { cancelExport, confirmExport, currentExport, jobSnapshot, startExport } from '../../jobs/export-job';
import type { Caller, HandlerDeps, Handlers } from './types';

/** A page may decide only about jobs started from its own origin. */
export async function requireOwnJob(jobId: string, caller: Caller, deps: HandlerDeps): Promise<void> {
  const job = await deps.db.jobs.get(jobId);
  if (!job) throw new JobError('NO_SUCH_JOB', 'This job is no longer known. Start it again.');
  if (caller.origin !== deps.extensionOrigin && job.origin !== caller.origin) {
    throw new JobError('NOT_ALLOWED_ORIGIN', 'This page may not decide about that job.');
  }
}

export const exportHandlers: Handlers<keyof typeof exportMessages> = {
  'export:start': {
    from: 'platform',
    handle: (request, caller, deps) =>
      startExport(deps, {
        origin: caller.origin,
        tabId: caller.tabId,
        workflowId: request.workflowId,
        versionId: request.versionId,
      }),
  },
  'export:confirm': {
    from: 'any',
    async handle(request, caller, deps) {
      await requireOwnJob(request.jobId, caller, deps);
      return confirmExport(deps, request.jobId);
    },
  },
  'export:cancel': {
    from: 'any',
    async handle(request, caller, deps) {
      await requireOwnJob(request.jobId, caller, deps);
      return cancelExport(deps, request.jobId);
    },
  },
  'export:status': {
    from: 'any',
    handle: (request, _caller, deps) => jobSnapshot(deps, request.jobId),
  },
  'export:current': {
    from: 'platform',
    handle: (request, caller, deps) =>
      currentExport(deps, { origin: caller.origin, tabId: caller.tabId, workflowId: request.workflowId }),
  },
};
