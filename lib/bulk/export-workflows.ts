/**
 * Bulk export: many workflows, each through the same steps as its single export, one outcome per workflow.
 *
 * For each workflow the platform is asked what it is (permission, versions) and the deployed version is taken,
 * or the in-development one where none is deployed. A workflow the user may not export fails at once with the
 * reason, without fetching anything. One workflow failing (forbidden, not found, a platform error, a refused
 * leak check) never stops the others; only an expired session or a cancel ends the run, since every later
 * workflow would fail the same way.
 *
 * Outcomes come out in the order of the IDs, with at most `concurrency` workflows in flight (their requests
 * overlap; the redaction itself runs one at a time on this thread), so at most that many packages are held in
 * memory at once, whatever the number of workflows.
 */
import { toUiError } from '../jobs/errors.ts';
import type { UiError } from '../protocol/common.ts';
import { findDependencies, type VersionDependency } from '../package/dependencies.ts';
import { readPackageZip } from '../package/zip-read.ts';
import {
  redactPackage,
  redactValidatedVersion,
  type RedactionReport,
  type RedactionResultWithFiles,
} from '../redaction/redactor.ts';
import { sha256Hex, validateVersionRecord } from '../package/version-package.ts';
import { zipFiles, type PackageFile } from '../package/zip-write.ts';
import { PlatformError } from '../platform/errors.ts';
import type { PlatformClient, WorkflowDetails } from '../platform/types.ts';

/** One workflow's package, exactly as its single export makes it. */
export interface WorkflowPackage {
  workflowId: string;
  workflowName: string;
  versionId: string;
  versionName: string;
  versionState: string;
  /** The package's three files; views into `bytes`. */
  files: PackageFile[];
  /** The package zip (`<Workflow Name>.zip`). */
  bytes: Uint8Array;
  sha256: string;
  report: RedactionReport;
  dependencies: VersionDependency[];
}

export type BulkOutcome =
  | { status: 'exported'; workflowId: string; package: WorkflowPackage }
  | { status: 'failed'; workflowId: string; workflowName?: string; error: UiError };

/** What a builder is asked for: the workflow, and its version when the platform said which. */
export interface ExportTarget {
  workflowId: string;
  workflowName?: string;
  versionId?: string;
  versionState?: string;
}

/** Makes one workflow's redacted package. */
export type PackageBuilder = (target: ExportTarget) => Promise<WorkflowPackage>;

/** A workflow's package before it is zipped: what is kept of its record, and the redacted files. */
type RedactedFiles = Omit<WorkflowPackage, 'bytes' | 'sha256'>;

/**
 * Zips and hashes the files. The record they came from is out of reach by then (the caller's helper returned), so
 * it is not held while the zip and the hash wait: with several workflows in flight, that is a record less each.
 */
async function packaged(redacted: RedactedFiles): Promise<WorkflowPackage> {
  const bytes = await zipFiles(redacted.files);
  return { ...redacted, bytes, sha256: await sha256Hex(bytes) };
}

async function redactedVersionRecord(
  client: PlatformClient,
  target: ExportTarget & { versionId: string },
  fingerprintKey: string,
): Promise<RedactedFiles> {
  const record = validateVersionRecord(await client.getVersionRecord(target.workflowId, target.versionId));
  const { report, files } = await redactValidatedVersion(record, { fingerprintKey, files: true });
  return {
    workflowId: target.workflowId,
    workflowName: record.workflow.name,
    versionId: record.version.id,
    versionName: record.version.name,
    versionState: record.version.state ?? target.versionState ?? '',
    files,
    report,
    dependencies: findDependencies(record),
  };
}

/**
 * The extension's single export (lib/jobs/export-job.ts): read the raw version record, validate it, redact it
 * with the final leak check, zip exactly the bytes that check scanned.
 */
export function fromVersionRecords(client: PlatformClient, fingerprintKey: string): PackageBuilder {
  return async (target) => {
    const { versionId } = target;
    if (!versionId)
      throw new PlatformError('NOT_SUPPORTED', 'The platform did not say which version to export.');
    return packaged(await redactedVersionRecord(client, { ...target, versionId }, fingerprintKey));
  };
}

/**
 * `porter export`'s single export (the public API has no raw version record): the platform's own export, read
 * as a package and redacted the same way. @throws PackageError when the export is not a package, or LEAK_DETECTED
 */
export async function redactedNativeExport(
  client: PlatformClient,
  target: { workflowId: string; versionId?: string },
  fingerprintKey: string,
): Promise<RedactionResultWithFiles> {
  const native = await client.exportNativePackage(target.workflowId, target.versionId);
  return redactPackage(readPackageZip(native).content, { fingerprintKey, files: true });
}

/** Bulk export over the public API: each workflow through {@link redactedNativeExport}. */
export function fromNativeExports(client: PlatformClient, fingerprintKey: string): PackageBuilder {
  const redacted = async (target: ExportTarget): Promise<RedactedFiles> => {
    const { content, report, files } = await redactedNativeExport(client, target, fingerprintKey);
    return {
      workflowId: target.workflowId,
      workflowName: content.app.workflow.name,
      versionId: content.app.version.id ?? target.versionId ?? '',
      versionName: content.app.version.name,
      versionState: target.versionState ?? '',
      files,
      report,
      dependencies: findDependencies(content),
    };
  };
  return async (target) => packaged(await redacted(target));
}

export interface BulkExportOptions {
  client: PlatformClient;
  workflowIds: readonly string[];
  build: PackageBuilder;
  /** Workflows in flight at once (default 3). */
  concurrency?: number;
  signal?: AbortSignal;
  /** A workflow begins (for per-workflow progress). */
  onStart?(workflowId: string, index: number): void;
  /** How a failure is put into words (default: what the extension's panel says, lib/jobs/errors.ts). */
  describeError?(error: unknown): UiError;
}

export const DEFAULT_CONCURRENCY = 3;

/** The version a bulk export takes: the deployed one, else the one in development. */
export function defaultVersion(details: WorkflowDetails): { id: string; state: string } | null {
  const id = details.workflow.deployedVersionId ?? details.workflow.inDevelopmentVersionId;
  if (!id) return null;
  return { id, state: details.versions.find((version) => version.id === id)?.state ?? '' };
}

/** Errors after which every later workflow would fail the same way: the run stops instead. */
function endsTheRun(error: unknown): boolean {
  return (
    (error instanceof PlatformError && (error.code === 'UNAUTHENTICATED' || error.code === 'CANCELLED')) ||
    (error instanceof DOMException && error.name === 'AbortError')
  );
}

async function exportOne(options: BulkExportOptions, workflowId: string): Promise<BulkOutcome> {
  const describe = options.describeError ?? toUiError;
  let workflowName: string | undefined;
  try {
    let details: WorkflowDetails | null = null;
    try {
      details = await options.client.getWorkflow(workflowId);
    } catch (error) {
      // A platform that does not describe workflows (public API elsewhere) exports its default version.
      if (!(error instanceof PlatformError && error.code === 'NOT_SUPPORTED')) throw error;
    }
    let target: ExportTarget = { workflowId };
    if (details) {
      workflowName = details.workflow.name;
      if (!details.workflow.permissions.export) {
        const role = details.workflow.myRole ? ` (${details.workflow.myRole})` : '';
        return {
          status: 'failed',
          workflowId,
          workflowName,
          error: {
            code: 'FORBIDDEN',
            message: `Your role on this workflow${role} does not allow exporting it. Ask a workflow admin for the editor role or above.`,
            retryable: false,
          },
        };
      }
      const version = defaultVersion(details);
      if (!version)
        return {
          status: 'failed',
          workflowId,
          workflowName,
          error: { code: 'NO_VERSION', message: 'This workflow has no version to export.', retryable: false },
        };
      target = { workflowId, workflowName, versionId: version.id, versionState: version.state };
    }
    return { status: 'exported', workflowId, package: await options.build(target) };
  } catch (error) {
    if (endsTheRun(error) || options.signal?.aborted) throw error;
    return { status: 'failed', workflowId, ...(workflowName && { workflowName }), error: describe(error) };
  }
}

/**
 * Exports every workflow in `workflowIds`, yielding one outcome each, in that order. Throws (after the outcomes
 * before it) when the session expires or the signal aborts.
 */
export async function* exportWorkflows(options: BulkExportOptions): AsyncGenerator<BulkOutcome> {
  const limit = Math.max(1, Math.floor(options.concurrency ?? DEFAULT_CONCURRENCY));
  const ids = options.workflowIds;
  const inFlight: Array<Promise<BulkOutcome>> = [];
  let next = 0;
  const fill = () => {
    while (next < ids.length && inFlight.length < limit && !options.signal?.aborted) {
      const index = next++;
      options.onStart?.(ids[index]!, index);
      const outcome = exportOne(options, ids[index]!);
      // Awaited in turn below; this only keeps a run that ends early from leaving an unhandled rejection.
      outcome.catch(() => undefined);
      inFlight.push(outcome);
    }
  };
  fill();
  while (inFlight.length > 0) {
    const outcome = await inFlight.shift()!;
    options.signal?.throwIfAborted();
    yield outcome;
    fill();
  }
  options.signal?.throwIfAborted();
}
