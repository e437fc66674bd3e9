/**
 * The extension's IndexedDB (Dexie): cached packages and jobs (export, import; their records are in lib/jobs).
 *
 * A package's bytes live in their own table so that listing packages never loads megabytes; both rows are written
 * in one transaction, so a package is either fully cached or not at all. The bytes are kept compact (compact.ts)
 * and the zip re-created, identical, when it is downloaded or opened. The raw version record is never stored.
 */
import Dexie, { type EntityTable, type Table } from 'dexie';
import type { RedactionReport } from '../redaction/redactor';
import type { BulkEntry, JobRecord } from '../jobs/records';
import { JobError } from '../jobs/errors';
import type { CompactPackage } from './compact';

/** The zip tools load only where a package is saved or read back, not in the popup's list. */
const compactModule = () => import('./compact');

export interface PackageMeta {
  id: string;
  origin: string;
  workflowId: string;
  workflowName: string;
  versionId: string;
  versionName: string;
  versionState: string;
  fileName: string;
  /** The zip's size. */
  size: number;
  sha256: string;
  /** The latest export of these bytes. */
  createdAt: string;
  /**
   * Every export of these very bytes (same SHA-256), newest first: an identical package exported again is one
   * entry that remembers when. Absent on entries saved before version 2 (read as `[createdAt]`).
   */
  exportedAt?: string[];
  /** Bytes the cache holds for it (its compact form); absent until it has been compacted. */
  storedSize?: number;
  report: RedactionReport;
}

/** A package's bytes: its compact form, or (saved before version 2, until compacted) the zip itself. */
export interface PackageBytes {
  id: string;
  compact?: CompactPackage;
  bytes?: Uint8Array;
}

/**
 * One piece of a bulk export's archive (lib/store/archive-chunks.ts), kept until the archive is downloaded: the
 * archive is the pieces' Blobs in `index` order.
 */
export interface ArchiveChunk {
  jobId: string;
  index: number;
  blob: Blob;
}

/**
 * A bulk export's workflow, its job's `index`-th: the job's record holds none of them. Queued, exported or failed:
 * "exporting" is only shown, never stored (one being exported when the worker stopped goes again).
 */
export interface BulkWorkflowRow extends BulkEntry {
  jobId: string;
  index: number;
}

/** One small setting of the cache, in the same database so that pruning and saving read it in one place. */
export interface CacheSetting {
  key: 'keep';
  value: number;
}

/** The id under which versions before 4 kept a bulk export's whole archive among the packages' bytes. */
const LEGACY_ARCHIVE_PREFIX = 'bulk-archive-';

export class PorterDatabase extends Dexie {
  packages!: EntityTable<PackageMeta, 'id'>;
  packageBytes!: EntityTable<PackageBytes, 'id'>;
  jobs!: EntityTable<JobRecord, 'id'>;
  settings!: EntityTable<CacheSetting, 'key'>;
  archiveChunks!: Table<ArchiveChunk, [string, number]>;
  bulkWorkflows!: Table<BulkWorkflowRow, [string, number]>;

  constructor(name = 'afp-porter') {
    super(name);
    this.version(1).stores({
      packages: 'id, createdAt, [origin+workflowId], sha256',
      packageBytes: 'id',
      jobs: 'id, key, status, updatedAt',
    });
    // Jobs gained a kind when import joined export on one runner; every job before that was an export.
    this.version(2)
      .stores({ jobs: 'id, key, status, updatedAt, kind' })
      .upgrade((tx) =>
        tx
          .table('jobs')
          .toCollection()
          .modify((job: { kind?: string }) => {
            job.kind ??= 'export';
          }),
      );
    // Identical packages become one entry that remembers each export. The zips stay as they are: compacting
    // needs CompressionStream, which no upgrade transaction may wait for (see compactLegacyPackages).
    this.version(3)
      .stores({ settings: 'key' })
      .upgrade(async (tx) => {
        const all = await tx.table<PackageMeta, string>('packages').orderBy('createdAt').reverse().toArray();
        const kept = new Map<string, PackageMeta>();
        const duplicates: string[] = [];
        for (const meta of all) {
          const newer = kept.get(meta.sha256);
          if (!newer) kept.set(meta.sha256, { ...meta, exportedAt: meta.exportedAt ?? [meta.createdAt] });
          else {
            newer.exportedAt!.push(...(meta.exportedAt ?? [meta.createdAt]));
            duplicates.push(meta.id);
          }
        }
        await tx.table('packages').bulkPut([...kept.values()]);
        await tx.table('packages').bulkDelete(duplicates);
        await tx.table('packageBytes').bulkDelete(duplicates);
      });
    // A bulk export's archive is written in pieces, so that no worker ever holds all of it. An archive left whole
    // by an earlier version (a bulk export stopped before its download) can no longer be saved: it goes.
    this.version(4)
      .stores({ archiveChunks: '[jobId+index]' })
      .upgrade((tx) => tx.table('packageBytes').where('id').startsWith(LEGACY_ARCHIVE_PREFIX).delete());
    // A bulk export's workflows move out of its record into a row each: marking one exported rewrote the whole
    // list, which made a bulk export of N workflows write N² entries.
    this.version(5)
      .stores({ bulkWorkflows: '[jobId+index]' })
      .upgrade(async (tx) => {
        const jobs = await tx
          .table<{ id: string; workflows?: BulkEntry[] }>('jobs')
          .where('kind')
          .equals('bulk-export')
          .toArray();
        const rows = jobs.flatMap(({ id, workflows = [] }) =>
          workflows.map((entry, index) => ({
            ...entry,
            jobId: id,
            index,
            ...(entry.state === 'exporting' && { state: 'queued' }),
          })),
        );
        await tx.table('bulkWorkflows').bulkPut(rows);
        await tx.table('jobs').bulkPut(jobs.map(({ workflows: _, ...job }) => job));
      });
  }
}

/** A bulk export's workflows, in its list's order. */
export function bulkWorkflowsOf(db: PorterDatabase, jobId: string) {
  return db.bulkWorkflows.where('[jobId+index]').between([jobId, Dexie.minKey], [jobId, Dexie.maxKey]);
}

/** What a full browser storage is reported as, directly or wrapped by Dexie. */
export function isQuotaError(error: unknown): boolean {
  for (let e = error; e && typeof e === 'object'; e = (e as { inner?: unknown }).inner) {
    if ((e as { name?: unknown }).name === 'QuotaExceededError') return true;
  }
  return false;
}

export const STORAGE_FULL_MESSAGE =
  "The browser's storage for AFP Porter is full, so nothing was saved. Delete packages you no longer need " +
  '(or keep fewer) in the toolbar popup, then export again.';

/**
 * Caches a package. The same bytes exported again (same SHA-256) are one entry: the new export takes the old
 * entry's place with its bytes and its list of export times, under the new id. Everything happens in one
 * transaction (the caller's, if any), so a package is either fully cached or not at all; a full quota rejects
 * with a JobError 'STORAGE_FULL' and leaves nothing behind.
 */
export async function savePackage(db: PorterDatabase, meta: PackageMeta, bytes: Uint8Array): Promise<void> {
  try {
    await db.transaction('rw', db.packages, db.packageBytes, async () => {
      const same = await db.packages.where('sha256').equals(meta.sha256).toArray();
      const earlier = same
        .flatMap((old) => old.exportedAt ?? [old.createdAt])
        .filter((at) => at !== meta.createdAt);
      const kept = same.length > 0 ? await db.packageBytes.get(same[0]!.id) : undefined;
      // Compressing is not IndexedDB work: Dexie.waitFor keeps the transaction open meanwhile.
      const compact: CompactPackage =
        kept?.compact ??
        (await Dexie.waitFor(
          compactModule().then((m): Promise<CompactPackage> => m.compactPackage(bytes, meta.sha256)),
        ));
      await db.packages.bulkDelete(same.map((old) => old.id));
      await db.packageBytes.bulkDelete(same.map((old) => old.id));
      await db.packages.put({
        ...meta,
        exportedAt: [meta.createdAt, ...earlier].sort().reverse(),
        storedSize: compact.data.byteLength,
      });
      await db.packageBytes.put({ id: meta.id, compact });
    });
  } catch (error) {
    if (isQuotaError(error)) throw new JobError('STORAGE_FULL', STORAGE_FULL_MESSAGE);
    throw error;
  }
}

/** Every cached package, newest export first. */
export async function listPackages(db: PorterDatabase): Promise<PackageMeta[]> {
  return db.packages.orderBy('createdAt').reverse().toArray();
}

export async function recentPackages(db: PorterDatabase, limit = 50): Promise<PackageMeta[]> {
  return db.packages.orderBy('createdAt').reverse().limit(limit).toArray();
}

/** The package's zip, byte for byte as it was exported. */
export async function packageBytes(db: PorterDatabase, id: string): Promise<Uint8Array | undefined> {
  const row = await db.packageBytes.get(id);
  if (row?.compact) return (await compactModule()).restoreZip(row.compact);
  return row?.bytes;
}

export async function deletePackage(db: PorterDatabase, id: string): Promise<void> {
  await db.transaction('rw', db.packages, db.packageBytes, async () => {
    await db.packages.delete(id);
    await db.packageBytes.delete(id);
  });
}

/**
 * Compacts the zips saved before version 2, one at a time and each in its own transaction: the compact form
 * is built outside it, and replaces the zip only if the entry is still there and not compacted meanwhile. Stopped half-way, the
 * rest are compacted next time; the zip itself is never lost.
 */
export async function compactLegacyPackages(db: PorterDatabase): Promise<number> {
  const ids = await db.packageBytes.filter((row) => row.compact === undefined).primaryKeys();
  if (ids.length === 0) return 0;
  const { compactPackage } = await compactModule();
  let done = 0;
  for (const id of ids) {
    const [row, meta] = await Promise.all([db.packageBytes.get(id), db.packages.get(id)]);
    if (!row?.bytes || !meta) continue;
    const compact = await compactPackage(row.bytes, meta.sha256);
    const replaced = await db.transaction('rw', db.packages, db.packageBytes, async () => {
      const current = await db.packageBytes.get(id);
      // Compacted meanwhile (another page), or deleted: nothing to do.
      if (!current?.bytes || current.compact || !(await db.packages.get(id))) return false;
      await db.packageBytes.put({ id, compact });
      await db.packages.update(id, { storedSize: compact.data.byteLength });
      return true;
    });
    if (replaced) done++;
  }
  return done;
}

/**
 * How many packages the cache keeps by default; the oldest go first. A package is kept compact (about a tenth of
 * its zip), so a whole account's bulk export of a few hundred workflows fits with room for single exports.
 */
export const CACHE_LIMIT = 1000;
export const CACHE_LIMIT_RANGE = { min: 1, max: 10_000 } as const;
/** Finished jobs are kept this long, so a panel reopened later can still show how an export ended. */
export const JOB_RETENTION_MS = 7 * 24 * 60 * 60 * 1000;

export async function cacheLimit(db: PorterDatabase): Promise<number> {
  return (await db.settings.get('keep'))?.value ?? CACHE_LIMIT;
}

/** Sets how many packages to keep (clamped to {@link CACHE_LIMIT_RANGE}) and lets the oldest go at once. */
export async function setCacheLimit(db: PorterDatabase, keep: number): Promise<number> {
  const value = Math.round(Math.min(CACHE_LIMIT_RANGE.max, Math.max(CACHE_LIMIT_RANGE.min, keep)));
  await db.settings.put({ key: 'keep', value });
  await pruneCache(db);
  return value;
}

export interface CacheUsage {
  packages: number;
  exports: number;
  /** What the cache holds (compact forms, and zips not compacted yet). */
  storedBytes: number;
  /** What the same packages take as zips. */
  zipBytes: number;
}

export function cacheUsage(packages: readonly PackageMeta[]): CacheUsage {
  let storedBytes = 0;
  let zipBytes = 0;
  let exports = 0;
  for (const meta of packages) {
    storedBytes += meta.storedSize ?? meta.size;
    zipBytes += meta.size;
    exports += meta.exportedAt?.length ?? 1;
  }
  return { packages: packages.length, exports, storedBytes, zipBytes };
}

/**
 * The packages a running job still reads (a bulk export makes its archive from them), by id and by SHA-256 (the
 * same bytes exported again meanwhile moved to another entry): never let go meanwhile.
 */
async function packagesInUse(db: PorterDatabase, except?: string): Promise<Set<string>> {
  const running = await db.jobs.where('status').equals('running').primaryKeys();
  const held = new Set<string>();
  for (const jobId of running) {
    if (jobId === except) continue;
    for (const entry of await bulkWorkflowsOf(db, jobId).toArray()) {
      if (entry.packageId) held.add(entry.packageId);
      if (entry.sha256) held.add(entry.sha256);
    }
  }
  return held;
}

export interface PruneResult {
  /** How many packages the library keeps (the user's setting). */
  keep: number;
  /** The packages let go, by id. */
  letGo: string[];
}

/**
 * Lets the oldest packages beyond the setting go (never one a running job still reads; `releasing` is the job
 * that is ending and no longer needs its own), drops old finished jobs, and compacts legacy zips.
 */
export async function pruneCache(
  db: PorterDatabase,
  options: { now?: number; releasing?: string } = {},
): Promise<PruneResult> {
  const keep = await cacheLimit(db);
  const letGo = await db.transaction(
    'rw',
    [db.packages, db.packageBytes, db.jobs, db.bulkWorkflows],
    async () => {
      const inUse = await packagesInUse(db, options.releasing);
      const beyond = await db.packages.orderBy('createdAt').reverse().offset(keep).toArray();
      const stale = beyond
        .filter((meta) => !inUse.has(meta.id) && !inUse.has(meta.sha256))
        .map((meta) => meta.id);
      await db.packages.bulkDelete(stale);
      await db.packageBytes.bulkDelete(stale);
      return stale;
    },
  );
  const cutoff = new Date((options.now ?? Date.now()) - JOB_RETENTION_MS).toISOString();
  await db.transaction('rw', db.jobs, db.bulkWorkflows, async () => {
    const ended = await db.jobs
      .where('updatedAt')
      .below(cutoff)
      .filter((job) => job.status !== 'running')
      .primaryKeys();
    await db.jobs.bulkDelete(ended);
    for (const jobId of ended) await bulkWorkflowsOf(db, jobId).delete();
  });
  // Housekeeping after an export: zips saved by an older version are compacted too.
  await compactLegacyPackages(db);
  return { keep, letGo };
}
