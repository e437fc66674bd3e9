/**
 * An export as a persisted, resumable sequence of steps:
 * fetch → validate → redact → zip → save → download.
 *
 * Only the job's state goes to IndexedDB; the raw version record lives in this function's memory and nowhere else.
 * If the worker stops half-way, `resumeExportJobs` finishes a job whose package is already saved (download only),
 * restarts one that was not (once), and otherwise ends it with a clear error. The package and the job's move to the
 * download step are written in one transaction, so there is never a half-saved package nor a second copy.
 */
import type { ExportStep, JobSnapshot } from '../messages';
import { rawVersionRecordSchema, formatIssuePath } from '../package/schemas';
import { PackageError } from '../package/errors';
import { redactVersion } from '../package/redact';
import { writePackageZip } from '../package/zip-write';
import { packageFileName } from '../package/filename';
import type { PlatformClient } from '../platform/types';
import { pruneCache, type ExportJobRecord, type PackageMeta, type PorterDatabase } from '../store/db';
import { JobError, toUiError } from './errors';

export interface DownloadPort {
  /** Saves the cached package to disk under `fileName`; resolves with the browser's download id once it is done. */
  download(packageId: string, fileName: string): Promise<number>;
}

export interface ExportDeps {
  db: PorterDatabase;
  clientFor(origin: string, tabId: number | null): PlatformClient;
  downloads: DownloadPort;
  /** Tells whoever watches (the panel in the job's tab) that the job moved. */
  notify(job: JobSnapshot, tabId: number | null): void;
  /** This installation's key for secret fingerprints in redaction reports. */
  fingerprintKey(): Promise<string>;
  now?: () => Date;
  newId?: () => string;
}

/** A job restarted from scratch more often than this after a worker stop is ended instead. */
const MAX_ATTEMPTS = 2;

const running = new Map<string, Promise<void>>();

export function toSnapshot(job: ExportJobRecord, meta?: PackageMeta): JobSnapshot {
  return {
    id: job.id,
    workflowId: job.workflowId,
    versionId: job.versionId,
    step: job.step,
    status: job.status,
    ...(job.error && { error: job.error }),
    ...(meta &&
      job.status === 'succeeded' && {
        result: {
          packageId: meta.id,
          fileName: meta.fileName,
          size: meta.size,
          redactedCount: meta.report.items.length,
        },
      }),
  };
}

export async function jobSnapshot(db: PorterDatabase, jobId: string): Promise<JobSnapshot> {
  const job = await db.jobs.get(jobId);
  if (!job) throw new JobError('NO_SUCH_JOB', 'This export is no longer known. Export again.');
  const meta = job.packageId ? await db.packages.get(job.packageId) : undefined;
  return toSnapshot(job, meta);
}

/** Starts an export, or returns the one already running for the same workflow version. */
export async function startExport(
  deps: ExportDeps,
  request: { origin: string; tabId: number | null; workflowId: string; versionId: string },
): Promise<JobSnapshot> {
  const now = (deps.now ?? (() => new Date()))().toISOString();
  const key = `${request.origin} ${request.workflowId} ${request.versionId}`;
  const job = await deps.db.transaction('rw', deps.db.jobs, async () => {
    const existing = await deps.db.jobs
      .where('key')
      .equals(key)
      .filter((j) => j.status === 'running')
      .first();
    if (existing) return existing;
    const created: ExportJobRecord = {
      id: (deps.newId ?? (() => crypto.randomUUID()))(),
      key,
      ...request,
      step: 'fetch',
      status: 'running',
      attempts: 1,
      createdAt: now,
      updatedAt: now,
    };
    await deps.db.jobs.add(created);
    return created;
  });
  runExportJob(deps, job.id);
  return toSnapshot(job);
}

/** Runs a job to its end, at most once at a time per job. */
export function runExportJob(deps: ExportDeps, jobId: string): Promise<void> {
  const active = running.get(jobId);
  if (active) return active;
  const run = execute(deps, jobId).finally(() => running.delete(jobId));
  running.set(jobId, run);
  return run;
}

async function execute(deps: ExportDeps, jobId: string): Promise<void> {
  const { db } = deps;
  const now = () => (deps.now ?? (() => new Date()))().toISOString();
  let job = await db.jobs.get(jobId);
  if (!job || job.status !== 'running') return;

  const advance = async (changes: Partial<ExportJobRecord>) => {
    await db.jobs.update(jobId, { ...changes, updatedAt: now() });
    job = { ...job!, ...changes };
    const meta = job.packageId ? await db.packages.get(job.packageId) : undefined;
    deps.notify(toSnapshot(job, meta), job.tabId);
  };
  const step = (name: ExportStep) => advance({ step: name });

  try {
    if (!job.packageId) {
      const client = deps.clientFor(job.origin, job.tabId);
      await step('fetch');
      const raw = await client.getVersionRecord(job.workflowId, job.versionId);

      await step('validate');
      const parsed = rawVersionRecordSchema.safeParse(raw);
      if (!parsed.success) {
        throw new PackageError(
          'SCHEMA_MISMATCH',
          'The version record does not have the expected shape.',
          parsed.error.issues.map((issue) => ({ path: formatIssuePath(issue.path), message: issue.message })),
        );
      }

      await step('redact');
      const { content, report } = await redactVersion(parsed.data, {
        fingerprintKey: await deps.fingerprintKey(),
      });

      await step('zip');
      const bytes = await writePackageZip(content);

      await step('save');
      const meta: PackageMeta = {
        id: (deps.newId ?? (() => crypto.randomUUID()))(),
        origin: job.origin,
        workflowId: job.workflowId,
        workflowName: parsed.data.workflow.name,
        versionId: job.versionId,
        versionName: parsed.data.version.name,
        versionState: parsed.data.version.state ?? '',
        fileName: packageFileName(parsed.data.workflow.name),
        size: bytes.byteLength,
        sha256: await sha256Hex(bytes),
        createdAt: now(),
        report,
      };
      await db.transaction('rw', [db.packages, db.packageBytes, db.jobs], async () => {
        await db.packages.put(meta);
        await db.packageBytes.put({ id: meta.id, bytes });
        await db.jobs.update(jobId, { packageId: meta.id, step: 'download', updatedAt: now() });
      });
      job = { ...job, packageId: meta.id, step: 'download' };
    }

    await step('download');
    if (job.downloadId === undefined) {
      const meta = await db.packages.get(job.packageId!);
      if (!meta)
        throw new JobError(
          'INTERRUPTED',
          'The cached package disappeared before it was saved. Export again.',
        );
      const downloadId = await deps.downloads.download(meta.id, meta.fileName);
      await db.jobs.update(jobId, { downloadId });
    }
    await advance({ status: 'succeeded' });
    await pruneCache(db);
  } catch (error) {
    await advance({ status: 'failed', error: toUiError(error) });
  }
}

/** After a worker restart: finish, restart or end every job that was running. */
export async function resumeExportJobs(deps: ExportDeps): Promise<void> {
  const unfinished = await deps.db.jobs.where('status').equals('running').toArray();
  await Promise.all(
    unfinished.map(async (job) => {
      if (running.has(job.id)) return;
      if (!job.packageId && job.attempts >= MAX_ATTEMPTS) {
        const error = toUiError(
          new JobError(
            'INTERRUPTED',
            'The export was interrupted twice and has stopped. Export again.',
            true,
          ),
        );
        await deps.db.jobs.update(job.id, { status: 'failed', error, updatedAt: new Date().toISOString() });
        deps.notify(toSnapshot({ ...job, status: 'failed', error }), job.tabId);
        return;
      }
      if (!job.packageId) await deps.db.jobs.update(job.id, { attempts: job.attempts + 1, step: 'fetch' });
      await runExportJob(deps, job.id);
    }),
  );
}

export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Whether this worker is in the middle of an export (it then keeps itself awake). */
export function isAnyExportRunning(): boolean {
  return running.size > 0;
}
