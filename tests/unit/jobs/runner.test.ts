import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PorterDatabase } from '../../../lib/store/db';
import {
  cancelJob,
  confirmJob,
  isAnyJobRunning,
  resumeJobs,
  runJob,
  startJob,
  type JobHost,
  type JobKind,
} from '../../../lib/jobs/runner';
import type { BaseJobRecord, JobRecord } from '../../../lib/jobs/records';
import { JobError } from '../../../lib/jobs/errors';

/** A kind made for this test: two steps, a confirmation between them, and a slow request it may be cancelled in. */
interface ToyJob extends BaseJobRecord {
  kind: 'toy';
  done?: string[];
}

let db: PorterDatabase;
let told: { status: string; step: string; tabId: number | null }[];
let sideEffects: string[];
let gate: { promise: Promise<void>; open: () => void };

function makeGate() {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

const toy: JobKind<ToyJob, ToyJob> = {
  kind: 'toy',
  async run(context) {
    await context.advance({ step: 'request' });
    await Promise.race([
      gate.promise,
      new Promise((_, reject) =>
        context.signal.addEventListener('abort', () => reject(new Error('aborted')), { once: true }),
      ),
    ]);
    sideEffects.push('request done');
    if ((await context.confirmation()) === 'cancelled') return context.advance({ status: 'cancelled' });
    await context.advance({ step: 'write' });
    sideEffects.push('written');
    await context.advance({ status: 'succeeded' });
  },
  snapshot: async (_db, job) => job,
  canCancel: (job) => !job.confirmed,
  resume: (job) =>
    job.step === 'write'
      ? { end: 'failed', error: new JobError('INTERRUPTED', 'Stopped while writing.') }
      : { run: { attempts: job.attempts + 1, step: 'start' } },
};

const host = (): JobHost<ToyJob, ToyJob> => ({
  db,
  spec: toy,
  notify: (job, tabId) => told.push({ status: job.status, step: job.step, tabId }),
});

async function settled() {
  for (let i = 0; i < 500 && isAnyJobRunning(); i++) await new Promise((r) => setTimeout(r, 5));
}

const record = { key: 'k', origin: 'https://process.kore.ai', tabId: 1, step: 'start' };

beforeEach(() => {
  db = new PorterDatabase(`runner-${Math.random()}`);
  told = [];
  sideEffects = [];
  gate = makeGate();
});
afterEach(async () => {
  gate.open();
  await settled();
  await db.delete();
});

describe('job runner', () => {
  it('waits for the confirmation, then finishes and tells the tab of every step', async () => {
    const job = await startJob(host(), record);
    gate.open();
    await confirmJob(host(), job.id);
    await settled();
    expect((await db.jobs.get(job.id))?.status).toBe('succeeded');
    expect(sideEffects).toEqual(['request done', 'written']);
    expect(told.map((t) => `${t.step}:${t.status}`)).toEqual([
      'request:running',
      'write:running',
      'write:succeeded',
    ]);
  });

  it('a cancel during a slow request stops it at once: nothing after it runs, and the job stays cancelled', async () => {
    const job = await startJob(host(), record);
    await new Promise((r) => setTimeout(r, 20));
    await cancelJob(host(), job.id);
    await settled();
    expect((await db.jobs.get(job.id))?.status).toBe('cancelled');
    expect(sideEffects).toEqual([]);
    expect(told.at(-1)?.status).toBe('cancelled');
  });

  it('a second start under the same key joins the running job and tells both tabs', async () => {
    const first = await startJob(host(), record);
    const second = await startJob(host(), { ...record, tabId: 2 });
    expect(second.id).toBe(first.id);
    gate.open();
    await confirmJob(host(), first.id);
    await settled();
    expect(told.filter((t) => t.status === 'succeeded').map((t) => t.tabId)).toEqual([1, 2]);
    expect(await db.jobs.count()).toBe(1);
  });

  it('after a worker stop, goes on or ends each job as its kind says, and never runs one twice', async () => {
    const now = new Date().toISOString();
    const base = {
      ...record,
      kind: 'toy',
      status: 'running',
      confirmed: true,
      attempts: 1,
      createdAt: now,
      updatedAt: now,
    };
    await db.jobs.bulkAdd([
      { ...base, id: 'again', key: 'a' },
      { ...base, id: 'late', key: 'b', step: 'write' },
    ] as unknown as JobRecord[]);
    gate.open();
    await Promise.all([resumeJobs(host()), resumeJobs(host())]);
    await runJob(host(), 'again');
    await settled();
    expect(await db.jobs.get('again')).toMatchObject({ status: 'succeeded', attempts: 2 });
    expect(await db.jobs.get('late')).toMatchObject({
      status: 'failed',
      error: { message: 'Stopped while writing.' },
    });
    expect(sideEffects).toEqual(['request done', 'written']);
  });

  it('a job nobody confirmed for too long is cancelled on resume, and jobs of another kind are left alone', async () => {
    const old = new Date(Date.now() - 11 * 60 * 1000).toISOString();
    const base = {
      ...record,
      status: 'running',
      confirmed: false,
      attempts: 1,
      createdAt: old,
      updatedAt: old,
    };
    await db.jobs.bulkAdd([
      { ...base, id: 'stale', kind: 'toy' },
      { ...base, id: 'other', kind: 'export', key: 'x' },
    ] as unknown as JobRecord[]);
    await resumeJobs(host());
    expect((await db.jobs.get('stale'))?.status).toBe('cancelled');
    expect((await db.jobs.get('other'))?.status).toBe('running');
  });
});
