import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PorterDatabase, packageBytes } from '../../../lib/store/db';
import {
  cancelExport,
  cancelExportsOfClosedTab,
  confirmExport,
  currentExport,
  RECENT_RESULT_MS,
  resumeExportJobs,
  runExportJob,
  startExport,
  type ExportDeps,
} from '../../../lib/jobs/export-job';
import type { JobSnapshot } from '../../../lib/protocol';
import { isAnyJobRunning } from '../../../lib/jobs/runner';
import type { ExportJobRecord } from '../../../lib/jobs/records';
import type { PlatformClient } from '../../../lib/platform/types';
import { PlatformError } from '../../../lib/platform/errors';
import { readPackageZip } from '../../../lib/package/zip-read';
import { rawRecord, SECRET_TOKEN } from './raw-record';
import { LARGE_FLOW_NODES } from '../../../lib/package/graph';

/** The small record with its flow grown past what is laid out at export. */
function largeFlowRecord() {
  const record = rawRecord();
  const [first] = record.flow.nodes;
  const count = LARGE_FLOW_NODES + 1;
  record.flow.nodes = Array.from({ length: count }, (_, i) => ({
    ...first!,
    id: `n${i + 1}`,
    name: `Step${i + 1}`,
    connections: { onSuccess: i + 1 < count ? [`n${i + 2}`] : [], onFailure: [] },
  }));
  return record;
}

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

let db: PorterDatabase;
let updates: JobSnapshot[];
let downloads: { packageId: string; fileName: string }[];

function makeDeps(getVersionRecord: PlatformClient['getVersionRecord']): ExportDeps {
  const client = { getVersionRecord } as PlatformClient;
  return {
    db,
    clientFor: () => client,
    downloads: {
      async download(packageId, fileName) {
        downloads.push({ packageId, fileName });
        // As a browser does when the name is already taken in the downloads folder.
        const taken = downloads.filter((d) => d.fileName === fileName).length - 1;
        return {
          downloadId: downloads.length,
          savedAs: taken ? fileName.replace(/\.zip$/, ` (${taken}).zip`) : fileName,
        };
      },
    },
    notify: (job) => updates.push(job),
    fingerprintKey: async () => 'test-installation-key',
  };
}

/** The job as stored once it ended and the panel was told so. */
async function finished(jobId: string) {
  for (let i = 0; i < 2000; i++) {
    const job = (await db.jobs.get(jobId)) as ExportJobRecord | undefined;
    const told = updates.some((u) => u.id === jobId && u.status === job?.status);
    if (job && job.status !== 'running' && told) return job;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error('job did not finish');
}

const request = { origin: 'https://process.kore.ai', tabId: 7, workflowId: 'a-1', versionId: 'cf-1' };

/** Starts an export and answers the dependency check with "Yes, I will take care" at once. */
async function exportConfirmed(deps: ExportDeps) {
  const snapshot = await startExport(deps, request);
  await confirmExport(deps, snapshot.id);
  return snapshot;
}

async function until(condition: () => boolean | Promise<boolean>) {
  for (let i = 0; i < 2000 && !(await condition()); i++)
    await new Promise((resolve) => setTimeout(resolve, 10));
}

beforeEach(() => {
  db = new PorterDatabase(`test-${Math.random()}`);
  updates = [];
  downloads = [];
});
afterEach(async () => {
  // A job may still be writing its last step after a test saw what it needed.
  await until(() => !isAnyJobRunning());
  await db.delete();
});

describe('export job', () => {
  it('goes through every step, caches the redacted package and downloads it under the workflow name', async () => {
    const snapshot = await exportConfirmed(makeDeps(async () => rawRecord()));
    const job = await finished(snapshot.id);
    expect(job.status).toBe('succeeded');
    expect(updates.map((u) => u.step)).toEqual(
      expect.arrayContaining(['fetch', 'validate', 'redact', 'zip', 'save', 'download']),
    );
    expect(updates.at(-1)?.result).toMatchObject({ fileName: 'Banking Assistant.zip' });
    expect(downloads).toEqual([{ packageId: job.packageId, fileName: 'Banking Assistant.zip' }]);

    const meta = await db.packages.get(job.packageId!);
    const bytes = (await packageBytes(db, job.packageId!))!;
    expect(meta).toMatchObject({
      workflowName: 'Banking Assistant',
      versionName: 'v2',
      size: bytes.byteLength,
    });
    expect(meta!.sha256).toMatch(/^[0-9a-f]{64}$/);
    const text = new TextDecoder().decode(bytes);
    expect(text).not.toContain(SECRET_TOKEN);
    expect(JSON.stringify(meta)).not.toContain(SECRET_TOKEN);
    expect(readPackageZip(bytes).content.app.workflow.name).toBe('Banking Assistant');
  });

  it('gets the download ready while the version is still being read', async () => {
    const gate = deferred<unknown>();
    const events: string[] = [];
    const deps = makeDeps(() => {
      events.push('fetch');
      return gate.promise;
    });
    deps.downloads.prepare = () => events.push('prepare');
    const snapshot = await startExport(deps, request);
    await until(() => events.includes('fetch'));
    expect(events).toEqual(['prepare', 'fetch']);
    await cancelExport(deps, snapshot.id);
    gate.resolve(rawRecord());
  });

  it('reports success when the download is done even if tidying the cache fails', async () => {
    const deps = makeDeps(async () => rawRecord());
    db.packages.orderBy = () => {
      throw new Error('cache index unavailable');
    };
    const job = await finished((await exportConfirmed(deps)).id);
    expect(job.status).toBe('succeeded');
    expect(downloads).toHaveLength(1);
    expect(updates.at(-1)?.status).toBe('succeeded');
  });

  it('lays a large flow out for the viewer once the export has succeeded, and only then', async () => {
    const deps = makeDeps(async () => largeFlowRecord());
    const laidOut: { packageId: string; statusThen: string | undefined }[] = [];
    deps.layOutAhead = (packageId) => laidOut.push({ packageId, statusThen: updates.at(-1)?.status });
    const job = await finished((await exportConfirmed(deps)).id);
    expect(job.error).toBeUndefined();
    expect(laidOut).toEqual([{ packageId: job.packageId, statusThen: 'succeeded' }]);

    const cancelled = await startExport(deps, { ...request, versionId: 'cf-2' });
    await until(() => updates.some((u) => u.id === cancelled.id && u.dependencies));
    await cancelExport(deps, cancelled.id);
    await runExportJob(deps, cancelled.id);
    expect(laidOut).toHaveLength(1);
  });

  it('does not lay a small flow out at export: the viewer does it in well under a second', async () => {
    const deps = makeDeps(async () => rawRecord());
    const laidOut: string[] = [];
    deps.layOutAhead = (packageId) => laidOut.push(packageId);
    const job = await finished((await exportConfirmed(deps)).id);
    expect(job.status).toBe('succeeded');
    expect(laidOut).toEqual([]);
  });

  it('names the file the browser really saved when the name was already taken', async () => {
    const deps = makeDeps(async () => rawRecord());
    await finished((await exportConfirmed(deps)).id);
    const again = await exportConfirmed(deps);
    await finished(again.id);
    expect(updates.at(-1)?.result?.fileName).toBe('Banking Assistant (1).zip');
    expect(downloads.map((d) => d.fileName)).toEqual(['Banking Assistant.zip', 'Banking Assistant.zip']);
  });

  it('never runs two exports of the same version at once', async () => {
    const gate = deferred<unknown>();
    const deps = makeDeps(() => gate.promise);
    const first = await startExport(deps, request);
    const second = await startExport(deps, request);
    expect(second.id).toBe(first.id);
    await confirmExport(deps, first.id);
    gate.resolve(rawRecord());
    await finished(first.id);
    expect(await db.packages.count()).toBe(1);
    expect(downloads).toHaveLength(1);
  });

  it('ends with the cause when the session expired, and saves nothing', async () => {
    const snapshot = await startExport(
      makeDeps(async () => {
        throw new PlatformError('UNAUTHENTICATED', 'expired', { status: 401 });
      }),
      request,
    );
    const job = await finished(snapshot.id);
    expect(job.status).toBe('failed');
    expect(job.error).toMatchObject({ code: 'UNAUTHENTICATED', retryable: false });
    expect(job.error!.message).toMatch(/log in again/i);
    expect(await db.packages.count()).toBe(0);
  });

  it('offers a retry for a platform error', async () => {
    const snapshot = await startExport(
      makeDeps(async () => {
        throw new PlatformError('SERVER', 'boom', { status: 500 });
      }),
      request,
    );
    expect((await finished(snapshot.id)).error).toMatchObject({ code: 'SERVER', retryable: true });
  });

  it('refuses a record it does not understand without saving anything', async () => {
    const snapshot = await startExport(
      makeDeps(async () => ({ workflow: { id: 'x' } })),
      request,
    );
    const job = await finished(snapshot.id);
    expect(job.error?.code).toBe('BAD_RESPONSE');
    expect(await db.packages.count()).toBe(0);
  });

  it('after a worker stop, downloads a package that was saved but not yet downloaded, without a second copy', async () => {
    const deps = makeDeps(async () => rawRecord());
    const snapshot = await exportConfirmed(deps);
    const job = await finished(snapshot.id);
    // Simulate a stop between "saved" and "downloaded".
    await db.jobs.update(job.id, {
      status: 'running',
      step: 'download',
      downloadId: undefined,
    } as Partial<ExportJobRecord>);
    downloads = [];
    await resumeExportJobs(deps);
    expect((await db.jobs.get(job.id))!.status).toBe('succeeded');
    expect(downloads).toHaveLength(1);
    expect(await db.packages.count()).toBe(1);
  });

  it('after a worker stop before saving, restarts once and then gives up with a clear error', async () => {
    const deps = makeDeps(async () => rawRecord());
    const id = 'stopped-job';
    const now = new Date().toISOString();
    await db.jobs.add({
      id,
      kind: 'export',
      key: 'k',
      ...request,
      step: 'redact',
      status: 'running',
      confirmed: true,
      attempts: 1,
      createdAt: now,
      updatedAt: now,
    });
    await resumeExportJobs(deps);
    expect((await db.jobs.get(id))!.status).toBe('succeeded');

    await db.jobs.add({
      id: 'twice',
      kind: 'export',
      key: 'k2',
      ...request,
      step: 'zip',
      status: 'running',
      confirmed: true,
      attempts: 2,
      createdAt: now,
      updatedAt: now,
    });
    await resumeExportJobs(deps);
    const ended = await db.jobs.get('twice');
    expect(ended!.status).toBe('failed');
    expect(ended!.error!.message).toMatch(/interrupted/i);
  });

  it('runs a job only once even when asked twice', async () => {
    const deps = makeDeps(async () => rawRecord());
    const snapshot = await exportConfirmed(deps);
    await Promise.all([runExportJob(deps, snapshot.id), runExportJob(deps, snapshot.id)]);
    expect(downloads).toHaveLength(1);
  });

  it('shows the dependencies and saves nothing until the user confirms', async () => {
    const deps = makeDeps(async () => rawRecord());
    const snapshot = await startExport(deps, request);
    expect(snapshot.confirmed).toBe(false);
    await until(() => updates.some((u) => u.step === 'zip'));
    const asked = updates.find((u) => u.dependencies)!;
    expect(asked.dependencies).toEqual([
      { kind: 'model', name: 'gpt-4o' },
      { kind: 'guardrail', name: 'Toxicity' },
    ]);
    expect(asked.confirmed).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect((await db.jobs.get(snapshot.id))!.status).toBe('running');
    expect(await db.packages.count()).toBe(0);
    expect(downloads).toHaveLength(0);

    await confirmExport(deps, snapshot.id);
    expect((await finished(snapshot.id)).status).toBe('succeeded');
    expect(downloads).toHaveLength(1);
  });

  it('"Let me check" cancels: nothing saved, nothing downloaded, and a new export may start', async () => {
    const deps = makeDeps(async () => rawRecord());
    const snapshot = await startExport(deps, request);
    await until(() => updates.some((u) => u.dependencies));
    await cancelExport(deps, snapshot.id);
    await runExportJob(deps, snapshot.id);
    expect((await db.jobs.get(snapshot.id))!.status).toBe('cancelled');
    expect(await db.packages.count()).toBe(0);
    expect(downloads).toHaveLength(0);
    const again = await startExport(deps, request);
    expect(again.id).not.toBe(snapshot.id);
    await cancelExport(deps, again.id);
    await runExportJob(deps, again.id);
  });

  it("finds the export a panel coming back to the page should show: this tab's, running or just ended", async () => {
    const deps = makeDeps(async () => rawRecord());
    const where = { origin: request.origin, tabId: 7, workflowId: 'a-1' };
    expect(await currentExport(deps, where)).toBeNull();
    const snapshot = await startExport(deps, request);
    expect((await currentExport(deps, where))?.id).toBe(snapshot.id);
    expect(await currentExport(deps, { ...where, tabId: 8 })).toBeNull();
    expect(await currentExport(deps, { ...where, workflowId: 'a-2' })).toBeNull();
    await confirmExport(deps, snapshot.id);
    await finished(snapshot.id);
    const ended = await currentExport(deps, where);
    expect(ended).toMatchObject({
      id: snapshot.id,
      status: 'succeeded',
      result: { fileName: 'Banking Assistant.zip' },
    });
    // A result from long ago is not brought back.
    expect(await currentExport(deps, where, Date.now() + RECENT_RESULT_MS + 1000)).toBeNull();
  });

  it('a second tab asking for the same export shares it: both are told of every step, and of a cancel', async () => {
    const told: { tabId: number | null; status: string; step: string }[] = [];
    const deps: ExportDeps = {
      ...makeDeps(async () => rawRecord()),
      notify: (job, tabId) => {
        updates.push(job);
        told.push({ tabId, status: job.status, step: job.step });
      },
    };
    const first = await startExport(deps, request);
    const second = await startExport(deps, { ...request, tabId: 8 });
    expect(second.id).toBe(first.id);
    await until(() => told.some((t) => t.tabId === 8 && t.step === 'zip'));
    expect(told.filter((t) => t.step === 'zip').map((t) => t.tabId)).toEqual([7, 8]);
    // "Let me check" in one tab: the other stops showing the check too.
    await cancelExport(deps, second.id);
    expect(told.filter((t) => t.status === 'cancelled').map((t) => t.tabId)).toEqual([7, 8]);
    // And a panel coming back in the second tab finds the shared export.
    expect((await currentExport(deps, { origin: request.origin, tabId: 8, workflowId: 'a-1' }))?.id).toBe(
      first.id,
    );
  });

  it('closing the tab during the check cancels its export, and only that one', async () => {
    const deps = makeDeps(async () => rawRecord());
    const closing = await startExport(deps, request);
    const other = await startExport(deps, { ...request, tabId: 8, versionId: 'cf-9' });
    await until(() => updates.filter((u) => u.dependencies).length >= 2);
    await cancelExportsOfClosedTab(deps, 7);
    await runExportJob(deps, closing.id);
    expect((await db.jobs.get(closing.id))!.status).toBe('cancelled');
    expect((await db.jobs.get(other.id))!.status).toBe('running');
    await cancelExport(deps, other.id);
    expect(downloads).toHaveLength(0);
  });

  it('a cancel that arrives while the version is still being read is honoured', async () => {
    const gate = deferred<unknown>();
    const deps = makeDeps(() => gate.promise);
    const snapshot = await startExport(deps, request);
    await cancelExport(deps, snapshot.id);
    gate.resolve(rawRecord());
    await runExportJob(deps, snapshot.id);
    expect((await db.jobs.get(snapshot.id))!.status).toBe('cancelled');
    expect(await db.packages.count()).toBe(0);
  });

  it('goes straight on when the version needs nothing from the target account', async () => {
    const record = rawRecord();
    (record.flow.nodes[2]!.config as Record<string, unknown>).model = null;
    record.app.guardrails = { inputScanners: [], outputScanners: [] };
    const snapshot = await startExport(
      makeDeps(async () => record),
      request,
    );
    expect((await finished(snapshot.id)).status).toBe('succeeded');
    expect(updates.find((u) => u.dependencies)?.dependencies).toEqual([]);
  });
});
