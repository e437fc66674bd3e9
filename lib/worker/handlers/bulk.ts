/** The bulk export feature's handlers: the account's workflows for the picker, and the bulk job. */
import { exportPermission } from '../../bulk/permissions';
import { JobError } from '../../jobs/errors';
import {
  bulkSnapshot,
  cancelBulkExport,
  currentBulkExport,
  startBulkExport,
  type BulkDeps,
} from '../../jobs/bulk-export-job';
import type { BulkList } from '../../protocol';
import type { bulkMessages } from '../../protocol/bulk';
import type { PlatformClient } from '../../platform/types';
import { requireOwnJob } from './export';
import type { HandlerDeps, Handlers } from './types';

export async function listForBulkExport(client: PlatformClient): Promise<BulkList> {
  const [session, workflows] = await Promise.all([client.getSession(), client.listWorkflows()]);
  return {
    account: { name: session.account.name },
    workflows: workflows.map((workflow) => {
      const permission = exportPermission(workflow.myRole);
      return {
        id: workflow.id,
        name: workflow.name,
        ...(workflow.status && { status: workflow.status }),
        ...(workflow.myRole && { myRole: workflow.myRole }),
        canExport: permission.canExport,
        ...(!permission.canExport && { reason: permission.reason }),
      };
    }),
  };
}

const bulkDeps = (deps: HandlerDeps): BulkDeps => ({
  ...deps,
  notify: (job, tabId) => deps.notifyBulk?.(job, tabId),
});

export const bulkHandlers: Handlers<keyof typeof bulkMessages> = {
  'bulk:list': {
    from: 'platform',
    handle: (_request, caller, deps) => listForBulkExport(deps.clientFor(caller.origin, caller.tabId)),
  },
  'bulk:start': {
    from: 'platform',
    async handle(request, caller, deps) {
      // Names (and the account's) as the platform says them now, not as the page sent them.
      const list = await listForBulkExport(deps.clientFor(caller.origin, caller.tabId));
      const known = new Map(list.workflows.map((workflow) => [workflow.id, workflow.name]));
      const unknown = request.workflowIds.find((id) => !known.has(id));
      if (unknown)
        throw new JobError(
          'NO_SUCH_JOB',
          `The workflow ${unknown} is not in this account's list. Reload the page.`,
        );
      return startBulkExport(bulkDeps(deps), {
        origin: caller.origin,
        tabId: caller.tabId,
        accountName: list.account.name,
        workflows: request.workflowIds.map((workflowId) => ({ workflowId, name: known.get(workflowId)! })),
      });
    },
  },
  'bulk:cancel': {
    from: 'any',
    async handle(request, caller, deps) {
      await requireOwnJob(request.jobId, caller, deps);
      return cancelBulkExport(bulkDeps(deps), request.jobId);
    },
  },
  'bulk:status': {
    from: 'any',
    async handle(request, caller, deps) {
      await requireOwnJob(request.jobId, caller, deps);
      return bulkSnapshot(bulkDeps(deps), request.jobId);
    },
  },
  'bulk:current': {
    from: 'platform',
    handle: (_request, caller, deps) =>
      currentBulkExport(bulkDeps(deps), { origin: caller.origin, tabId: caller.tabId }),
  },
};
