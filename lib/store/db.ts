/**
 * The extension's IndexedDB (Dexie): cached packages and jobs (export, import; their records are in lib/jobs).
 *
 * A package's bytes live in their own table so that listing packages never loads megabytes; both rows are written
 * in one transaction, so a package is either fully cached or not at all. The raw version record is never stored.
 */
import Dexie, { type EntityTable } from 'dexie';
import type { RedactionReport } from '../package/redact';
import type { JobRecord } from '../jobs/records';

export interface PackageMeta {
  id: string;
  origin: string;
  workflowId: string;
  workflowName: string;
  versionId: string;
  versionName: string;
  versionState: string;
  fileName: string;
  size: number;
  sha256: string;
  createdAt: string;
  report: RedactionReport;
}

export interface PackageBytes {
  id: string;
  bytes: Uint8Array;
}

export class PorterDatabase extends Dexie {
  packages!: EntityTable<PackageMeta, 'id'>;
  packageBytes!: EntityTable<PackageBytes, 'id'>;
  jobs!: EntityTable<JobRecord, 'id'>;

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
  }
}

export async function savePackage(db: PorterDatabase, meta: PackageMeta, bytes: Uint8Array): Promise<void> {
  await db.transaction('rw', db.packages, db.packageBytes, async () => {
    await db.packages.put(meta);
    await db.packageBytes.put({ id: meta.id, bytes });
  });
}

export async function recentPackages(db: PorterDatabase, limit = 50): Promise<PackageMeta[]> {
  return db.packages.orderBy('createdAt').reverse().limit(limit).toArray();
}

export async function packageBytes(db: PorterDatabase, id: string): Promise<Uint8Array | undefined> {
  return (await db.packageBytes.get(id))?.bytes;
}

/** How many packages the cache keeps; the oldest go first. */
export const CACHE_LIMIT = 100;
/** Finished jobs are kept this long, so a panel reopened later can still show how an export ended. */
export const JOB_RETENTION_MS = 7 * 24 * 60 * 60 * 1000;

export async function pruneCache(db: PorterDatabase, now = Date.now()): Promise<void> {
  const stale = await db.packages.orderBy('createdAt').reverse().offset(CACHE_LIMIT).primaryKeys();
  await db.transaction('rw', db.packages, db.packageBytes, async () => {
    await db.packages.bulkDelete(stale);
    await db.packageBytes.bulkDelete(stale);
  });
  const cutoff = new Date(now - JOB_RETENTION_MS).toISOString();
  await db.jobs
    .where('updatedAt')
    .below(cutoff)
    .filter((job) => job.status !== 'running')
    .delete();
}
