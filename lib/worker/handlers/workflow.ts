/** Reading a workflow for a panel: versions, state and what the user's role allows. */
import type { WorkflowInfo } from '../../protocol';
import type { workflowMessages } from '../../protocol/workflow';
import type { PlatformClient } from '../../platform/types';
import type { Handlers } from './types';

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
    canImportVersion: workflow.permissions.importVersion,
    versions: versions.map((version) => ({
      id: version.id,
      name: version.name,
      state: version.state,
      updatedAt: version.updatedAt,
    })),
  };
}

export const workflowHandlers: Handlers<keyof typeof workflowMessages> = {
  'workflow:get': {
    from: 'platform',
    handle: (request, caller, deps) =>
      describeWorkflow(deps.clientFor(caller.origin, caller.tabId), request.workflowId),
  },
};
