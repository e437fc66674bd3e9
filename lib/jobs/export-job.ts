/**
 * An export as a persisted, resumable sequence of steps:
 * fetch → validate → (the user confirms the dependencies) → redact → zip → save → download.
 *
 * The export begins at the Export click, as in the product, so the version is fixed from then on. Once the version is
 * read, its dependencies go to the panel for the check, and the package is built in memory while the user reads it;
 * nothing is saved or downloaded before "Yes, I will take care". "Let me check" cancels the job.
 *
 * Only the job's state goes to IndexedDB; the raw version record lives in this function's memory and nowhere else.
 * If the worker stops half-way, `resumeExportJobs` finishes a job whose package is already saved (download only),
 * restarts one that was not (once), and otherwise ends it with a clear error. The package and the job's move to the
 * download step are written in one transaction, so there is never a half-saved package nor a second copy.
 */
import type { ExportStep, JobSnapshot } from '../messages';
import { findDependencies } from '../package/dependencies';
import { redactValidatedVersion } from '../package/redact';
import { zipFiles } from '../package/zip-write';
import { packageFileName } from '../package/filename';
import { sha256Hex, validateVersionRecord } from '../package/version-package';
import type { PlatformClient } from '../platform/types';
import {
  pruneCache,
  savePackage,
  type ExportJobRecord,
  type PackageMeta,
  type PorterDatabase,
} from '../store/db';
import { JobError, toUiError } from './errors';

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
/** An export nobody confirms (the tab was closed during the check) is cancelled after this long. */
export const CONFIRMATION_TIMEOUT_MS = 10 * 60 * 1000;

const running = new Map<string, Promise<void>>();
const waitingForConfirmation = new Map<string, (decision: 'confirmed' | 'cancelled') => void>();

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

async function requireJob(db: PorterDatabase, jobId: string): Promise<ExportJobRecord> {
  const job = await db.jobs.get(jobId);
  if (!job) throw new JobError('NO_SUCH_JOB', 'This export is no longer known. Export again.');
  return job;
}

export async function jobSnapshot(db: PorterDatabase, jobId: string): Promise<JobSnapshot> {
  const job = await requireJob(db, jobId);
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
    if (existing) {
      const tab = request.tabId;
      if (tab !== null && tab !== existing.tabId && !existing.watchers?.includes(tab)) {
        existing.watchers = [...(existing.watchers ?? []), tab];
        await deps.db.jobs.update(existing.id, { watchers: existing.watchers });
      }
      return existing;
    }
    const created: ExportJobRecord = {
      id: (deps.newId ?? (() => crypto.randomUUID()))(),
      key,
      ...request,
      step: 'fetch',
      status: 'running',
      confirmed: false,
      attempts: 1,
      createdAt: now,
      updatedAt: now,
    };
    await deps.db.jobs.add(created);
    return created;
  });
  void runExportJob(deps, job.id);
  return toSnapshot(job);
}

/** Tells every tab showing the job (the one that started it, and any that asked for the same export since). */
function notifyTabs(deps: ExportDeps, job: ExportJobRecord, snapshot: JobSnapshot): void {
  for (const tabId of [job.tabId, ...(job.watchers ?? [])]) deps.notify(snapshot, tabId);
}

/** "Yes, I will take care": the job may save and download. */
export async function confirmExport(deps: ExportDeps, jobId: string): Promise<JobSnapshot> {
  const job = await requireJob(deps.db, jobId);
  if (job.status === 'running' && !job.confirmed) {
    await deps.db.jobs.update(jobId, { confirmed: true });
    const waiter = waitingForConfirmation.get(jobId);
    // A worker that restarted since has no waiter: the job runs again and finds itself confirmed.
    if (waiter) waiter('confirmed');
    else void runExportJob(deps, jobId);
  }
  return jobSnapshot(deps.db, jobId);
}

/** "Let me check": the job ends without saving anything. */
export async function cancelExport(deps: ExportDeps, jobId: string): Promise<JobSnapshot> {
  const job = await requireJob(deps.db, jobId);
  if (job.status === 'running' && !job.confirmed) {
    await deps.db.jobs.update(jobId, { status: 'cancelled', updatedAt: new Date().toISOString() });
    waitingForConfirmation.get(jobId)?.('cancelled');
    // Another tab showing the same export learns that it stopped.
    const cancelled: ExportJobRecord = { ...job, status: 'cancelled' };
    notifyTabs(deps, cancelled, toSnapshot(cancelled));
  }
  return jobSnapshot(deps.db, jobId);
}

/** How long a finished export is still shown to a panel that comes back (after an in-app navigation). */
export const RECENT_RESULT_MS = 2 * 60 * 1000;

/**
 * The export a panel coming back to a workflow page should show: the newest one this tab started for the workflow
 * that is still running, or that ended in the last two minutes. The job carries on without the panel; this lets
 * the panel pick it up again.
 */
export async function currentExport(
  db: PorterDatabase,
  where: { origin: string; tabId: number | null; workflowId: string },
  now = Date.now(),
): Promise<JobSnapshot | null> {
  const jobs = await db.jobs
    .filter(
      (job) =>
        job.origin === where.origin &&
        (job.tabId === where.tabId ||
          (where.tabId !== null && Boolean(job.watchers?.includes(where.tabId)))) &&
        job.workflowId === where.workflowId &&
        (job.status === 'running' || now - Date.parse(job.updatedAt) < RECENT_RESULT_MS),
    )
    .toArray();
  const newest = jobs.sort((a, b) => b.createdAt.localeCompare(a.createdAt))[0];
  return newest ? jobSnapshot(db, newest.id) : null;
}

/** The tab that started exports was closed: nobody will answer their dependency checks any more. */
export async function cancelExportsOfClosedTab(deps: ExportDeps, tabId: number): Promise<void> {
  const unanswered = await deps.db.jobs
    .where('status')
    .equals('running')
    // An export another tab still shows is left to that tab.
    .filter((job) => job.tabId === tabId && !job.confirmed && !job.watchers?.length)
    .toArray();
  await Promise.all(unanswered.map((job) => cancelExport(deps, job.id)));
}

/** Runs a job to its end, at most once at a time per job. */
export function runExportJob(deps: ExportDeps, jobId: string): Promise<void> {
  const active = running.get(jobId);
  if (active) return active;
  // A job whose state cannot even be written (the database went away) stays "running" for resumeExportJobs.
  const run = execute(deps, jobId)
    .catch(() => undefined)
    .finally(() => running.delete(jobId));
  running.set(jobId, run);
  return run;
}

function confirmation(jobId: string): Promise<'confirmed' | 'cancelled'> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => decide('cancelled'), CONFIRMATION_TIMEOUT_MS);
    const decide = (decision: 'confirmed' | 'cancelled') => {
      clearTimeout(timer);
      waitingForConfirmation.delete(jobId);
      resolve(decision);
    };
    waitingForConfirmation.set(jobId, decide);
  });
}

async function execute(deps: ExportDeps, jobId: string): Promise<void> {
  const { db } = deps;
  const now = () => (deps.now ?? (() => new Date()))().toISOString();
  let job = await db.jobs.get(jobId);
  if (!job || job.status !== 'running') return;

  const advance = async (changes: Partial<ExportJobRecord>) => {
    await db.jobs.update(jobId, { ...changes, updatedAt: now() });
    // Tabs may have joined since the job began.
    const watchers = (await db.jobs.get(jobId))?.watchers;
    job = { ...job!, ...changes, ...(watchers && { watchers }) };
    const meta = job.packageId ? await db.packages.get(job.packageId) : undefined;
    notifyTabs(deps, job, toSnapshot(job, meta));
  };
  const step = (name: ExportStep) => advance({ step: name });

  try {
    if (!job.packageId) {
      deps.downloads.prepare?.();
      const client = deps.clientFor(job.origin, job.tabId);
      await step('fetch');
      const raw = await client.getVersionRecord(job.workflowId, job.versionId);

      await step('validate');
      const record = validateVersionRecord(raw);
      const dependencies = findDependencies(record);
      const decided = job.confirmed ? null : dependencies.length === 0 ? 'confirmed' : confirmation(jobId);
      await advance({ dependencies, ...(decided === 'confirmed' && { confirmed: true }) });
      if (decided instanceof Promise) {
        // The decision may have come before the wait began (a confirm during the fetch, another worker instance).
        const stored = await db.jobs.get(jobId);
        if (stored?.status === 'cancelled') waitingForConfirmation.get(jobId)?.('cancelled');
        else if (stored?.confirmed) waitingForConfirmation.get(jobId)?.('confirmed');
      }

      // Built while the user reads the check; held in memory only until they decide.
      await step('redact');
      // The record was validated above; the zip holds exactly the bytes the final leak check scanned.
      const { report, files } = await redactValidatedVersion(record, {
        fingerprintKey: await deps.fingerprintKey(),
        files: true,
      });
      await step('zip');
      const bytes = await zipFiles(files);

      if (decided && decided !== 'confirmed' && (await decided) === 'cancelled') {
        if ((await db.jobs.get(jobId))?.status === 'running') await advance({ status: 'cancelled' });
        return;
      }
      job = { ...job, confirmed: true };

      await step('save');
      const meta: PackageMeta = {
        id: (deps.newId ?? (() => crypto.randomUUID()))(),
        origin: job.origin,
        workflowId: job.workflowId,
        workflowName: record.workflow.name,
        versionId: job.versionId,
        versionName: record.version.name,
        versionState: record.version.state ?? '',
        fileName: packageFileName(record.workflow.name),
        size: bytes.byteLength,
        sha256: await sha256Hex(bytes),
        createdAt: now(),
        report,
      };
      await db.transaction('rw', [db.packages, db.packageBytes, db.jobs], async () => {
        await savePackage(db, meta, bytes);
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
      const { downloadId, savedAs } = await deps.downloads.download(meta.id, meta.fileName);
      await db.jobs.update(jobId, { downloadId, ...(savedAs && { savedAs }) });
      if (savedAs) job = { ...job, savedAs };
    }
    // Housekeeping must not turn a finished export into a failed one.
    await pruneCache(db).catch(() => undefined);
    await advance({ status: 'succeeded' });
  } catch (error) {
    waitingForConfirmation.get(jobId)?.('cancelled');
    await advance({ status: 'failed', error: toUiError(error) });
  }
}

/** After a worker restart: finish, restart or end every job that was running. */
export async function resumeExportJobs(deps: ExportDeps): Promise<void> {
  const unfinished = await deps.db.jobs.where('status').equals('running').toArray();
  const now = Date.now();
  await Promise.all(
    unfinished.map(async (job) => {
      if (running.has(job.id)) return;
      const fail = async (error: JobError, status: 'failed' | 'cancelled' = 'failed') => {
        const uiError = toUiError(error);
        await deps.db.jobs.update(job.id, { status, error: uiError, updatedAt: new Date().toISOString() });
        notifyTabs(deps, job, toSnapshot({ ...job, status, error: uiError }));
      };
      if (!job.confirmed && now - Date.parse(job.createdAt) > CONFIRMATION_TIMEOUT_MS) {
        return fail(
          new JobError('INTERRUPTED', 'Nobody confirmed this export, so it was cancelled.'),
          'cancelled',
        );
      }
      if (!job.packageId && job.attempts >= MAX_ATTEMPTS) {
        return fail(
          new JobError(
            'INTERRUPTED',
            'The export was interrupted twice and has stopped. Export again.',
            true,
          ),
        );
      }
      if (!job.packageId) await deps.db.jobs.update(job.id, { attempts: job.attempts + 1, step: 'fetch' });
      await runExportJob(deps, job.id);
    }),
  );
}

/** Whether this worker is in the middle of an export (it then keeps itself awake). */
export function isAnyExportRunning(): boolean {
  return running.size > 0;
}
