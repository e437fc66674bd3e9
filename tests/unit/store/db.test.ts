import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  CACHE_LIMIT,
  PorterDatabase,
  packageBytes,
  pruneCache,
  recentPackages,
  savePackage,
  type PackageMeta,
} from '../../../lib/store/db';

let db: PorterDatabase;
beforeEach(() => {
  db = new PorterDatabase(`store-${Math.random()}`);
});
afterEach(() => db.delete());

function meta(i: number): PackageMeta {
  return {
    id: `p${i}`,
    origin: 'https://process.kore.ai',
    workflowId: 'a-1',
    workflowName: 'Banking Assistant',
    versionId: 'cf-1',
    versionName: 'v1',
    versionState: 'saved',
    fileName: 'Banking Assistant.zip',
    size: 3,
    sha256: 'ab'.repeat(32),
    createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString(),
    report: { items: [] } as unknown as PackageMeta['report'],
  };
}

describe('package cache', () => {
  it('keeps metadata and bytes together, newest first', async () => {
    await savePackage(db, meta(1), new Uint8Array([1, 2, 3]));
    await savePackage(db, meta(2), new Uint8Array([4, 5, 6]));
    expect((await recentPackages(db)).map((p) => p.id)).toEqual(['p2', 'p1']);
    expect(Array.from((await packageBytes(db, 'p1'))!)).toEqual([1, 2, 3]);
  });

  it('drops the oldest packages beyond the limit and old finished jobs, never a running one', async () => {
    for (let i = 0; i < CACHE_LIMIT + 3; i++) await savePackage(db, meta(i), new Uint8Array([i % 255]));
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
    await pruneCache(db, Date.parse('2026-03-02T00:00:00.000Z'));
    expect(await db.packages.count()).toBe(CACHE_LIMIT);
    expect(await db.packageBytes.count()).toBe(CACHE_LIMIT);
    expect(await db.packages.get('p0')).toBeUndefined();
    expect(await db.packages.get(`p${CACHE_LIMIT + 2}`)).toBeDefined();
    expect((await db.jobs.toArray()).map((j) => j.id).sort()).toEqual(['busy', 'recent']);
  });
});
