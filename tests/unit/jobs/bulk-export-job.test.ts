import { unzipSync } from 'fflate';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { BulkIndex } from '../../../lib/bulk/archive';
import {
  cancelBulkExport,
  resumeBulkExports,
  startBulkExport,
  type BulkDeps,
  type BulkExportJobRecord,
} from '../../../lib/jobs/bulk-export-job';
import { isAnyJobRunning } from '../../../lib/jobs/runner';
import type { PlatformClient } from '../../../lib/platform/types';
import type { BulkSnapshot } from '../../../lib/protocol';
import type { JobRecord } from '../../../lib/jobs/records';
import { bulkWorkflowsOf, PorterDatabase, packageBytes, savePackage } from '../../../lib/store/db';
import { downloadBlob } from '../../../lib/store/download-blob';
import { generatedWorkflowPlan } from '../../sandbox/scale';
import { startSandbox, type SandboxHandle } from '../../sandbox/server';
import { clearFaults, sessionFor, setFaults, WORKFLOWS } from '../platform/sandbox-fixture';

let sandbox: SandboxHandle;
let db: PorterDatabase;
let updates: BulkSnapshot[];
let downloaded: Array<{ fileName: string; bytes: Uint8Array }>;
let fetched: string[];

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, jobDelayMs: 5, workflows: 20 });
});
afterAll(() => sandbox.close());
beforeEach(() => {
  db = new PorterDatabase(`bulk-${Math.random()}`);
  updates = [];
  downloaded = [];
  fetched = [];
});
afterEach(async () => {
  for (let i = 0; i < 500 && isAnyJobRunning(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  await clearFaults(sandbox.url);
  await db.delete();
});

/** The user's session, counting every version record read (an export's own fetch). */
function counting(client: PlatformClient, gate?: (workflowId: string) => Promise<void>): PlatformClient {
  return {
    ...client,
    getWorkflow: (id) => client.getWorkflow(id),
    async getVersionRecord(workflowId, versionId) {
      fetched.push(workflowId);
      await gate?.(workflowId);
      return client.getVersionRecord(workflowId, versionId);
    },
  };
}

function depsFor(client: PlatformClient): BulkDeps {
  return {
    db,
    clientFor: () => client,
    downloads: {
      download: () => Promise.reject(new Error('a bulk export saves its archive, not one package')),
      // As the extension's port does: one Blob made of the archive's stored pieces.
      async downloadArchive(archiveId, fileName) {
        const blob = (await downloadBlob(db, { kind: 'archive', id: archiveId }))!;
        downloaded.push({ fileName, bytes: new Uint8Array(await blob.arrayBuffer()) });
        return { downloadId: downloaded.length, savedAs: fileName };
      },
    },
    notify: (job) => updates.push(job),
    fingerprintKey: async () => 'bulk-job-key',
    now: () => new Date(2026, 11, 2, 8, 0),
  };
}

async function ended(jobId: string): Promise<BulkExportJobRecord> {
  for (let i = 0; i < 3000; i++) {
    const job = (await db.jobs.get(jobId)) as unknown as BulkExportJobRecord | undefined;
    if (job && job.status !== 'running' && !isAnyJobRunning()) return job;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error('the bulk export did not end');
}

/** The workflows as the job stored them, in the list's order. */
const storedWorkflows = (jobId: string) => bulkWorkflowsOf(db, jobId).toArray();

const ids = (...indexes: number[]) => indexes.map((i) => generatedWorkflowPlan(i).id);
const request = (workflowIds: string[]) => ({
  origin: sandbox.url,
  tabId: 3,
  accountName: 'Sandbox Bank',
  workflows: workflowIds.map((workflowId) => ({ workflowId, name: workflowId })),
});

describe('bulk export job', () => {
  it('exports each workflow, caches each package on its own, and downloads one archive of them', async () => {
    const editor = counting(await sessionFor(sandbox.url, 'editor'));
    const workflowIds = [WORKFLOWS.banking.id, ...ids(10, 3), WORKFLOWS.invoice.id];
    const started = await startBulkExport(depsFor(editor), request(workflowIds));
    const job = await ended(started.id);

    expect(job.status).toBe('succeeded');
    const workflows = await storedWorkflows(job.id);
    expect(workflows.map((w) => [w.name, w.state])).toEqual([
      ['Banking Assistant', 'exported'],
      [generatedWorkflowPlan(10).name, 'failed'],
      ['Ops: Intake', 'exported'],
      ['Invoice Triage', 'exported'],
    ]);
    expect(workflows[1]!.error).toMatchObject({ code: 'FORBIDDEN' });
    expect(updates.at(-1)!.workflows.map((w) => w.state)).toEqual(workflows.map((w) => w.state));
    expect(downloaded.map((d) => d.fileName)).toEqual(['Sandbox Bank workflows 2026-12-02.zip']);

    const archive = unzipSync(downloaded[0]!.bytes);
    const packages = await db.packages.toArray();
    expect(packages.map((p) => p.workflowName).sort()).toEqual([
      'Banking Assistant',
      'Invoice Triage',
      'Ops: Intake',
    ]);
    for (const meta of packages) {
      const own = unzipSync((await packageBytes(db, meta.id))!);
      const folder = meta.workflowName === 'Ops: Intake' ? 'Ops - Intake' : meta.workflowName;
      for (const [name, bytes] of Object.entries(own)) expect(archive[`${folder}/${name}`]).toEqual(bytes);
    }
    const index = JSON.parse(new TextDecoder().decode(archive['porter-index.json'])) as BulkIndex;
    expect(index.summary).toMatchObject({ requested: 4, exported: 3, failed: 1 });
    // The archive's pieces go once it is downloaded; the packages stay for the library.
    expect(await db.archiveChunks.count()).toBe(0);
    expect(updates.at(-1)).toMatchObject({
      status: 'succeeded',
      result: { fileName: downloaded[0]!.fileName },
    });
    expect(updates.some((u) => u.workflows.some((w) => w.state === 'exporting'))).toBe(true);
  });

  it('a platform error on one workflow leaves the others exported, and the archive says so', async () => {
    const owner = counting(await sessionFor(sandbox.url, 'owner'));
    const failing = generatedWorkflowPlan(6);
    await setFaults(sandbox.url, [
      { method: 'GET', path: `/api/workflows/${failing.id}/versions/:versionId`, status: 502 },
    ]);
    const job = await ended((await startBulkExport(depsFor(owner), request(ids(5, 6, 7)))).id);
    expect(job.status).toBe('succeeded');
    expect((await storedWorkflows(job.id)).map((w) => w.state)).toEqual(['exported', 'failed', 'exported']);
    const index = JSON.parse(
      new TextDecoder().decode(unzipSync(downloaded[0]!.bytes)['porter-index.json']),
    ) as BulkIndex;
    expect(index.workflows[1]).toMatchObject({
      status: 'failed',
      name: failing.name,
      error: { code: 'SERVER' },
    });
  });

  it('cancel stops it before the archive: nothing downloaded, what was exported stays cached', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const third = generatedWorkflowPlan(9).id;
    const owner = counting(await sessionFor(sandbox.url, 'owner'), (id) =>
      id === third ? held : Promise.resolve(),
    );
    const deps = depsFor(owner);
    const started = await startBulkExport(deps, request(ids(7, 8, 9, 11)));
    for (let i = 0; i < 1000 && (await db.packages.count()) < 2; i++)
      await new Promise((resolve) => setTimeout(resolve, 10));
    const cancelled = await cancelBulkExport(deps, started.id);
    const fetchedAtCancel = [...fetched];
    release();
    expect(cancelled.status).toBe('cancelled');
    const job = await ended(started.id);
    expect(job.status).toBe('cancelled');
    expect(downloaded).toEqual([]);
    expect(await db.packages.count()).toBe(2);
    expect(fetched).toEqual(fetchedAtCancel);
  });

  it('after a worker stop it goes on where it was: no workflow exported twice, none lost', async () => {
    const owner = counting(await sessionFor(sandbox.url, 'owner'));
    const deps = depsFor(owner);
    const workflowIds = ids(1, 2, 3, 4, 5);
    // As a stopped worker leaves it: two exported (and cached), one in flight, two not begun.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const first = counting(owner, (id) => (id === workflowIds[2] ? held : Promise.resolve()));
    const started = await startBulkExport(depsFor(first), request(workflowIds));
    for (let i = 0; i < 1000 && (await db.packages.count()) < 2; i++)
      await new Promise((resolve) => setTimeout(resolve, 10));
    const stored = (await db.jobs.get(started.id)) as unknown as BulkExportJobRecord;
    const workflows = await storedWorkflows(started.id);
    expect(workflows.map((w) => w.state)).toEqual(['exported', 'exported', 'queued', 'queued', 'queued']);
    // The stopped worker's run is gone; its in-flight request never lands.
    await cancelBulkExport(deps, started.id);
    release();
    await ended(started.id);
    await db.jobs.put({ ...stored, status: 'running' } as unknown as JobRecord);
    await db.bulkWorkflows.bulkPut(workflows);
    fetched = [];

    await resumeBulkExports(deps);
    const job = await ended(started.id);
    expect(job.status).toBe('succeeded');
    expect(job.attempts).toBe(2);
    expect(fetched.sort()).toEqual(workflowIds.slice(2).sort());
    const packages = await db.packages.toArray();
    expect(packages.map((p) => p.workflowId).sort()).toEqual([...workflowIds].sort());
    const archive = unzipSync(downloaded[0]!.bytes);
    expect(Object.keys(archive).filter((name) => name.endsWith('/flow_definition.json'))).toHaveLength(5);
  });

  it('stopped while making the archive, it makes it again from the cache: no duplicate, no stray piece', async () => {
    const owner = counting(await sessionFor(sandbox.url, 'owner'));
    const deps = depsFor(owner);
    const done = await ended((await startBulkExport(deps, request(ids(6, 7, 9)))).id);
    const first = downloaded[0]!.bytes;
    // As a worker stopped half-way through the archive leaves it: the step, and pieces of an earlier attempt.
    const { downloadId: _, savedAs: __, ...beforeDownload } = done;
    await db.jobs.put({
      ...beforeDownload,
      status: 'running',
      step: 'archive',
    } as unknown as JobRecord);
    for (let index = 0; index < 3; index++)
      await db.archiveChunks.put({ jobId: done.id, index, blob: new Blob(['a piece of the first attempt']) });
    downloaded = [];
    fetched = [];
    await resumeBulkExports(deps);
    const job = await ended(done.id);
    expect(job.status).toBe('succeeded');
    expect(fetched).toEqual([]);
    expect(downloaded).toHaveLength(1);
    expect(downloaded[0]!.bytes).toEqual(first);
    expect(await db.archiveChunks.count()).toBe(0);
  });

  it('interrupted too often while making the archive, it fails and leaves no piece behind', async () => {
    const deps = depsFor(await sessionFor(sandbox.url, 'owner'));
    const done = await ended((await startBulkExport(deps, request(ids(10)))).id);
    await db.jobs.update(done.id, {
      status: 'running',
      step: 'archive',
      attempts: 5,
    } as unknown as Partial<JobRecord>);
    await db.archiveChunks.put({ jobId: done.id, index: 0, blob: new Blob(['half an archive']) });
    await resumeBulkExports(deps);
    expect((await ended(done.id)).status).toBe('failed');
    expect(await db.archiveChunks.count()).toBe(0);
  });

  it('the same bytes exported again on their own meanwhile: the archive still has that workflow', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const [firstId, , lastId] = ids(11, 7, 8);
    const owner = counting(await sessionFor(sandbox.url, 'owner'), (id) =>
      id === lastId ? held : Promise.resolve(),
    );
    const started = await startBulkExport(depsFor(owner), request(ids(11, 7, 8)));
    for (let i = 0; i < 1000 && (await db.packages.count()) < 2; i++)
      await new Promise((resolve) => setTimeout(resolve, 10));
    // A single export of the first workflow gives the very same bytes: its entry takes the bulk's one's place.
    const bulkEntry = (await db.packages.filter((p) => p.workflowId === firstId).first())!;
    const bytes = (await packageBytes(db, bulkEntry.id))!;
    try {
      await savePackage(
        db,
        { ...bulkEntry, id: 'single-export', createdAt: '2026-12-02T09:00:00.000Z' },
        bytes,
      );
      expect(await db.packages.get(bulkEntry.id)).toBeUndefined();
    } finally {
      release();
    }

    const job = await ended(started.id);
    expect(job.status).toBe('succeeded');
    const archive = unzipSync(downloaded[0]!.bytes);
    const index = JSON.parse(new TextDecoder().decode(archive['porter-index.json'])) as BulkIndex;
    expect(index.summary).toMatchObject({ requested: 3, exported: 3, failed: 0 });
    const own = unzipSync(bytes);
    const folder = index.workflows.find((w) => w.workflowId === firstId);
    expect(folder).toMatchObject({ status: 'exported', package: { sha256: bulkEntry.sha256 } });
    for (const [name, data] of Object.entries(own))
      expect(archive[`${(folder as { folder: string }).folder}/${name}`]).toEqual(data);
  });

  it('a library set to keep fewer than the export: the archive has them all, the summary says what went', async () => {
    // A clock that moves on, so each package has its own export time (newest kept).
    let tick = 0;
    const deps = {
      ...depsFor(await sessionFor(sandbox.url, 'owner')),
      now: () => new Date(2026, 11, 2, 8, 0, tick++),
    };
    // One package from earlier, then a bulk export of four with the library set to keep three.
    await ended((await startBulkExport(deps, request(ids(12)))).id);
    await db.settings.put({ key: 'keep', value: 3 });
    updates = [];
    downloaded = [];
    const job = await ended((await startBulkExport(deps, request(ids(13, 14, 16, 17)))).id);

    expect(job.status).toBe('succeeded');
    const archive = unzipSync(downloaded[0]!.bytes);
    expect(Object.keys(archive).filter((name) => name.endsWith('/flow_definition.json'))).toHaveLength(4);
    expect(updates.at(-1)?.library).toEqual({ keep: 3, ownLetGo: 1, olderLetGo: 1 });
    // The newest three stay: the last three of the export.
    expect((await db.packages.toArray()).map((p) => p.workflowId).sort()).toEqual(ids(14, 16, 17).sort());
  });

  it('marking a workflow writes its own row, never the whole list: as many writes per workflow at 4 as at 12', async () => {
    const owner = await sessionFor(sandbox.url, 'owner');
    /** Rows written per workflow, and how many record updates carried a list of workflows. */
    async function writesFor(count: number) {
      let rows = 0;
      let listsInRecord = 0;
      const row = () => void rows++;
      const record = (changes: object) => void (listsInRecord += 'workflows' in changes ? 1 : 0);
      db.bulkWorkflows.hook('creating', row);
      db.bulkWorkflows.hook('updating', row);
      db.jobs.hook('updating', record);
      try {
        const workflowIds = ids(...Array.from({ length: count }, (_, i) => i + 1));
        const started = await startBulkExport(depsFor(owner), request(workflowIds));
        expect((await ended(started.id)).status).toBe('succeeded');
      } finally {
        db.bulkWorkflows.hook('creating').unsubscribe(row);
        db.bulkWorkflows.hook('updating').unsubscribe(row);
        db.jobs.hook('updating').unsubscribe(record);
      }
      return { rowsPerWorkflow: rows / count, listsInRecord };
    }
    // Queued (at the start), then exported: two each, whatever the number of workflows.
    const four = await writesFor(4);
    expect(four).toEqual({ rowsPerWorkflow: 2, listsInRecord: 0 });
    expect(await writesFor(12)).toEqual(four);
  });

  it('with the default setting every package of the export stays in the library', async () => {
    const owner = await sessionFor(sandbox.url, 'owner');
    const workflowIds = ids(1, 2, 3, 4, 5, 6, 7, 8);
    await ended((await startBulkExport(depsFor(owner), request(workflowIds))).id);
    expect(updates.at(-1)?.library).toEqual({ keep: 1000, ownLetGo: 0, olderLetGo: 0 });
    expect(await db.packages.count()).toBe(workflowIds.length);
  });
});
