/**
 * The one job runner: export, import and whatever comes next are a kind (data plus a `run` over their steps), and
 * this module owns what they share: the record in IndexedDB, telling every tab that shows the job, the user's
 * confirmation, cancel, and going on after the worker was stopped.
 *
 * A job's record is the truth. A run re-reads it before each move and stops quietly once the job was cancelled (by
 * the user, or a closed tab), so a cancel during a slow request never comes back as "running" or "failed". In the
 * worker's memory there is only what can be lost: the run in progress, its abort signal, a pending confirmation.
 */
import type { Table } from 'dexie';
import type { PorterDatabase } from '../store/db';
import type { UiError } from '../protocol';
import type { BaseJobRecord, JobRecord } from './records';
import { JobError, toUiError } from './errors';

/** A job nobody confirms (the tab was closed during the check) is cancelled after this long. */
export const CONFIRMATION_TIMEOUT_MS = 10 * 60 * 1000;
/** How long a finished job is still shown to a view that comes back (after an in-app navigation). */
export const RECENT_RESULT_MS = 2 * 60 * 1000;

export type Decision = 'confirmed' | 'cancelled';

export interface JobContext<R extends BaseJobRecord> {
  /** The record as it stands (updated by `advance`). */
  readonly job: R;
  /** Aborted when the job is cancelled: pass it to requests so they stop at once. */
  readonly signal: AbortSignal;
  /** Saves the changes and tells every tab; stops the run (quietly) when the job was cancelled meanwhile. */
  advance(changes: Partial<R>): Promise<void>;
  /** The user's answer; at once when already confirmed. Times out as a cancel. */
  confirmation(): Promise<Decision>;
}

/** What a job kind brings; the runner does the rest. */
export interface JobKind<R extends BaseJobRecord, S> {
  kind: R['kind'];
  run(context: JobContext<R>): Promise<void>;
  snapshot(db: PorterDatabase, job: R): Promise<S>;
  /** Whether the user may still cancel the job as it stands. */
  canCancel(job: R): boolean;
  /** After a worker stop, for a job that was running: go on (with these changes), or end it so. */
  resume(job: R): { run: Partial<R> } | { end: 'failed' | 'cancelled'; error: JobError };
  /** What the user is told when the run throws; the default covers platform, package and job errors. */
  describeError?(error: unknown, job: R): UiError | undefined;
}

export interface JobHost<R extends BaseJobRecord, S> {
  db: PorterDatabase;
  spec: JobKind<R, S>;
  notify(snapshot: S, tabId: number | null): void;
  now?: () => Date;
}

/** Thrown inside a run once its job was ended from outside; the runner swallows it. */
class JobStopped extends Error {}

const running = new Map<string, Promise<void>>();
const waiters = new Map<string, (decision: Decision) => void>();
const aborts = new Map<string, AbortController>();

const isoNow = (host: { now?: () => Date }) => (host.now ?? (() => new Date()))().toISOString();

export async function requireJob<R extends BaseJobRecord>(
  host: JobHost<R, unknown>,
  jobId: string,
): Promise<R> {
  const job = (await host.db.jobs.get(jobId)) as R | undefined;
  if (!job || job.kind !== host.spec.kind) {
    throw new JobError('NO_SUCH_JOB', `This ${host.spec.kind} is no longer known. Start it again.`);
  }
  return job;
}

export async function snapshotOf<R extends BaseJobRecord, S>(host: JobHost<R, S>, jobId: string): Promise<S> {
  return host.spec.snapshot(host.db, await requireJob(host, jobId));
}

/** Tells every tab showing the job (the one that started it, and any that asked for the same job since). */
async function notifyTabs<R extends BaseJobRecord, S>(host: JobHost<R, S>, job: R): Promise<void> {
  const snapshot = await host.spec.snapshot(host.db, job);
  for (const tabId of [job.tabId, ...(job.watchers ?? [])]) host.notify(snapshot, tabId);
}

/** What a job keeps beside its record (in these tables), written with the record of a job that starts. */
export interface StartedWith<R extends BaseJobRecord> {
  tables: Table[];
  write(job: R): Promise<unknown>;
}

/**
 * Starts a job, or joins the one already running under the same key (the asking tab is then told of it too).
 * `startedWith` is written in the same transaction as a new job's record, so its run never finds it missing.
 */
export async function startJob<R extends BaseJobRecord, S>(
  host: JobHost<R, S>,
  record: Omit<R, 'id' | 'kind' | 'status' | 'confirmed' | 'attempts' | 'createdAt' | 'updatedAt'> &
    Partial<Pick<R, 'confirmed'>>,
  newId: () => string = () => crypto.randomUUID(),
  startedWith?: StartedWith<R>,
): Promise<R> {
  const { db } = host;
  const now = isoNow(host);
  const job = await db.transaction('rw', [db.jobs, ...(startedWith?.tables ?? [])], async () => {
    const existing = (await db.jobs
      .where('key')
      .equals(record.key)
      .filter((j) => j.status === 'running' && j.kind === host.spec.kind)
      .first()) as R | undefined;
    if (existing) {
      const tab = record.tabId;
      if (tab !== null && tab !== existing.tabId && !existing.watchers?.includes(tab)) {
        existing.watchers = [...(existing.watchers ?? []), tab];
        await db.jobs.update(existing.id, { watchers: existing.watchers });
      }
      return existing;
    }
    const created = {
      confirmed: false,
      ...record,
      id: newId(),
      kind: host.spec.kind,
      status: 'running',
      attempts: 1,
      createdAt: now,
      updatedAt: now,
    } as R;
    await db.jobs.add(created as unknown as JobRecord);
    await startedWith?.write(created);
    return created;
  });
  void runJob(host, job.id);
  return job;
}

/** The user said yes: the job may go on. */
export async function confirmJob<R extends BaseJobRecord, S>(host: JobHost<R, S>, jobId: string): Promise<S> {
  const job = await requireJob(host, jobId);
  if (job.status === 'running' && !job.confirmed) {
    await host.db.jobs.update(jobId, { confirmed: true });
    const waiter = waiters.get(jobId);
    // A worker that restarted since has no waiter: the job runs again and finds itself confirmed.
    if (waiter) waiter('confirmed');
    else void runJob(host, jobId);
  }
  return snapshotOf(host, jobId);
}

/** The user (or a closed tab) stopped the job, where its kind still allows it. */
export async function cancelJob<R extends BaseJobRecord, S>(host: JobHost<R, S>, jobId: string): Promise<S> {
  const job = await requireJob(host, jobId);
  if (job.status === 'running' && host.spec.canCancel(job)) {
    await host.db.jobs.update(jobId, { status: 'cancelled', updatedAt: isoNow(host) });
    waiters.get(jobId)?.('cancelled');
    aborts.get(jobId)?.abort();
    await notifyTabs(host, { ...job, status: 'cancelled' });
  }
  return snapshotOf(host, jobId);
}

/** The tab that started jobs was closed: nobody will answer their confirmations any more. */
export async function cancelJobsOfClosedTab<R extends BaseJobRecord, S>(
  host: JobHost<R, S>,
  tabId: number,
): Promise<void> {
  const unanswered = await host.db.jobs
    .where('status')
    .equals('running')
    // A job another tab still shows is left to that tab.
    .filter(
      (job) => job.kind === host.spec.kind && job.tabId === tabId && !job.confirmed && !job.watchers?.length,
    )
    .toArray();
  await Promise.all(unanswered.map((job) => cancelJob(host, job.id)));
}

/**
 * The job a view coming back should show: the newest one of this kind that this tab started (or joined) and that
 * `matches`, still running or ended in the last two minutes.
 */
export async function currentJob<R extends BaseJobRecord, S>(
  host: JobHost<R, S>,
  where: { origin: string; tabId: number | null },
  matches: (job: R) => boolean,
  now = Date.now(),
): Promise<S | null> {
  const jobs = (await host.db.jobs
    .filter(
      (job) =>
        job.kind === host.spec.kind &&
        job.origin === where.origin &&
        (job.tabId === where.tabId ||
          (where.tabId !== null && Boolean(job.watchers?.includes(where.tabId)))) &&
        (job.status === 'running' || now - Date.parse(job.updatedAt) < RECENT_RESULT_MS) &&
        matches(job as unknown as R),
    )
    .toArray()) as unknown as R[];
  const newest = jobs.sort((a, b) => b.createdAt.localeCompare(a.createdAt))[0];
  return newest ? host.spec.snapshot(host.db, newest) : null;
}

/** Runs a job to its end, at most once at a time per job. */
export function runJob<R extends BaseJobRecord, S>(host: JobHost<R, S>, jobId: string): Promise<void> {
  const active = running.get(jobId);
  if (active) return active;
  // A job whose state cannot even be written (the database went away) stays "running" for resumeJobs.
  const run = execute(host, jobId)
    .catch(() => undefined)
    .finally(() => {
      running.delete(jobId);
      aborts.delete(jobId);
    });
  running.set(jobId, run);
  return run;
}

function waitForDecision(jobId: string): Promise<Decision> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => decide('cancelled'), CONFIRMATION_TIMEOUT_MS);
    const decide = (decision: Decision) => {
      clearTimeout(timer);
      waiters.delete(jobId);
      resolve(decision);
    };
    waiters.set(jobId, decide);
  });
}

async function execute<R extends BaseJobRecord, S>(host: JobHost<R, S>, jobId: string): Promise<void> {
  const { db, spec } = host;
  let job = (await db.jobs.get(jobId)) as R | undefined;
  if (!job || job.status !== 'running' || job.kind !== spec.kind) return;
  const abort = new AbortController();
  aborts.set(jobId, abort);

  const advance = async (changes: Partial<R>) => {
    const stored = await db.transaction('rw', db.jobs, async () => {
      const current = (await db.jobs.get(jobId)) as R | undefined;
      if (current?.status !== 'running') return null;
      await db.jobs.update(jobId, { ...changes, updatedAt: isoNow(host) } as Partial<JobRecord>);
      return current;
    });
    if (!stored) throw new JobStopped();
    // Tabs may have joined since the job began; the user may have confirmed meanwhile.
    job = {
      ...job!,
      ...changes,
      watchers: stored.watchers,
      confirmed: changes.confirmed ?? stored.confirmed,
    };
    await notifyTabs(host, job);
  };

  const confirmation = async (): Promise<Decision> => {
    if (job!.confirmed) return 'confirmed';
    const decision = waitForDecision(jobId);
    // The decision may have come before the wait began (a confirm during a request, another worker instance).
    const stored = await db.jobs.get(jobId);
    if (stored?.status === 'cancelled') waiters.get(jobId)?.('cancelled');
    else if (stored?.confirmed) waiters.get(jobId)?.('confirmed');
    const decided = await decision;
    if (decided === 'confirmed') job = { ...job!, confirmed: true };
    return decided;
  };

  const context: JobContext<R> = {
    get job() {
      return job!;
    },
    signal: abort.signal,
    advance,
    confirmation,
  };

  try {
    await spec.run(context);
  } catch (error) {
    waiters.get(jobId)?.('cancelled');
    if (error instanceof JobStopped) return;
    const uiError = spec.describeError?.(error, job) ?? toUiError(error);
    await advance({ status: 'failed', error: uiError } as Partial<R>).catch((late: unknown) => {
      if (!(late instanceof JobStopped)) throw late;
    });
  }
}

/** After a worker restart: go on with, or end, every job of this kind that was running. */
export async function resumeJobs<R extends BaseJobRecord, S>(host: JobHost<R, S>): Promise<void> {
  const { db, spec } = host;
  const unfinished = (await db.jobs
    .where('status')
    .equals('running')
    .filter((job) => job.kind === spec.kind)
    .toArray()) as unknown as R[];
  const now = Date.now();
  await Promise.all(
    unfinished.map(async (job) => {
      if (running.has(job.id)) return;
      const end = async (status: 'failed' | 'cancelled', error: JobError) => {
        const uiError = toUiError(error);
        await db.jobs.update(job.id, { status, error: uiError, updatedAt: isoNow(host) });
        await notifyTabs(host, { ...job, status, error: uiError });
      };
      if (!job.confirmed && now - Date.parse(job.createdAt) > CONFIRMATION_TIMEOUT_MS) {
        return end(
          'cancelled',
          new JobError('INTERRUPTED', `Nobody confirmed this ${spec.kind}, so it was cancelled.`),
        );
      }
      const decision = spec.resume(job);
      if ('end' in decision) return end(decision.end, decision.error);
      if (Object.keys(decision.run).length > 0)
        await db.jobs.update(job.id, decision.run as Partial<JobRecord>);
      await runJob(host, job.id);
    }),
  );
}

/** Whether this worker is in the middle of any job (it then keeps an alarm set to wake it). */
export function isAnyJobRunning(): boolean {
  return running.size > 0;
}
