/**
 * An import as a persisted job on the runner: (backup →) upload → import → poll, after the user saw the plan.
 *
 * Two things live only in the worker's memory: the checked packages waiting for "Import" (a check is made by
 * `checkImport`, applied by `applyImport`), and for a started job its package and the secure values the user typed,
 * until the upload is built. Neither is ever stored or logged. So a worker stop before the platform accepted the
 * import ends the job ("nothing was imported"), and one after follows the platform's job it had started: the
 * record holds that job's id from the moment the platform answered, and nothing ever sends a package twice.
 */
import type { ImportSnapshot } from '../protocol';
import {
  checkImportSource,
  filesForUpload,
  serializeForUpload,
  type ImportSource,
  type UploadFiles,
} from '../package/import-files';
import { envVariablesSchema, type EnvVariable, type PackageContent } from '../package/schemas';
import { packageFileName } from '../package/filename';
import { PlatformError } from '../platform/errors';
import type { EnvConflictChoice, PlatformClient, WorkflowDetails, WorkflowSummary } from '../platform/types';
import { defaultSleep } from '../platform/http';
import { pruneCache, savePackage, type PorterDatabase } from '../store/db';
import { JobError } from './errors';
import { packageVersion, type DownloadPort, type ExportDeps } from './export-job';
import { validateVersionRecord } from '../package/version-package';
import { describeImportFailure, warningLine } from './import-messages';
import { isNameTaken, planImport, type ImportPlan, type PlanTarget } from './import-plan';
import type { ImportJobRecord } from './records';
import {
  cancelJob,
  currentJob,
  resumeJobs,
  runJob,
  snapshotOf,
  startJob,
  type JobContext,
  type JobHost,
  type JobKind,
} from './runner';

export interface ImportDeps {
  db: PorterDatabase;
  clientFor: ExportDeps['clientFor'];
  downloads: DownloadPort;
  notifyImport(job: ImportSnapshot, tabId: number | null): void;
  fingerprintKey(): Promise<string>;
  now?: () => Date;
  newId?: () => string;
  /** Waits between polls while the platform cannot be asked (session expired); tests make it instant. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/** A check nobody applies is forgotten after this long. */
export const CHECK_TTL_MS = 30 * 60 * 1000;
/** While the session is gone the job asks again after 2 s, then up to every 15 s, for up to 30 minutes. */
const RETRY_FIRST_MS = 2000;
const RETRY_MAX_MS = 15_000;
const RETRY_GIVE_UP_MS = 30 * 60 * 1000;

interface StagedCheck {
  origin: string;
  tabId: number | null;
  content: PackageContent;
  plan: ImportPlan;
  /** The files as they will be uploaded, written while the user reads the preview. */
  serialized: Promise<UploadFiles>;
  workflows: WorkflowSummary[];
  workflowId?: string;
  expires: number;
}

interface StagedRun {
  content: PackageContent;
  serialized: Promise<UploadFiles>;
  secureValues: Record<string, string>;
  envConflicts: Record<string, EnvConflictChoice>;
}

const checks = new Map<string, StagedCheck>();
const staged = new Map<string, StagedRun>();

/** Runs `make` once the current answer has gone out (a task later), so that the user is not kept waiting. */
function afterAnswer<T>(make: () => T): Promise<T> {
  const made = new Promise<T>((resolve, reject) =>
    setTimeout(() => {
      try {
        resolve(make());
      } catch (error) {
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    }, 0),
  );
  made.catch(() => undefined);
  return made;
}

function forgetExpiredChecks(now = Date.now()) {
  for (const [id, check] of checks) if (check.expires < now) checks.delete(id);
}

export function workflowUrl(origin: string, workflowId: string): string {
  return `${origin}/workflows/${encodeURIComponent(workflowId)}/flow`;
}

export function toImportSnapshot(job: ImportJobRecord): ImportSnapshot {
  return {
    id: job.id,
    step: job.step,
    status: job.status,
    target:
      job.target.kind === 'new'
        ? { kind: 'new', name: job.target.name }
        : { kind: 'version', name: job.target.workflowName, workflowId: job.target.workflowId },
    ...(job.backup?.packageId && {
      backup: { packageId: job.backup.packageId, fileName: job.backup.fileName },
    }),
    ...(job.notice && job.status === 'running' && { notice: job.notice }),
    ...(job.result && { result: { ...job.result, url: workflowUrl(job.origin, job.result.workflowId) } }),
    ...(job.failure && job.status === 'failed' && { failure: job.failure }),
    ...(job.error && { error: job.error }),
  };
}

// ------------------------------------------------------------------------------------------- check (plan)

export type CheckAnswer =
  | { ok: true; checkId: string; plan: ImportPlan; notes: string[]; takenNames: string[] }
  | { ok: false; summary: string; problems: { file?: string; place?: string; message: string }[] };

/** The variables the platform compares the package with: the in-development version's, else the deployed one's. */
async function currentVariables(
  client: PlatformClient,
  workflow: WorkflowDetails['workflow'],
): Promise<EnvVariable[]> {
  const versionId = workflow.inDevelopmentVersionId ?? workflow.deployedVersionId;
  if (!versionId) return [];
  const raw = (await client.getVersionRecord(workflow.id, versionId)) as { env?: unknown };
  const env = envVariablesSchema.safeParse(raw.env ?? { variables: [] });
  return env.success ? env.data.variables : [];
}

/** What the plan compares the package with; for a version, its workflow and current variables. */
async function planTarget(
  client: PlatformClient,
  target: { kind: 'new' } | { kind: 'version'; workflowId: string },
): Promise<PlanTarget> {
  if (target.kind === 'new') return { kind: 'new' };
  const { workflow } = await client.getWorkflow(target.workflowId);
  return {
    kind: 'version',
    workflow,
    currentVariables: workflow.permissions.importVersion ? await currentVariables(client, workflow) : [],
  };
}

const UNREADABLE: CheckAnswer = {
  ok: false,
  summary: 'The file could not be read.',
  problems: [{ message: 'Its content did not reach AFP Porter intact. Choose the file again.' }],
};

/**
 * Reads and checks the source and works out the plan against the target account; writes nothing anywhere. The
 * target's current values are read for the comparison only and leave this function as the plan's conflicts (never
 * a secure one's value).
 */
export async function checkImport(
  deps: Pick<ImportDeps, 'clientFor' | 'newId'>,
  request: {
    origin: string;
    tabId: number | null;
    /** Brings the source (unpacks what the page sent); null when it did not arrive intact. */
    read: () => Promise<ImportSource | null>;
    target: { kind: 'new' } | { kind: 'version'; workflowId: string };
  },
): Promise<CheckAnswer> {
  forgetExpiredChecks();
  // The platform is asked first and answers while the package is unpacked and read: only reads, and none needs
  // the package.
  const client = deps.clientFor(request.origin, request.tabId);
  const asked = Promise.all([client.listWorkflows(), planTarget(client, request.target)]);
  asked.catch(() => undefined);
  const source = await request.read();
  if (!source) return UNREADABLE;
  const checked = checkImportSource(source);
  if (!checked.ok) return checked;
  const [workflows, target] = await asked;
  const plan = planImport({ content: checked.content, target, workflows });
  const checkId = (deps.newId ?? (() => crypto.randomUUID()))();
  checks.set(checkId, {
    origin: request.origin,
    tabId: request.tabId,
    content: checked.content,
    plan,
    serialized: afterAnswer(() => serializeForUpload(checked.content)),
    workflows,
    ...(request.target.kind === 'version' && { workflowId: request.target.workflowId }),
    expires: Date.now() + CHECK_TTL_MS,
  });
  return { ok: true, checkId, plan, notes: checked.notes, takenNames: workflows.map((w) => w.name) };
}

// ------------------------------------------------------------------------------------------- apply (job)

function importKind(deps: ImportDeps): JobKind<ImportJobRecord, ImportSnapshot> {
  return {
    kind: 'import',
    run: (context) => runImportSteps(deps, context),
    snapshot: async (_db, job) => toImportSnapshot(job),
    // Until the platform has the package, stopping leaves it untouched; after, its job runs on regardless.
    canCancel: (job) => job.step === 'backup' || job.step === 'upload',
    resume(job) {
      if (job.step === 'backup' || job.step === 'upload') {
        return {
          end: 'failed',
          error: new JobError(
            'INTERRUPTED',
            'AFP Porter was stopped before the package was sent, so nothing was imported. Check the package again to import it.',
            true,
          ),
        };
      }
      return { run: {} };
    },
    describeError(error, job) {
      if (!job.failure) return undefined;
      const code = error instanceof PlatformError ? (error.jobCode ?? error.code) : 'IMPORT_FAILED';
      return { code, message: job.failure.summary, retryable: false };
    },
  };
}

function importHost(deps: ImportDeps): JobHost<ImportJobRecord, ImportSnapshot> {
  return { db: deps.db, spec: importKind(deps), notify: deps.notifyImport, now: deps.now };
}

export interface ApplyChoices {
  checkId: string;
  name?: string;
  backup: boolean;
  envChoices: Record<string, EnvConflictChoice>;
  secureValues: Record<string, string>;
}

/** Starts the import the user saw the plan of; the same check applied twice gives the same job. */
export async function applyImport(
  deps: ImportDeps,
  caller: { origin: string; tabId: number | null },
  choices: ApplyChoices,
): Promise<ImportSnapshot> {
  const check = checks.get(choices.checkId);
  if (!check || check.origin !== caller.origin) {
    throw new JobError(
      'NO_SUCH_JOB',
      'This check is no longer known (AFP Porter restarted, or it is too old). Check the package again.',
    );
  }
  const { plan } = check;
  if (plan.blocking.length > 0) throw new JobError('NOT_POSSIBLE', plan.blocking.join(' '));
  const name = (choices.name ?? plan.name).trim();
  if (plan.kind === 'new') {
    if (!name) throw new JobError('NOT_POSSIBLE', 'A new workflow needs a name.');
    if (isNameTaken(name, check.workflows)) {
      throw new JobError(
        'NOT_POSSIBLE',
        `A workflow named "${name}" already exists in this account. Choose another name.`,
      );
    }
  }
  const known = new Set(plan.envConflicts.map((conflict) => conflict.name));
  const envConflicts = Object.fromEntries(
    Object.entries(choices.envChoices).filter(([variable]) => known.has(variable)),
  );
  const jobId = (deps.newId ?? (() => crypto.randomUUID()))();
  // In memory before the run can begin: the run reads it from here, and only from here.
  staged.set(jobId, {
    content: check.content,
    serialized: check.serialized,
    secureValues: choices.secureValues,
    envConflicts,
  });
  const job = await startJob(
    importHost(deps),
    {
      key: `${caller.origin} import ${choices.checkId}`,
      origin: caller.origin,
      tabId: caller.tabId,
      step: plan.kind === 'version' && choices.backup ? 'backup' : 'upload',
      confirmed: true,
      target:
        plan.kind === 'new'
          ? { kind: 'new', name }
          : { kind: 'version', workflowId: check.workflowId!, workflowName: plan.name },
      ...(plan.kind === 'version' && { backup: { wanted: choices.backup } }),
    },
    () => jobId,
  );
  // A second apply of the same check joined the first job: its copy is not needed.
  if (job.id !== jobId) staged.delete(jobId);
  checks.delete(choices.checkId);
  return toImportSnapshot(job);
}

export function importSnapshot(deps: ImportDeps, jobId: string): Promise<ImportSnapshot> {
  return snapshotOf(importHost(deps), jobId);
}

export async function cancelImport(deps: ImportDeps, jobId: string): Promise<ImportSnapshot> {
  const snapshot = await cancelJob(importHost(deps), jobId);
  if (snapshot.status === 'cancelled') staged.delete(jobId);
  return snapshot;
}

/** The import this tab has running (or just ended) for the target: a dialog coming back shows it again. */
export function currentImport(
  deps: ImportDeps,
  where: { origin: string; tabId: number | null },
  target: { kind: 'new' } | { kind: 'version'; workflowId: string },
): Promise<ImportSnapshot | null> {
  return currentJob(importHost(deps), where, (job) =>
    target.kind === 'new'
      ? job.target.kind === 'new'
      : job.target.kind === 'version' && job.target.workflowId === target.workflowId,
  );
}

export function runImportJob(deps: ImportDeps, jobId: string): Promise<void> {
  return runJob(importHost(deps), jobId);
}

export function resumeImportJobs(deps: ImportDeps): Promise<void> {
  return resumeJobs(importHost(deps));
}

// ------------------------------------------------------------------------------------------- steps

/** The backup: the target's current version exported by Porter, cached and downloaded as `Exported_<Name>.zip`. */
async function backUp(
  deps: ImportDeps,
  client: PlatformClient,
  job: ImportJobRecord & { target: { kind: 'version' } },
) {
  const { workflow } = await client.getWorkflow(job.target.workflowId);
  const versionId = workflow.inDevelopmentVersionId ?? workflow.deployedVersionId;
  if (!versionId) throw new JobError('INTERRUPTED', 'The workflow has no version to back up.');
  const record = validateVersionRecord(await client.getVersionRecord(workflow.id, versionId));
  const { meta, bytes } = await packageVersion(deps, record, {
    origin: job.origin,
    workflowId: workflow.id,
    versionId,
    fileName: `Exported_${packageFileName(workflow.name)}`,
  });
  await savePackage(deps.db, meta, bytes);
  const { savedAs } = await deps.downloads.download(meta.id, meta.fileName);
  await pruneCache(deps.db).catch(() => undefined);
  return { packageId: meta.id, fileName: savedAs ?? meta.fileName };
}

/** Whether the platform could not be asked for a while, rather than refusing: the job asks again later. */
function isPassing(error: unknown): error is PlatformError {
  return (
    error instanceof PlatformError &&
    (error.code === 'UNAUTHENTICATED' ||
      error.code === 'NETWORK' ||
      error.code === 'TIMEOUT' ||
      (error.code === 'SERVER' && error.retryable))
  );
}

const PASSING_NOTICE: Record<string, string> = {
  UNAUTHENTICATED:
    'Your AI for Process session has expired while the platform imports. Log in again in this tab: AFP Porter then follows the import to its end.',
  NETWORK: 'The platform cannot be reached right now; AFP Porter keeps asking how the import went.',
};
const DEFAULT_NOTICE = 'The platform is slow to answer; AFP Porter keeps asking how the import went.';

async function runImportSteps(deps: ImportDeps, context: JobContext<ImportJobRecord>): Promise<void> {
  const job = () => context.job;
  const client = deps.clientFor(job().origin, job().tabId, context.signal);
  const run = staged.get(job().id);

  try {
    if (job().step === 'backup' || job().step === 'upload') {
      if (!run) throw new JobError('INTERRUPTED', 'This import lost its package; check the package again.');
      const current = job();
      if (current.step === 'backup' && current.target.kind === 'version' && !current.backup?.packageId) {
        let backup: { packageId: string; fileName: string };
        try {
          backup = await backUp(deps, client, current as ImportJobRecord & { target: { kind: 'version' } });
        } catch (error) {
          if (context.signal.aborted) throw error;
          await context.advance({
            failure: {
              summary: 'The backup of your current workflow failed, so nothing was imported.',
              problems: [{ message: describeCause(error) }],
            },
          });
          throw error instanceof PlatformError ? error : new PlatformError('SERVER', describeCause(error));
        }
        await context.advance({ backup: { wanted: true, ...backup } });
      }
      // Told only when it changes: a new workflow's job starts at the upload.
      if (job().step !== 'upload') await context.advance({ step: 'upload' });
      const target = job().target;
      const files = filesForUpload(run.content, run.secureValues, await run.serialized);
      // From here the typed secure values exist only inside `files`, on their way to the platform.
      staged.delete(job().id);
      // Saved before sending: a worker stop from here on never sends the package again.
      await context.advance({ step: 'import' });
      const started = await client.startImport(
        files,
        target.kind === 'new'
          ? { kind: 'new', name: target.name }
          : { kind: 'version', workflowId: target.workflowId, envConflicts: run.envConflicts },
      );
      await context.advance({ step: 'poll', remote: started });
    } else if (job().step === 'import' && !job().remote) {
      return await settleLostStart(deps, client, context);
    }

    const remote = job().remote!;
    const result = await followImport(deps, client, context, remote);
    await context.advance({
      status: 'succeeded',
      notice: undefined,
      result: {
        workflowId: result.workflowId,
        ...(result.versionId && { versionId: result.versionId }),
        warnings: result.warnings.map(warningLine),
      },
    });
  } catch (error) {
    if (error instanceof PlatformError && !job().failure && !context.signal.aborted) {
      const failure = describeImportFailure(error);
      const sent = job().step === 'import' || job().step === 'poll';
      await context.advance({
        failure: {
          summary: sent
            ? `${failure.summary} Nothing was imported.`
            : `${failure.summary} Nothing was sent to the platform.`,
          problems: failure.problems,
        },
      });
    }
    throw error;
  } finally {
    // However the run ends, the package and typed values are not needed again (a resumed run never sends).
    staged.delete(job().id);
  }
}

function describeCause(error: unknown): string {
  return error instanceof Error && error.message ? error.message : 'An unexpected error.';
}

/** Polls the platform's job; while it cannot be asked (the session expired), says so and asks again later. */
async function followImport(
  deps: ImportDeps,
  client: PlatformClient,
  context: JobContext<ImportJobRecord>,
  remote: NonNullable<ImportJobRecord['remote']>,
) {
  const sleep = deps.sleep ?? defaultSleep;
  const giveUp = Date.now() + RETRY_GIVE_UP_MS;
  let wait = RETRY_FIRST_MS;
  for (;;) {
    try {
      return await client.awaitImport(remote);
    } catch (error) {
      if (!isPassing(error) || Date.now() > giveUp) throw error;
      const notice = PASSING_NOTICE[error.code] ?? DEFAULT_NOTICE;
      if (context.job.notice !== notice) await context.advance({ notice });
      await sleep(wait, context.signal);
      wait = Math.min(wait * 2, RETRY_MAX_MS);
    }
  }
}

/**
 * The worker stopped between sending the import and saving the platform's answer. A new workflow is found by its
 * name (free when the import was planned); otherwise nothing is sent again and the user is told where to look.
 */
async function settleLostStart(
  deps: ImportDeps,
  client: PlatformClient,
  context: JobContext<ImportJobRecord>,
): Promise<void> {
  const { target } = context.job;
  if (target.kind === 'new') {
    const made = (await client.listWorkflows()).find((workflow) => isNameTaken(target.name, [workflow]));
    if (made) {
      return context.advance({ status: 'succeeded', result: { workflowId: made.id, warnings: [] } });
    }
  }
  throw new JobError(
    'INTERRUPTED',
    target.kind === 'new'
      ? `AFP Porter was stopped while sending the import, and no workflow "${target.name}" exists, so nothing was imported. Import again.`
      : `AFP Porter was stopped while sending the import and did not import again. Look at the versions of "${target.workflowName}" before importing again.`,
  );
}
