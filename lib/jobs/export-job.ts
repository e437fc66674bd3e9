/**
 * An export as a persisted, resumable sequence of steps:
 * fetch → validate → (the user confirms the dependencies) → redact → zip → save → download.
 *
 * The export begins at the Export click, as in the product, so the version is fixed from then on. Once the version is
 * read, its dependencies go to the panel for the check, and the package is built in memory while the user reads it;
 * nothing is saved or downloaded before "Yes, I will take care". "Let me check" cancels the job.
 *
 * The runner (./runner.ts) persists, notifies, confirms, cancels and resumes; this module is the export's steps.
 * Only the job's state goes to IndexedDB; the raw version record lives in the run's memory and nowhere else.
 * If the worker stops half-way, `resumeExportJobs` finishes a job whose package is already saved (download only),
 * restarts one that was not (once), and otherwise ends it with a clear error. The package and the job's move to the
 * download step are written in one transaction, so there is never a half-saved package nor a second copy.
 */
import type { JobSnapshot } from '../protocol';
import type { RawVersionRecord } from '../package/schemas';
import { findDependencies } from '../package/dependencies';
import { layOutAtExport } from '../package/graph';
import { redactValidatedVersion } from '../redaction/redactor';
import { zipFiles } from '../package/zip-write';
import { packageFileName } from '../package/filename';
import { sha256Hex, validateVersionRecord } from '../package/version-package';
import type { PlatformClient } from '../platform/types';
import { pruneCache, savePackage, type PackageMeta, type PorterDatabase } from '../store/db';
import { JobError } from './errors';
import type { ExportJobRecord } from './records';
import {
  cancelJob,
  cancelJobsOfClosedTab,
  confirmJob,
  currentJob,
  resumeJobs,
  runJob,
  snapshotOf,
  startJob,
  type JobContext,
  type JobHost,
  type JobKind,
} from './runner';

export { CONFIRMATION_TIMEOUT_MS, RECENT_RESULT_MS } from './runner';

export interface DownloadPort {
  /** Gets ready for a download soon (Chrome's offscreen document), while the package is still being built. */
  prepare?(): void;
  /**
   * Saves the cached package to disk under `fileName`; once it is done, resolves with the browser's download id and
   * the name the file got (the browser adds " (1)" when the name is taken).
   */
  download(packageId: string, fileName: string): Promise<{ downloadId: number; savedAs?: string }>;
}

export interface ExportDeps {
  db: PorterDatabase;
  /** A client acting with the session of `origin` (through the tab when needed); `signal` cancels its requests. */
  clientFor(origin: string, tabId: number | null, signal?: AbortSignal): PlatformClient;
  downloads: DownloadPort;
  /** Tells whoever watches (the panel in the job's tab) that the job moved. */
  notify(job: JobSnapshot, tabId: number | null): void;
  /** This installation's key for secret fingerprints in redaction reports. */
  fingerprintKey(): Promise<string>;
  /**
   * Lays the exported package's flow out for the viewer, in the background once the export has succeeded (a large
   * flow only: lib/package/graph.ts layOutAtExport); never waited for (entrypoints/background/layout-ahead.ts).
   */
  layOutAhead?(packageId: string): void;
  now?: () => Date;
  newId?: () => string;
}

/** A job restarted from scratch more often than this after a worker stop is ended instead. */
const MAX_ATTEMPTS = 2;

export function toSnapshot(job: ExportJobRecord, meta?: PackageMeta): JobSnapshot {
  return {
    id: job.id,
    workflowId: job.workflowId,
    versionId: job.versionId,
    step: job.step,
    status: job.status,
    confirmed: job.confirmed,
    ...(job.dependencies && { dependencies: job.dependencies }),
    ...(job.error && { error: job.error }),
    ...(meta &&
      job.status === 'succeeded' && {
        result: {
          packageId: meta.id,
          fileName: job.savedAs ?? meta.fileName,
          size: meta.size,
          redactedCount: meta.report.items.length,
        },
      }),
  };
}

function exportKind(deps: ExportDeps): JobKind<ExportJobRecord, JobSnapshot> {
  return {
    kind: 'export',
    run: (context) => runExportSteps(deps, context),
    snapshot: async (db, job) =>
      toSnapshot(job, job.packageId ? await db.packages.get(job.packageId) : undefined),
    // Once the user said yes, the package is theirs to get: only the check (or the fetch before it) can be cancelled.
    canCancel: (job) => !job.confirmed,
    resume(job) {
      if (job.packageId) return { run: {} };
      if (job.attempts >= MAX_ATTEMPTS) {
        return {
          end: 'failed',
          error: new JobError(
            'INTERRUPTED',
            'The export was interrupted twice and has stopped. Export again.',
            true,
          ),
        };
      }
      return { run: { attempts: job.attempts + 1, step: 'fetch' } };
    },
  };
}

function exportHost(deps: ExportDeps): JobHost<ExportJobRecord, JobSnapshot> {
  return { db: deps.db, spec: exportKind(deps), notify: deps.notify, now: deps.now };
}

export async function jobSnapshot(deps: ExportDeps, jobId: string): Promise<JobSnapshot> {
  return snapshotOf(exportHost(deps), jobId);
}

/** Starts an export, or returns the one already running for the same workflow version. */
export async function startExport(
  deps: ExportDeps,
  request: { origin: string; tabId: number | null; workflowId: string; versionId: string },
): Promise<JobSnapshot> {
  const job = await startJob(
    exportHost(deps),
    { ...request, key: `${request.origin} ${request.workflowId} ${request.versionId}`, step: 'fetch' },
    deps.newId,
  );
  return toSnapshot(job);
}

/** "Yes, I will take care": the job may save and download. */
export function confirmExport(deps: ExportDeps, jobId: string): Promise<JobSnapshot> {
  return confirmJob(exportHost(deps), jobId);
}

/** "Let me check" (or Cancel while the version is read): the job ends without saving anything. */
export function cancelExport(deps: ExportDeps, jobId: string): Promise<JobSnapshot> {
  return cancelJob(exportHost(deps), jobId);
}

/**
 * The export a panel coming back to a workflow page should show: the newest one this tab started for the workflow
 * that is still running, or that ended in the last two minutes. The job carries on without the panel; this lets
 * the panel pick it up again.
 */
export function currentExport(
  deps: ExportDeps,
  where: { origin: string; tabId: number | null; workflowId: string },
  now = Date.now(),
): Promise<JobSnapshot | null> {
  return currentJob(exportHost(deps), where, (job) => job.workflowId === where.workflowId, now);
}

/** The tab that started exports was closed: nobody will answer their dependency checks any more. */
export function cancelExportsOfClosedTab(deps: ExportDeps, tabId: number): Promise<void> {
  return cancelJobsOfClosedTab(exportHost(deps), tabId);
}

/** Runs a job to its end, at most once at a time per job. */
export function runExportJob(deps: ExportDeps, jobId: string): Promise<void> {
  return runJob(exportHost(deps), jobId);
}

/** After a worker restart: finish, restart or end every export that was running. */
export function resumeExportJobs(deps: ExportDeps): Promise<void> {
  return resumeJobs(exportHost(deps));
}

/** The raw version record, checked; a record of another shape is a PackageError listing every problem. */
/**
 * A validated version record as a redacted package, in memory (the export, and the backup before an import):
 * redaction with its final leak check, then the zip of exactly the bytes that check scanned.
 */
export async function packageVersion(
  deps: Pick<ExportDeps, 'fingerprintKey' | 'newId' | 'now'>,
  record: RawVersionRecord,
  where: { origin: string; workflowId: string; versionId: string; fileName?: string },
  onStep: (step: 'redact' | 'zip') => Promise<void> = async () => undefined,
): Promise<{ meta: PackageMeta; bytes: Uint8Array }> {
  await onStep('redact');
  const { report, files } = await redactValidatedVersion(record, {
    fingerprintKey: await deps.fingerprintKey(),
    files: true,
  });
  await onStep('zip');
  const bytes = await zipFiles(files);
  const meta: PackageMeta = {
    id: (deps.newId ?? (() => crypto.randomUUID()))(),
    origin: where.origin,
    workflowId: where.workflowId,
    workflowName: record.workflow.name,
    versionId: where.versionId,
    versionName: record.version.name,
    versionState: record.version.state ?? '',
    fileName: where.fileName ?? packageFileName(record.workflow.name),
    size: bytes.byteLength,
    sha256: await sha256Hex(bytes),
    createdAt: (deps.now ?? (() => new Date()))().toISOString(),
    report,
  };
  return { meta, bytes };
}

async function runExportSteps(deps: ExportDeps, context: JobContext<ExportJobRecord>): Promise<void> {
  const { db } = deps;
  const now = () => (deps.now ?? (() => new Date()))().toISOString();
  const step = (name: ExportJobRecord['step']) => context.advance({ step: name });
  let job = context.job;
  // Known while the record is at hand; an export resumed after a worker stop is laid out by the viewer itself.
  let large = false;

  if (!job.packageId) {
    deps.downloads.prepare?.();
    const client = deps.clientFor(job.origin, job.tabId, context.signal);
    await step('fetch');
    const raw = await client.getVersionRecord(job.workflowId, job.versionId);

    await step('validate');
    const record = validateVersionRecord(raw);
    large = layOutAtExport(record.flow);
    const dependencies = findDependencies(record);
    await context.advance({ dependencies, ...(dependencies.length === 0 && { confirmed: true }) });
    const decided = context.confirmation();

    // Built while the user reads the check; held in memory only until they decide.
    const { meta, bytes } = await packageVersion(deps, record, job, (name) => step(name));

    if ((await decided) === 'cancelled') return context.advance({ status: 'cancelled' });

    await step('save');
    job = context.job;
    await db.transaction('rw', [db.packages, db.packageBytes, db.jobs], async () => {
      await savePackage(db, meta, bytes);
      await db.jobs.update(job.id, {
        packageId: meta.id,
        step: 'download',
        updatedAt: now(),
      } as Partial<ExportJobRecord>);
    });
    await context.advance({ packageId: meta.id });
  }

  await step('download');
  job = context.job;
  let savedAs = job.savedAs;
  if (job.downloadId === undefined) {
    const meta = await db.packages.get(job.packageId!);
    if (!meta)
      throw new JobError('INTERRUPTED', 'The cached package disappeared before it was saved. Export again.');
    const download = await deps.downloads.download(meta.id, meta.fileName);
    savedAs = download.savedAs;
    await db.jobs.update(job.id, {
      downloadId: download.downloadId,
      ...(savedAs && { savedAs }),
    } as Partial<ExportJobRecord>);
  }
  // Housekeeping must not turn a finished export into a failed one.
  await pruneCache(db).catch(() => undefined);
  await context.advance({ status: 'succeeded', ...(savedAs && { savedAs }) });
  if (large) deps.layOutAhead?.(job.packageId!);
}
