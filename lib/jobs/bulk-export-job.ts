/**
 * Bulk export as a job on the shared runner (./runner.ts): export → archive → download.
 *
 * export: the workflows go through lib/bulk (each one's deployed version, else its draft, by the single export's
 * steps); each exported package is cached on its own (savePackage, so the library, the viewer and Compare see it)
 * in the same transaction that marks its workflow exported. Each workflow is a row of its own (lib/store/db.ts), so
 * marking one writes that row alone, whatever the number of workflows. A worker stopped half-way resumes with the
 * workflows not yet marked: nothing is exported twice, nothing exported is lost.
 * archive: the archive is made from the cached packages, one workflow at a time, and client-zip's stream is written
 * to IndexedDB in pieces of about 1 MB as it comes (lib/store/archive-chunks.ts), so the worker's memory does not grow
 * with the archive. A worker stopped meanwhile makes it again from the cached packages; the pieces go once the
 * download is done, and when the job fails or is cancelled.
 * download: through the same downloads port as a single export, one Blob made of the pieces' Blobs.
 *
 * The user confirmed by choosing the workflows, so the job starts confirmed; Cancel stops it until the download
 * begins (what was exported stays in the cache).
 */
import { makeZip } from 'client-zip';
import { unzipSync } from 'fflate';
import { bulkArchive, bulkArchiveName } from '../bulk/archive';
import { exportWorkflows, fromVersionRecords, type BulkOutcome } from '../bulk/export-workflows';
import { packageFileName } from '../package/filename';
import { sha256Hex } from '../package/version-package';
import { archiveBlob, deleteArchive, deleteStaleArchives, writeArchive } from '../store/archive-chunks';
import type { PlatformClient } from '../platform/types';
import type { BulkSnapshot, BulkStep } from '../protocol';
import {
  bulkWorkflowsOf,
  packageBytes,
  pruneCache,
  savePackage,
  type BulkWorkflowRow,
  type PackageMeta,
  type PorterDatabase,
} from '../store/db';
import { JobError } from './errors';
import type { DownloadPort } from './export-job';
import type { BaseJobRecord, BulkEntry } from './records';
import {
  cancelJob,
  currentJob,
  resumeJobs,
  snapshotOf,
  startJob,
  type JobContext,
  type JobHost,
  type JobKind,
} from './runner';

/** A bulk export's record; its workflows are rows of their own (bulkWorkflowsOf). */
export interface BulkExportJobRecord extends BaseJobRecord {
  kind: 'bulk-export';
  step: BulkStep;
  accountName: string;
  archiveName: string;
  /** Under which id the archive's pieces are stored (the job's), kept only until it is downloaded. */
  archiveId?: string;
  archiveSize?: number;
  downloadId?: number;
  savedAs?: string;
  /** What the library let go once the export was done (its setting may be lower than the export). */
  library?: BulkSnapshot['library'];
}

/**
 * The single export's downloads port, which also saves a bulk export's archive (stored in pieces;
 * entrypoints/background/downloads.ts).
 */
export interface ArchiveDownloadPort extends DownloadPort {
  downloadArchive(archiveId: string, fileName: string): Promise<{ downloadId: number; savedAs?: string }>;
}

export interface BulkDeps {
  db: PorterDatabase;
  clientFor(origin: string, tabId: number | null, signal?: AbortSignal): PlatformClient;
  downloads: ArchiveDownloadPort;
  notify(job: BulkSnapshot, tabId: number | null): void;
  fingerprintKey(): Promise<string>;
  now?: () => Date;
  newId?: () => string;
}

/** A worker stopped this often during one bulk export ends it (each restart goes on where the last one was). */
const MAX_ATTEMPTS = 5;

/**
 * The workflows of the bulk exports this worker runs, as they stand: telling the tabs after each workflow reads
 * nothing back from IndexedDB. The run is their only writer.
 */
const liveWorkflows = new Map<string, BulkWorkflowRow[]>();

const workflowsOf = async (db: PorterDatabase, jobId: string): Promise<BulkEntry[]> =>
  liveWorkflows.get(jobId) ?? (await bulkWorkflowsOf(db, jobId).toArray());

function toBulkSnapshot(job: BulkExportJobRecord, workflows: BulkEntry[]): BulkSnapshot {
  return {
    id: job.id,
    step: job.step,
    status: job.status,
    archiveName: job.archiveName,
    workflows: workflows.map((entry) => ({
      workflowId: entry.workflowId,
      name: entry.name,
      state: entry.state,
      ...(entry.versionName !== undefined && { versionName: entry.versionName }),
      ...(entry.redactions !== undefined && { redactions: entry.redactions }),
      ...(entry.error && { error: entry.error }),
    })),
    ...(job.error && { error: job.error }),
    ...(job.status === 'succeeded' && {
      result: { fileName: job.savedAs ?? job.archiveName, size: job.archiveSize ?? 0 },
    }),
    ...(job.library && { library: job.library }),
  };
}

function bulkKind(deps: BulkDeps): JobKind<BulkExportJobRecord, BulkSnapshot> {
  return {
    kind: 'bulk-export',
    run: (context) => runBulkSteps(deps, context),
    snapshot: async (db, job) => toBulkSnapshot(job, await workflowsOf(db, job.id)),
    canCancel: (job) => job.step !== 'download',
    resume(job) {
      if (job.attempts >= MAX_ATTEMPTS)
        return {
          end: 'failed',
          error: new JobError(
            'INTERRUPTED',
            'The bulk export was interrupted too often and has stopped.',
            true,
          ),
        };
      return { run: { attempts: job.attempts + 1 } };
    },
  };
}

function bulkHost(deps: BulkDeps): JobHost<BulkExportJobRecord, BulkSnapshot> {
  return { db: deps.db, spec: bulkKind(deps), notify: deps.notify, now: deps.now };
}

/** Starts a bulk export of these workflows (named as the list showed them), or joins the same one running. */
export async function startBulkExport(
  deps: BulkDeps,
  request: {
    origin: string;
    tabId: number | null;
    accountName: string;
    workflows: Array<{ workflowId: string; name: string }>;
  },
): Promise<BulkSnapshot> {
  const ids = [...new Set(request.workflows.map((w) => w.workflowId))];
  const names = new Map(request.workflows.map((w) => [w.workflowId, w.name]));
  const { db } = deps;
  const workflows = (jobId: string): BulkWorkflowRow[] =>
    ids.map((workflowId, index) => ({
      jobId,
      index,
      workflowId,
      name: names.get(workflowId) ?? workflowId,
      state: 'queued',
    }));
  const job = await startJob(
    bulkHost(deps),
    {
      // The same selection again joins the export running for it (the IDs hashed: a key stays short at 2,000).
      key: `${request.origin} bulk ${await sha256Hex(new TextEncoder().encode(ids.join('\n')))}`,
      origin: request.origin,
      tabId: request.tabId,
      step: 'export',
      confirmed: true,
      accountName: request.accountName,
      archiveName: bulkArchiveName(request.accountName, (deps.now ?? (() => new Date()))()),
    },
    deps.newId,
    { tables: [db.bulkWorkflows], write: (created) => db.bulkWorkflows.bulkAdd(workflows(created.id)) },
  );
  return toBulkSnapshot(job, await workflowsOf(db, job.id));
}

export function bulkSnapshot(deps: BulkDeps, jobId: string): Promise<BulkSnapshot> {
  return snapshotOf(bulkHost(deps), jobId);
}

export function cancelBulkExport(deps: BulkDeps, jobId: string): Promise<BulkSnapshot> {
  return cancelJob(bulkHost(deps), jobId);
}

export function currentBulkExport(
  deps: BulkDeps,
  where: { origin: string; tabId: number | null },
): Promise<BulkSnapshot | null> {
  return currentJob(bulkHost(deps), where, () => true);
}

export async function resumeBulkExports(deps: BulkDeps): Promise<void> {
  try {
    await resumeJobs(bulkHost(deps));
  } finally {
    // A job this ended (interrupted too often), or that ended while no worker ran, leaves no archive behind.
    await deleteStaleArchives(deps.db).catch(() => undefined);
  }
}

async function runBulkSteps(deps: BulkDeps, context: JobContext<BulkExportJobRecord>): Promise<void> {
  const { db } = deps;
  const jobId = context.job.id;
  const workflows = await bulkWorkflowsOf(db, jobId).toArray();
  liveWorkflows.set(jobId, workflows);
  try {
    if (context.job.step === 'export') {
      deps.downloads.prepare?.();
      await exportStep(deps, context, workflows);
      await context.advance({ step: 'archive' });
    }
    if (context.job.step === 'archive') {
      deps.downloads.prepare?.();
      await archiveStep(deps, context, workflows);
    }
    await downloadStep(deps, context, workflows);
  } finally {
    liveWorkflows.delete(jobId);
    // Saved, failed or cancelled: the archive is not needed again. (A stopped worker never gets here: its resume
    // needs the pieces, or makes them again.)
    await deleteArchive(db, jobId).catch(() => undefined);
  }
}

/**
 * Marks the workflows as they are exported, in `workflows` (which the tabs are shown) and, once each is exported or
 * failed, in its row. "Exporting" is only shown: a workflow being exported when the worker stopped was never saved,
 * and its row, still queued, goes again.
 */
async function exportStep(
  deps: BulkDeps,
  context: JobContext<BulkExportJobRecord>,
  workflows: BulkWorkflowRow[],
): Promise<void> {
  const { db } = deps;
  const now = () => (deps.now ?? (() => new Date()))().toISOString();
  const job = context.job;
  const position = new Map(workflows.map((entry) => [entry.workflowId, entry.index]));
  const remaining = workflows.filter((entry) => entry.state === 'queued').map((entry) => entry.workflowId);
  // Writes go one after another, in the order the workflows changed.
  let writes = Promise.resolve();
  const publish = (change: () => Promise<void>) => (writes = writes.then(change));
  const client = deps.clientFor(job.origin, job.tabId, context.signal);

  const record = async (outcome: BulkOutcome) => {
    const index = position.get(outcome.workflowId)!;
    if (outcome.status === 'failed') {
      const name = outcome.workflowName ?? workflows[index]!.name;
      workflows[index] = { ...workflows[index]!, name, state: 'failed', error: outcome.error };
      await db.bulkWorkflows.put(workflows[index]!);
      return context.advance({});
    }
    const pkg = outcome.package;
    const meta: PackageMeta = {
      id: (deps.newId ?? (() => crypto.randomUUID()))(),
      origin: job.origin,
      workflowId: pkg.workflowId,
      workflowName: pkg.workflowName,
      versionId: pkg.versionId,
      versionName: pkg.versionName,
      versionState: pkg.versionState,
      fileName: packageFileName(pkg.workflowName),
      size: pkg.bytes.byteLength,
      sha256: pkg.sha256,
      createdAt: now(),
      report: pkg.report,
    };
    const exported: BulkWorkflowRow = {
      ...workflows[index]!,
      name: pkg.workflowName,
      state: 'exported',
      packageId: meta.id,
      sha256: pkg.sha256,
      versionName: pkg.versionName,
      redactions: pkg.report.items.length,
    };
    // The package and its mark go together: after a stop, a marked workflow is in the cache, an unmarked one not.
    const saved = await db.transaction(
      'rw',
      [db.packages, db.packageBytes, db.jobs, db.bulkWorkflows],
      async () => {
        if ((await db.jobs.get(job.id))?.status !== 'running') return false;
        await savePackage(db, meta, pkg.bytes);
        await db.bulkWorkflows.put(exported);
        return true;
      },
    );
    // Cancelled meanwhile: the tabs are not shown as exported what was not cached.
    if (!saved) return;
    workflows[index] = exported;
    await context.advance({});
  };

  for await (const outcome of exportWorkflows({
    client,
    workflowIds: remaining,
    build: fromVersionRecords(client, await deps.fingerprintKey()),
    signal: context.signal,
    onStart: (workflowId) => {
      const index = position.get(workflowId)!;
      workflows[index] = { ...workflows[index]!, state: 'exporting' };
      void publish(() => context.advance({})).catch(() => undefined);
    },
  })) {
    await publish(() => record(outcome));
  }
  await writes;
}

/** A workflow's cached package: its own entry, or the one its bytes moved to when exported again meanwhile. */
async function cachedPackage(db: PorterDatabase, entry: BulkEntry): Promise<PackageMeta | undefined> {
  const own = entry.packageId ? await db.packages.get(entry.packageId) : undefined;
  if (own || !entry.sha256) return own;
  return db.packages.where('sha256').equals(entry.sha256).first();
}

/** The exported workflows back from the cache, one at a time, as outcomes for the archive. */
async function* cachedOutcomes(db: PorterDatabase, workflows: BulkEntry[]): AsyncGenerator<BulkOutcome> {
  for (const entry of workflows) {
    if (entry.state !== 'exported') {
      yield {
        status: 'failed',
        workflowId: entry.workflowId,
        workflowName: entry.name,
        error: entry.error ?? { code: 'CANCELLED', message: 'Not exported.', retryable: true },
      };
      continue;
    }
    const meta = await cachedPackage(db, entry);
    const bytes = meta ? await packageBytes(db, meta.id) : undefined;
    if (!meta || !bytes) {
      yield {
        status: 'failed',
        workflowId: entry.workflowId,
        workflowName: entry.name,
        error: {
          code: 'INTERRUPTED',
          message: 'Its package was removed from the cache before the archive was made. Export it again.',
          retryable: true,
        },
      };
      continue;
    }
    const files = Object.entries(unzipSync(bytes)).map(([name, data]) => ({ name, data }));
    yield {
      status: 'exported',
      workflowId: entry.workflowId,
      package: {
        workflowId: meta.workflowId,
        workflowName: meta.workflowName,
        versionId: meta.versionId,
        versionName: meta.versionName,
        versionState: meta.versionState,
        files,
        bytes,
        sha256: meta.sha256,
        report: meta.report,
        dependencies: [],
      },
    };
  }
}

async function archiveStep(
  deps: BulkDeps,
  context: JobContext<BulkExportJobRecord>,
  workflows: BulkEntry[],
): Promise<void> {
  const { db } = deps;
  const job = context.job;
  const archive = bulkArchive(cachedOutcomes(db, workflows), {
    account: { name: job.accountName },
    exportedAt: job.createdAt,
  });
  const archiveSize = await writeArchive(db, job.id, makeZip(archive.entries), { signal: context.signal });
  await context.advance({ step: 'download', archiveId: job.id, archiveSize });
}

async function downloadStep(
  deps: BulkDeps,
  context: JobContext<BulkExportJobRecord>,
  workflows: BulkEntry[],
): Promise<void> {
  const { db } = deps;
  const job = context.job;
  let savedAs = job.savedAs;
  if (job.downloadId === undefined) {
    if (!job.archiveId || (await archiveBlob(db, job.archiveId))?.size !== job.archiveSize)
      throw new JobError('INTERRUPTED', 'The archive disappeared before it was saved. Export again.', true);
    const download = await deps.downloads.downloadArchive(job.archiveId, job.archiveName);
    savedAs = download.savedAs;
    await context.advance({ downloadId: download.downloadId, ...(savedAs && { savedAs }) });
  }
  // The pieces go in runBulkSteps, whatever ends the job.
  const library = await keepToSetting(db, job.id, workflows).catch(() => undefined);
  await context.advance({ status: 'succeeded', ...(savedAs && { savedAs }), ...(library && { library }) });
}

/**
 * While it runs, a bulk export's packages are never let go (its archive is made from them). Once it is done the
 * library goes back to the user's setting, which may be lower than the export: the summary says what went.
 */
async function keepToSetting(
  db: PorterDatabase,
  jobId: string,
  workflows: BulkEntry[],
): Promise<BulkSnapshot['library']> {
  const { keep, letGo } = await pruneCache(db, { releasing: jobId });
  const own = new Set(workflows.flatMap((entry) => (entry.packageId ? [entry.packageId] : [])));
  const ownLetGo = letGo.filter((id) => own.has(id)).length;
  return { keep, ownLetGo, olderLetGo: letGo.length - ownLetGo };
}
