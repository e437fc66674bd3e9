import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import Dexie from 'dexie';
import {
  CACHE_LIMIT,
  PorterDatabase,
  bulkWorkflowsOf,
  STORAGE_FULL_MESSAGE,
  cacheLimit,
  cacheUsage,
  compactLegacyPackages,
  deletePackage,
  listPackages,
  packageBytes,
  pruneCache,
  savePackage,
  setCacheLimit,
  type PackageMeta,
} from '../../../lib/store/db';
import { sha256Hex } from '../../../lib/store/compact';
import type { JobRecord } from '../../../lib/jobs/records';
import { writePackageZip } from '../../../lib/package/zip-write';
import { bankingContent } from '../banking-package';

let db: PorterDatabase;
beforeEach(() => {
  db = new PorterDatabase(`store-${Math.random()}`);
});
afterEach(() => db.delete());

/** A real package zip whose version is named `v<i>`, so each i gives other bytes. */
async function zipOf(i: number): Promise<Uint8Array> {
  const content = bankingContent();
  content.app.version.name = `v${i}`;
  return writePackageZip(content);
}

async function meta(i: number, bytes: Uint8Array, second = i): Promise<PackageMeta> {
  return {
    id: `p${i}-${second}`,
    origin: 'https://process.kore.ai',
    workflowId: 'a-1',
    workflowName: 'Banking Assistant',
    versionId: `cf-${i}`,
    versionName: `v${i}`,
    versionState: 'saved',
    fileName: 'Banking Assistant.zip',
    size: bytes.byteLength,
    sha256: await sha256Hex(bytes),
    createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, second)).toISOString(),
    report: { items: [], variables: [] },
  };
}

async function save(i: number, second = i): Promise<PackageMeta> {
  const bytes = await zipOf(i);
  const m = await meta(i, bytes, second);
  await savePackage(db, m, bytes);
  return m;
}

describe('package cache', () => {
  it('lists every package newest first and gives back the very zip that was saved', async () => {
    await save(1);
    await save(2);
    expect((await listPackages(db)).map((p) => p.versionName)).toEqual(['v2', 'v1']);
    expect(await packageBytes(db, 'p1-1')).toEqual(await zipOf(1));
  });

  it('keeps a package in a third of its zip or less', async () => {
    const saved = await save(1);
    const stored = (await db.packages.get(saved.id))!;
    expect(stored.storedSize).toBeGreaterThan(0);
    expect(stored.storedSize! * 3).toBeLessThanOrEqual(stored.size);
    expect(cacheUsage([stored])).toEqual({
      packages: 1,
      exports: 1,
      storedBytes: stored.storedSize,
      zipBytes: stored.size,
    });
  });

  it('makes identical exports one entry that remembers when each was made', async () => {
    await save(1, 1);
    await save(2, 2);
    const latest = await save(1, 3);
    const list = await listPackages(db);
    expect(list.map((p) => p.id)).toEqual([latest.id, 'p2-2']);
    expect(list[0]!.exportedAt).toEqual([latest.createdAt, '2026-01-01T00:00:01.000Z']);
    expect(await db.packageBytes.count()).toBe(2);
    expect(await packageBytes(db, latest.id)).toEqual(await zipOf(1));
    expect(cacheUsage(list).exports).toBe(3);
  });

  it('deletes a package and its bytes', async () => {
    await save(1);
    await save(2);
    await deletePackage(db, 'p1-1');
    expect((await listPackages(db)).map((p) => p.id)).toEqual(['p2-2']);
    expect(await packageBytes(db, 'p1-1')).toBeUndefined();
  });

  it('keeps a zip another tool wrote whole, byte for byte', async () => {
    const { default: JSZip } = await import('jszip');
    const zip = new JSZip();
    zip.file('app_definition.json', '{"x":1}');
    const bytes = await zip.generateAsync({ type: 'uint8array', compression: 'DEFLATE' });
    const m = { ...(await meta(9, bytes)), sha256: await sha256Hex(bytes) };
    await savePackage(db, m, bytes);
    expect((await db.packageBytes.get(m.id))!.compact!.format).toBe('zip-deflate');
    expect(await packageBytes(db, m.id)).toEqual(bytes);
  });

  it('ends a full quota with a clear error and nothing half-saved', async () => {
    await save(1);
    const bytes = await zipOf(2);
    const m = await meta(2, bytes);
    vi.spyOn(db.packageBytes, 'put').mockRejectedValueOnce(
      new Dexie.QuotaExceededError('QuotaExceededError'),
    );
    await expect(savePackage(db, m, bytes)).rejects.toMatchObject({
      code: 'STORAGE_FULL',
      message: STORAGE_FULL_MESSAGE,
    });
    expect((await listPackages(db)).map((p) => p.id)).toEqual(['p1-1']);
    expect(await db.packageBytes.count()).toBe(1);
  });

  it('keeps as many packages as the setting says, 1,000 unless changed', async () => {
    expect(await cacheLimit(db)).toBe(CACHE_LIMIT);
    for (let i = 0; i < 5; i++) await save(i);
    expect(await setCacheLimit(db, 3)).toBe(3);
    expect((await listPackages(db)).map((p) => p.versionName)).toEqual(['v4', 'v3', 'v2']);
    expect(await db.packageBytes.count()).toBe(3);
    expect(await setCacheLimit(db, 0)).toBe(1);
  });

  it('drops old finished jobs with their bulk workflows, never a running one', async () => {
    const old = '2026-01-01T00:00:00.000Z';
    const base = {
      key: 'k',
      origin: 'o',
      tabId: null,
      workflowId: 'a',
      versionId: 'v',
      kind: 'export' as const,
      step: 'download' as const,
      confirmed: true,
      attempts: 1,
      createdAt: old,
      updatedAt: old,
    };
    await db.jobs.bulkAdd([
      { ...base, id: 'done', status: 'succeeded' },
      { ...base, id: 'busy', status: 'running' },
      { ...base, id: 'recent', status: 'failed', updatedAt: '2026-03-01T00:00:00.000Z' },
    ]);
    const workflow = { index: 0, workflowId: 'a', name: 'A', state: 'exported' as const };
    await db.bulkWorkflows.bulkAdd([
      { ...workflow, jobId: 'done' },
      { ...workflow, jobId: 'busy' },
    ]);
    await pruneCache(db, { now: Date.parse('2026-03-02T00:00:00.000Z') });
    expect((await db.jobs.toArray()).map((j) => j.id).sort()).toEqual(['busy', 'recent']);
    expect((await db.bulkWorkflows.toArray()).map((row) => row.jobId)).toEqual(['busy']);
  });
});

describe('a running bulk export’s packages', () => {
  /** A running bulk export whose archive is still to be made from these cached packages. */
  async function bulkJobReading(id: string, packageIds: string[]) {
    const now = new Date().toISOString();
    await db.jobs.add({
      id,
      kind: 'bulk-export',
      key: id,
      origin: 'https://process.kore.ai',
      tabId: null,
      step: 'export',
      status: 'running',
      confirmed: true,
      attempts: 1,
      createdAt: now,
      updatedAt: now,
    } as unknown as JobRecord);
    await db.bulkWorkflows.bulkAdd(
      packageIds.map((packageId, index) => ({
        jobId: id,
        index,
        workflowId: packageId,
        name: packageId,
        state: 'exported',
        packageId,
      })),
    );
  }

  it('are never let go while it runs, whatever the setting; the rest beyond it go, oldest first', async () => {
    for (let i = 0; i < 6; i++) await save(i);
    await bulkJobReading('bulk-1', ['p0-0', 'p1-1']);
    await db.settings.put({ key: 'keep', value: 2 });
    // A single export ends (its own prune) while the bulk export is still making its archive.
    const pruned = await pruneCache(db);
    expect(pruned).toEqual({ keep: 2, letGo: ['p3-3', 'p2-2'] });
    expect((await listPackages(db)).map((p) => p.id)).toEqual(['p5-5', 'p4-4', 'p1-1', 'p0-0']);
    expect(await packageBytes(db, 'p0-0')).toEqual(await zipOf(0));
  });

  it('go back to the setting once it ends, and the prune says which went', async () => {
    for (let i = 0; i < 4; i++) await save(i);
    await bulkJobReading('bulk-1', ['p0-0', 'p1-1', 'p2-2', 'p3-3']);
    await bulkJobReading('bulk-2', ['p0-0']);
    await db.settings.put({ key: 'keep', value: 1 });
    // bulk-1 ends; bulk-2 still needs its package.
    expect(await pruneCache(db, { releasing: 'bulk-1' })).toEqual({ keep: 1, letGo: ['p2-2', 'p1-1'] });
    expect((await listPackages(db)).map((p) => p.id)).toEqual(['p3-3', 'p0-0']);
    expect(await db.packageBytes.count()).toBe(2);
  });

  it('exported again on its own meanwhile (a new entry, same bytes), a package is still kept for it', async () => {
    for (let i = 0; i < 4; i++) await save(i);
    const held = (await db.packages.get('p0-0'))!;
    await db.jobs.add({
      id: 'bulk-1',
      kind: 'bulk-export',
      key: 'bulk-1',
      status: 'running',
      updatedAt: new Date().toISOString(),
    } as unknown as JobRecord);
    await db.bulkWorkflows.add({
      jobId: 'bulk-1',
      index: 0,
      workflowId: held.workflowId,
      name: held.workflowName,
      state: 'exported',
      packageId: held.id,
      sha256: held.sha256,
    });
    // The same bytes saved again (older than the rest, so beyond the setting): their entry takes p0-0's place.
    await savePackage(db, { ...held, id: 'again', createdAt: '2025-12-31T00:00:00.000Z' }, await zipOf(0));
    await db.settings.put({ key: 'keep', value: 2 });
    expect((await pruneCache(db)).letGo).toEqual(['p1-1']);
    expect(await packageBytes(db, 'again')).toEqual(await zipOf(0));
  });

  it('a bulk export of 200 keeps all 200 with the default setting', async () => {
    const bytes = await zipOf(0);
    const base = await meta(0, bytes);
    await db.packages.bulkPut(
      Array.from({ length: 200 }, (_, i) => ({
        ...base,
        id: `bulk-${i}`,
        sha256: `${i}`,
        createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString(),
      })),
    );
    expect(await pruneCache(db)).toEqual({ keep: CACHE_LIMIT, letGo: [] });
    expect(await db.packages.count()).toBe(200);
  });
});

/** A library as version 1, 3 or 4 of the extension left it (the tables each version had). */
function legacyDatabase(version: 1 | 3 | 4): { name: string; legacy: Dexie } {
  const name = `legacy-${Math.random()}`;
  const legacy = new Dexie(name);
  legacy.version(version).stores({
    packages: 'id, createdAt, [origin+workflowId], sha256',
    packageBytes: 'id',
    ...(version === 1
      ? { jobs: 'id, key, status, updatedAt' }
      : { jobs: 'id, key, status, updatedAt, kind', settings: 'key' }),
    ...(version === 4 && { archiveChunks: '[jobId+index]' }),
  });
  return { name, legacy };
}

describe('upgrade from version 1', () => {
  it('merges identical packages and compacts their zips, each still downloadable as it was', async () => {
    const { name, legacy } = legacyDatabase(1);
    const one = await zipOf(1);
    const two = await zipOf(2);
    const rows = [await meta(1, one, 1), await meta(1, one, 5), await meta(2, two, 3)];
    await legacy.table('packages').bulkPut(rows);
    await legacy.table('packageBytes').bulkPut([
      { id: rows[0]!.id, bytes: one },
      { id: rows[1]!.id, bytes: one },
      { id: rows[2]!.id, bytes: two },
    ]);
    legacy.close();

    const upgraded = new PorterDatabase(name);
    try {
      const list = await listPackages(upgraded);
      expect(list.map((p) => [p.id, p.exportedAt])).toEqual([
        ['p1-5', ['2026-01-01T00:00:05.000Z', '2026-01-01T00:00:01.000Z']],
        ['p2-3', ['2026-01-01T00:00:03.000Z']],
      ]);
      // Readable before compaction, and identical after it.
      expect(await packageBytes(upgraded, 'p1-5')).toEqual(one);
      expect(await compactLegacyPackages(upgraded)).toBe(2);
      expect(await compactLegacyPackages(upgraded)).toBe(0);
      expect(await packageBytes(upgraded, 'p1-5')).toEqual(one);
      expect(await packageBytes(upgraded, 'p2-3')).toEqual(two);
      expect((await upgraded.packageBytes.get('p2-3'))!.bytes).toBeUndefined();
    } finally {
      await upgraded.delete();
    }
  });
});

describe('upgrade from version 3', () => {
  it('lets go of a bulk archive an earlier version left whole, and keeps every package', async () => {
    const { name, legacy } = legacyDatabase(3);
    const one = await zipOf(1);
    const row = await meta(1, one, 1);
    await legacy.table('packages').put(row);
    await legacy.table('packageBytes').bulkPut([
      { id: row.id, bytes: one },
      { id: 'bulk-archive-job-1', bytes: new Blob([one as BlobPart]) },
    ]);
    legacy.close();

    const upgraded = new PorterDatabase(name);
    try {
      expect((await upgraded.packageBytes.toCollection().primaryKeys()).sort()).toEqual([row.id]);
      expect(await packageBytes(upgraded, row.id)).toEqual(one);
    } finally {
      await upgraded.delete();
    }
  });
});

describe('upgrade from version 4', () => {
  it('moves a bulk export’s list of workflows out of its record into a row each, in order', async () => {
    const { name, legacy } = legacyDatabase(4);
    const workflows = [
      { workflowId: 'w1', name: 'One', state: 'exported', packageId: 'p1', sha256: 'h1' },
      { workflowId: 'w2', name: 'Two', state: 'exporting' },
    ];
    await legacy.table('jobs').bulkPut([
      { id: 'bulk-1', kind: 'bulk-export', key: 'b', status: 'running', updatedAt: 'x', workflows },
      { id: 'single', kind: 'export', key: 's', status: 'succeeded', updatedAt: 'x' },
    ]);
    legacy.close();

    const upgraded = new PorterDatabase(name);
    try {
      // The one being exported when the worker stopped was never saved: it goes again.
      expect(await bulkWorkflowsOf(upgraded, 'bulk-1').toArray()).toEqual([
        { ...workflows[0], jobId: 'bulk-1', index: 0 },
        { ...workflows[1], state: 'queued', jobId: 'bulk-1', index: 1 },
      ]);
      expect(await upgraded.jobs.get('bulk-1')).not.toHaveProperty('workflows');
      expect(await upgraded.jobs.get('single')).toMatchObject({ kind: 'export' });
    } finally {
      await upgraded.delete();
    }
  });
});
