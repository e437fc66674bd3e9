/**
 * The documented public API's operations (platform-contract.md §5, afp-platform.md §3): file upload, import,
 * export, job polling, download. Shared by both clients; each passes its own `call`, which adds the
 * authentication (API key, or session cookie + CSRF token).
 */
import { PlatformError, importFailureMessage } from './errors.ts';
import {
  type RequestSpec,
  type ResolvedOptions,
  buildUrl,
  cancelled,
  jsonReader,
  readBytes,
} from './http.ts';
import { type Job, fileUploadSchema, jobSchema, outcomeOf } from './responses.ts';
import type { ImportResult, ImportTarget, PackageFilesForImport, StartedImport } from './types.ts';

export type Call = <T>(spec: RequestSpec, read: (response: Response) => Promise<T>) => Promise<T>;

export interface PublicApiDeps {
  call: Call;
  options: ResolvedOptions;
  /** Remembers which export route this host answers (documentation spells it two ways). */
  state: { exportRoute?: number };
}

const EXPORT_ROUTES = [
  (id: string) => `/api/public/workflows/${encodeURIComponent(id)}/export`,
  (id: string) => `/api/public/workflow/${encodeURIComponent(id)}/export`,
];

const ZIP_MAGIC = [0x50, 0x4b];

export async function uploadFile(deps: PublicApiDeps, bytes: Uint8Array, fileName: string): Promise<string> {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(bytes)], { type: 'application/json' }), fileName);
  form.append('fileContext', 'bulkImport');
  const context = `uploading ${fileName}`;
  const result = await deps.call(
    { method: 'POST', path: '/api/public/files', form, context },
    jsonReader(fileUploadSchema, context),
  );
  return result.fileId;
}

/**
 * Each wait between status polls is this much longer than the last, up to `pollMaxIntervalMs`: slowly enough that
 * the end of a short job is seen soon after it comes (the waits stay close together while most jobs end), fast
 * enough that a long one is soon asked about only every `pollMaxIntervalMs`.
 */
const POLL_BACKOFF = 1.25;

/**
 * Polls `GET /api/public/dock-status/:id` until the job ends, within `pollTimeoutMs`, waiting a little longer each
 * time (a long import is not asked about every second for minutes).
 */
export async function waitForJob(deps: PublicApiDeps, job: Job, context: string): Promise<Job> {
  if (job.outcome !== 'running') return job;
  const id = job.dockStatusId;
  if (!id) {
    throw new PlatformError(
      'BAD_RESPONSE',
      `The platform started a job but gave no job ID to follow while ${context}.`,
    );
  }
  const { options } = deps;
  const deadline = options.now() + options.pollTimeoutMs;
  let transientFailures = 0;
  let interval = options.pollIntervalMs;
  for (;;) {
    if (options.signal?.aborted) throw cancelled();
    try {
      const current = await deps.call(
        {
          method: 'GET',
          path: `/api/public/dock-status/${encodeURIComponent(id)}`,
          context: `checking the job ${id}`,
        },
        jsonReader(jobSchema, `checking the job ${id}`),
      );
      transientFailures = 0;
      if (current.outcome !== 'running') {
        return {
          ...current,
          dockStatusId: current.dockStatusId ?? id,
          workflowId: current.workflowId ?? job.workflowId,
          versionId: current.versionId ?? job.versionId,
          downloadUrl: current.downloadUrl ?? job.downloadUrl,
        };
      }
    } catch (error) {
      // The status call is idempotent: ride out a few transient failures.
      if (!(error instanceof PlatformError) || !error.retryable || ++transientFailures > 3) throw error;
    }
    if (options.now() >= deadline) {
      throw new PlatformError(
        'TIMEOUT',
        `The platform's job ${id} did not finish within ${Math.round(options.pollTimeoutMs / 1000)} s while ${context}.`,
        { details: { dockStatusId: id } },
      );
    }
    await options.sleep(interval, options.signal);
    interval = Math.min(interval * POLL_BACKOFF, options.pollMaxIntervalMs);
  }
}

export async function exportNative(
  deps: PublicApiDeps,
  workflowId: string,
  versionId?: string,
): Promise<Uint8Array> {
  const context = 'starting the export';
  const query = versionId ? { flowId: versionId } : undefined;
  const order = deps.state.exportRoute === 1 ? [1, 0] : [0, 1];
  let job: Job | undefined;
  let firstError: PlatformError | undefined;
  for (const index of order) {
    const route = EXPORT_ROUTES[index]!;
    try {
      job = await deps.call(
        { method: 'POST', path: route(workflowId), query, context },
        jsonReader(jobSchema, context),
      );
      deps.state.exportRoute = index;
      break;
    } catch (error) {
      // 404 from the first spelling may mean "no such route here": try the other one once.
      if (error instanceof PlatformError && error.code === 'NOT_FOUND' && !firstError) {
        firstError = error;
        continue;
      }
      throw error;
    }
  }
  if (!job) throw firstError ?? new PlatformError('NOT_FOUND', 'The platform has no export route.');

  const done = await waitForJob(deps, job, 'exporting');
  if (done.outcome === 'failed') throw jobFailure(done, 'export');
  const downloadUrl = done.downloadUrl;
  if (!downloadUrl) {
    throw new PlatformError('BAD_RESPONSE', 'The export finished but the platform gave no download link.', {
      details: { dockStatusId: done.dockStatusId },
    });
  }
  const bytes = await deps.call(
    { method: 'GET', path: downloadUrl, context: 'downloading the export' },
    readBytes,
  );
  if (bytes.length < 4 || bytes[0] !== ZIP_MAGIC[0] || bytes[1] !== ZIP_MAGIC[1]) {
    throw new PlatformError('BAD_RESPONSE', 'The export download is not a zip file.', {
      details: { size: bytes.length },
    });
  }
  return bytes;
}

/** Uploads the files and starts the import job; the platform works on it from here. */
export async function startImportJob(
  deps: PublicApiDeps,
  files: PackageFilesForImport,
  target: ImportTarget,
): Promise<StartedImport> {
  if (target.kind === 'version' && (!files.app || !files.env)) {
    throw new PlatformError(
      'INVALID',
      'Importing as a version needs all three files (flow, app and environment variables).',
    );
  }
  if (target.kind === 'new' && !target.name.trim()) {
    throw new PlatformError('INVALID', 'A new workflow needs a name.');
  }
  // The three uploads are independent: sent together, the import waits for the slowest, not the sum.
  const [flowDataFileId, workflowDataFileId, envVariablesFileId] = await Promise.all([
    uploadFile(deps, files.flow, 'flow_definition.json'),
    files.app && uploadFile(deps, files.app, 'app_definition.json'),
    files.env && uploadFile(deps, files.env, 'env_variables.json'),
  ]);

  const context = 'starting the import';
  const body: Record<string, unknown> = { flowDataFileId };
  if (workflowDataFileId) body.workflowDataFileId = workflowDataFileId;
  if (envVariablesFileId) body.envVariablesFileId = envVariablesFileId;
  let path: string;
  if (target.kind === 'new') {
    path = '/api/public/workflows/import';
    body.workflowName = target.name;
  } else {
    path = `/api/public/workflows/${encodeURIComponent(target.workflowId)}/import`;
    if (target.envConflicts && Object.keys(target.envConflicts).length > 0)
      body.envConflicts = target.envConflicts;
  }
  const started = await deps.call(
    { method: 'POST', path, json: body, context },
    jsonReader(jobSchema, context),
  );
  const workflowId = started.workflowId ?? (target.kind === 'version' ? target.workflowId : undefined);
  return {
    ...(started.dockStatusId && { dockStatusId: started.dockStatusId }),
    ...(workflowId && { workflowId }),
    status: started.status,
    warnings: started.warnings,
  };
}

/** Follows a started import to its end; a FAILED job throws `PlatformError('IMPORT_FAILED')` with its details. */
export async function awaitImportJob(deps: PublicApiDeps, started: StartedImport): Promise<ImportResult> {
  const job: Job = {
    dockStatusId: started.dockStatusId,
    workflowId: started.workflowId,
    versionId: undefined,
    status: started.status ?? 'IN_PROGRESS',
    outcome: outcomeOf(started.status ?? 'IN_PROGRESS'),
    error: undefined,
    warnings: started.warnings ?? [],
    downloadUrl: undefined,
  };
  const done = await waitForJob(deps, job, 'importing');
  if (done.outcome === 'failed') throw jobFailure(done, 'import');

  const workflowId = done.workflowId ?? started.workflowId;
  if (!workflowId) {
    throw new PlatformError(
      'BAD_RESPONSE',
      'The import finished but the platform did not say which workflow it made.',
    );
  }
  const warnings = done.warnings.length > 0 ? done.warnings : job.warnings;
  const result: ImportResult = { workflowId, warnings };
  if (done.dockStatusId) result.dockStatusId = done.dockStatusId;
  if (done.versionId) result.versionId = done.versionId;
  return result;
}

export async function importFiles(
  deps: PublicApiDeps,
  files: PackageFilesForImport,
  target: ImportTarget,
): Promise<ImportResult> {
  return awaitImportJob(deps, await startImportJob(deps, files, target));
}

function jobFailure(job: Job, kind: 'import' | 'export'): PlatformError {
  const jobCode = job.error?.code;
  const details = { jobCode, dockStatusId: job.dockStatusId, details: job.error?.details };
  if (kind === 'import') {
    return new PlatformError('IMPORT_FAILED', importFailureMessage(jobCode, job.error?.message), {
      jobCode,
      details: job.error?.details,
      retryable: false,
    });
  }
  const code = jobCode === 'FORBIDDEN' ? 'FORBIDDEN' : jobCode === 'NOT_FOUND' ? 'NOT_FOUND' : 'SERVER';
  return new PlatformError(
    code,
    `The platform's export failed${jobCode ? ` (${jobCode})` : ''}${job.error?.message ? `: ${job.error.message}` : '.'}`,
    { jobCode, details, retryable: false },
  );
}

/** True when `url` (absolute or relative) points at the platform's own origin. */
export function isPlatformUrl(options: ResolvedOptions, url: string): boolean {
  try {
    return buildUrl(options.baseUrl, url).origin === options.baseUrl.origin;
  } catch {
    return false;
  }
}
