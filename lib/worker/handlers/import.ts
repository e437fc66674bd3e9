/**
 * The import feature's handlers. A platform page imports into its own origin; an extension page (the package
 * viewer) names the host, which must be one the extension holds a permission for. Jobs are decided on only from
 * the origin they act on.
 */
import type { ImportContext, ImportSourceMessage } from '../../protocol';
import type { importMessages } from '../../protocol/import';
import { receive } from '../../protocol/bytes';
import { DEFAULT_READ_LIMITS } from '../../package/zip-read';
import type { ImportSource } from '../../package/import-files';
import { packageBytes } from '../../store/db';
import type { PlatformClient } from '../../platform/types';
import { JobError } from '../../jobs/errors';
import { applyImport, cancelImport, checkImport, currentImport, importSnapshot } from '../../jobs/import-job';
import { requireOwnJob } from './export';
import type { Caller, HandlerDeps, Handlers } from './types';

/** The origin the import acts on: the page's own, or for an extension page the granted host it names. */
async function targetOrigin(caller: Caller, host: string | undefined, deps: HandlerDeps): Promise<Caller> {
  if (caller.origin !== deps.extensionOrigin) {
    if (host !== undefined && safeOrigin(host) !== caller.origin) {
      throw new JobError('NOT_ALLOWED_ORIGIN', 'A page imports into its own platform only.');
    }
    return caller;
  }
  const origin = host === undefined ? null : safeOrigin(host);
  if (!origin || !(await deps.isOriginAllowed(origin))) {
    throw new JobError(
      'NOT_ALLOWED_ORIGIN',
      'AFP Porter may not reach that host. Grant it on the Options page, or choose another.',
    );
  }
  return { origin, tabId: null };
}

function safeOrigin(host: string): string | null {
  try {
    const url = new URL(host);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.origin : null;
  } catch {
    return null;
  }
}

/** More than the package reader ever accepts (its files, and the zip's own headers) is not even unpacked. */
const MAX_SOURCE_BYTES = DEFAULT_READ_LIMITS.maxTotalBytes + 1024 * 1024;

async function readSource(source: ImportSourceMessage, deps: HandlerDeps): Promise<ImportSource | null> {
  if (source.kind === 'cached') {
    const bytes = await packageBytes(deps.db, source.packageId);
    if (!bytes) throw new JobError('NO_SUCH_JOB', 'This package is no longer in the cache.');
    return { kind: 'zip', name: source.packageId, bytes };
  }
  if (source.kind === 'zip') {
    const bytes = await receive(source.bytes, MAX_SOURCE_BYTES);
    return bytes && { kind: 'zip', name: source.name, bytes };
  }
  const files = await Promise.all(
    source.files.map(async (file) => ({
      name: file.name,
      bytes: await receive(file.bytes, MAX_SOURCE_BYTES),
    })),
  );
  if (files.some((file) => !file.bytes)) return null;
  return { kind: 'files', files: files as { name: string; bytes: Uint8Array }[] };
}

const NEW_WORKFLOW_ROLES = 'Master Admin, Admin or Member';
const VERSION_ROLES = 'tool admin or tool manager';

async function importContext(
  client: PlatformClient,
  target: { kind: 'new' } | { kind: 'version'; workflowId: string },
): Promise<ImportContext> {
  if (target.kind === 'new') {
    const account = await client.getAccount();
    return account.canImportWorkflow
      ? { allowed: true }
      : {
          allowed: false,
          reason: `Your account role${account.role ? ` (${account.role})` : ''} cannot import workflows: that needs the ${NEW_WORKFLOW_ROLES} role.`,
        };
  }
  const { workflow } = await client.getWorkflow(target.workflowId);
  if (!workflow.permissions.importVersion) {
    return {
      allowed: false,
      workflowName: workflow.name,
      reason: `Your role on this workflow${workflow.myRole ? ` (${workflow.myRole})` : ''} cannot import a version: that needs the ${VERSION_ROLES} role.`,
    };
  }
  if (!workflow.deployedVersionId) {
    return {
      allowed: false,
      workflowName: workflow.name,
      reason:
        'This workflow is not deployed: a version can be imported only into a deployed workflow. Deploy it first, or import the package as a new workflow from the Workflows page.',
    };
  }
  return { allowed: true, workflowName: workflow.name };
}

export const importHandlers: Handlers<keyof typeof importMessages> = {
  'import:workflows': {
    from: 'any',
    async handle(request, caller, deps) {
      const where = await targetOrigin(caller, request.host, deps);
      const workflows = await deps.clientFor(where.origin, where.tabId).listWorkflows();
      return workflows.map(({ id, name, status }) => ({ id, name, status }));
    },
  },
  'import:context': {
    from: 'any',
    async handle(request, caller, deps) {
      const where = await targetOrigin(caller, request.host, deps);
      return importContext(deps.clientFor(where.origin, where.tabId), request.target);
    },
  },
  'import:check': {
    from: 'any',
    async handle(request, caller, deps) {
      const where = await targetOrigin(caller, request.host, deps);
      return checkImport(deps, {
        ...where,
        read: () => readSource(request.source, deps),
        target: request.target,
      });
    },
  },
  'import:apply': {
    from: 'any',
    async handle({ host, ...choices }, caller, deps) {
      return applyImport(deps, await targetOrigin(caller, host, deps), choices);
    },
  },
  'import:status': {
    from: 'any',
    handle: (request, _caller, deps) => importSnapshot(deps, request.jobId),
  },
  'import:cancel': {
    from: 'any',
    async handle(request, caller, deps) {
      await requireOwnJob(request.jobId, caller, deps);
      return cancelImport(deps, request.jobId);
    },
  },
  'import:current': {
    from: 'platform',
    handle: (request, caller, deps) => currentImport(deps, caller, request.target),
  },
};
