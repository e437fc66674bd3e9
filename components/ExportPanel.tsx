/**
 * The "Porter: Export workflow" panel shown next to the product's own Export section.
 *
 * It talks to the worker only through `api`, so it renders the same in tests and in the page. Everything shown
 * comes from the worker as validated data and is rendered as text.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import {
  EXPORT_STEPS,
  type Dependency,
  type JobSnapshot,
  type UiError,
  type WorkerResponse,
  type WorkflowInfo,
} from '../lib/protocol';
import { formatBytes } from '../lib/format';
import { useJob } from './shared/useJob';

export interface ExportPanelApi {
  getWorkflow(): Promise<WorkerResponse<WorkflowInfo>>;
  /** Begins the export; once the version is read, the job's updates carry the dependencies to confirm. */
  startExport(versionId: string): Promise<WorkerResponse<JobSnapshot>>;
  confirmExport(jobId: string): Promise<WorkerResponse<JobSnapshot>>;
  cancelExport(jobId: string): Promise<WorkerResponse<JobSnapshot>>;
  jobStatus(jobId: string): Promise<WorkerResponse<JobSnapshot>>;
  /** The export this tab has under way (or just finished) for the workflow, to show again after a navigation. */
  currentExport(): Promise<WorkerResponse<JobSnapshot | null>>;
  /** Calls `listener` with every update of the jobs this tab started; returns the unsubscribe function. */
  subscribe(listener: (job: JobSnapshot) => void): () => void;
  openViewer(packageId: string): void;
}

const STEP_LABELS: Record<JobSnapshot['step'], string> = {
  fetch: 'Fetching the version',
  validate: 'Validating',
  redact: 'Removing secrets',
  zip: 'Building the zip',
  save: 'Saving to the cache',
  download: 'Downloading',
};

const STATE_LABELS: Record<string, string> = {
  deployed: 'Deployed',
  'in-development': 'In development',
  saved: 'Saved',
};

const KIND_LABELS: Record<Dependency['kind'], string> = {
  model: 'AI models',
  linkedWorkflow: 'Linked workflows',
  customScript: 'Custom scripts',
  guardrail: 'Guardrail scanners',
};

export function defaultVersionId(workflow: WorkflowInfo): string | undefined {
  const ids = new Set(workflow.versions.map((version) => version.id));
  for (const candidate of [workflow.deployedVersionId, workflow.inDevelopmentVersionId]) {
    if (candidate && ids.has(candidate)) return candidate;
  }
  return (
    workflow.versions.find((version) => version.state === 'deployed')?.id ??
    workflow.versions.find((version) => version.state === 'in-development')?.id ??
    workflow.versions[0]?.id
  );
}

type Phase =
  | { name: 'loading' }
  | { name: 'unavailable'; error: UiError }
  | { name: 'idle' }
  | { name: 'checking'; job: JobSnapshot; dependencies: Dependency[] }
  | { name: 'running'; job: JobSnapshot | null }
  | { name: 'done'; job: JobSnapshot }
  | { name: 'failed'; error: UiError };

export function ExportPanel({ api }: { api: ExportPanelApi }) {
  const [workflow, setWorkflow] = useState<WorkflowInfo | null>(null);
  const [versionId, setVersionId] = useState<string>('');
  const [phase, setPhase] = useState<Phase>({ name: 'loading' });
  // The user's answer to the check counts at once, whatever updates the worker sent before it heard it.
  const confirmed = useRef(new Set<string>());
  const awaitingDecision = useRef<string | null>(null);
  const panel = useRef<HTMLElement>(null);
  const exportButton = useRef<HTMLButtonElement>(null);
  const status = useRef<HTMLDivElement>(null);
  const failure = useRef<HTMLDivElement>(null);
  /** Set by the user's own actions: the control they pressed goes away with its phase, so focus follows. */
  const followFocus = useRef(false);

  const load = async () => {
    setPhase({ name: 'loading' });
    const answer = await api.getWorkflow();
    if (!answer.ok) return setPhase({ name: 'unavailable', error: answer.error });
    setWorkflow(answer.data);
    setVersionId(defaultVersionId(answer.data) ?? '');
    // Back on the page while an export of this workflow runs (or just ended): show it again.
    const current = await api.currentExport();
    if (current.ok && current.data && worthShowingAgain(current.data, answer.data)) {
      setVersionId(current.data.versionId);
      job.follow(current.data);
    } else setPhase({ name: 'idle' });
  };

  const showJob = (job: JobSnapshot) => {
    const decided = job.confirmed || confirmed.current.has(job.id);
    awaitingDecision.current = null;
    if (job.status === 'running' && !decided && job.dependencies && job.dependencies.length > 0) {
      awaitingDecision.current = job.id;
      setPhase({ name: 'checking', job, dependencies: job.dependencies });
    } else if (job.status === 'running') setPhase({ name: 'running', job });
    else if (job.status === 'succeeded') setPhase({ name: 'done', job });
    else if (job.status === 'cancelled') setPhase({ name: 'idle' });
    else
      setPhase({
        name: 'failed',
        error: job.error ?? { code: 'INTERNAL', message: 'The export failed.', retryable: true },
      });
  };

  const job = useJob({ subscribe: api.subscribe, status: api.jobStatus }, showJob);

  useEffect(() => {
    void load();
    return () => {
      // The page went away during the check: nobody will answer it.
      if (awaitingDecision.current) void api.cancelExport(awaitingDecision.current);
    };
  }, []);

  // Focus moves only after the user's own action, and only when it was in the panel (or nowhere): it is never
  // taken from something else on the page.
  useEffect(() => {
    if (!followFocus.current || phase.name === 'checking') return; // the check focuses its own answer
    if (phase.name === 'running' || phase.name === 'loading') return focusIfFree(status.current);
    followFocus.current = false;
    if (phase.name === 'failed') focusIfFree(failure.current?.querySelector('button') ?? failure.current);
    else if (phase.name === 'done') focusIfFree(status.current);
    else focusIfFree(exportButton.current);
  }, [phase]);

  const focusIfFree = (element: HTMLElement | null) => {
    const root = panel.current?.getRootNode();
    const host = root instanceof ShadowRoot ? root.host : null;
    const active = document.activeElement;
    const free = !active || active === document.body || active === host || panel.current?.contains(active);
    if (element && free) element.focus();
  };

  /** The export begins here, as in the product: the version is fixed from now on. */
  const runExport = async () => {
    followFocus.current = true;
    setPhase({ name: 'running', job: null });
    const answer = await api.startExport(versionId);
    if (!answer.ok) return setPhase({ name: 'failed', error: answer.error });
    job.follow(answer.data);
  };

  const decide = async (checked: JobSnapshot, go: boolean) => {
    awaitingDecision.current = null;
    followFocus.current = true;
    if (go) {
      confirmed.current.add(checked.id);
      setPhase({ name: 'running', job: checked });
      const answer = await api.confirmExport(checked.id);
      if (!answer.ok) setPhase({ name: 'failed', error: answer.error });
    } else await cancel(checked.id);
  };

  /** "Let me check", Escape in the check, or Cancel while the version is read: nothing is saved. */
  const cancel = async (jobId: string) => {
    job.forget();
    followFocus.current = true;
    setPhase({ name: 'idle' });
    await api.cancelExport(jobId);
  };

  const busy = phase.name === 'running' || phase.name === 'checking';
  const canExport = workflow?.canExport ?? false;
  const versionLocked = busy;

  return (
    <section class="porter-panel" role="region" aria-label="Porter: Export workflow" ref={panel}>
      <header>
        <h2 class="porter-title">
          <span class="porter-badge" aria-hidden="true">
            P
          </span>
          Porter: Export workflow
        </h2>
        <p class="porter-lead">
          A redacted package: API keys, sharing, the endpoint, audit logs, secure values and secrets typed
          into fields stay behind.
        </p>
      </header>

      {phase.name === 'unavailable' && (
        <div role="alert" class="porter-message porter-error">
          <p>{phase.error.message}</p>
          {phase.error.retryable && (
            <button type="button" class="porter-secondary" onClick={() => void load()}>
              Retry
            </button>
          )}
        </div>
      )}

      {workflow && phase.name !== 'loading' && phase.name !== 'unavailable' && (
        <div class="porter-controls">
          <label class="porter-label" for="porter-version">
            Version
          </label>
          <select
            id="porter-version"
            value={versionId}
            disabled={versionLocked || !canExport}
            aria-describedby={versionLocked ? 'porter-locked' : undefined}
            onChange={(event) => setVersionId((event.target as HTMLSelectElement).value)}
          >
            {workflow.versions.map((version) => (
              <option key={version.id} value={version.id}>
                {version.name} ({STATE_LABELS[version.state] ?? version.state})
              </option>
            ))}
          </select>
          <button
            type="button"
            class="porter-primary"
            ref={exportButton}
            disabled={!canExport || busy || !versionId}
            aria-describedby={!canExport ? 'porter-permission' : undefined}
            onClick={() => void runExport()}
          >
            Export
          </button>
          {!canExport && (
            <p id="porter-permission" class="porter-note">
              Your role{workflow.myRole ? ` (${workflow.myRole})` : ''} cannot export this workflow. Exporting
              needs the tool editor, tool manager or tool admin role.
            </p>
          )}
          {versionLocked && (
            <p id="porter-locked" class="porter-note">
              The version is locked while the export runs.
            </p>
          )}
        </div>
      )}

      {phase.name === 'checking' && (
        <DependencyCheck
          dependencies={phase.dependencies}
          onCancel={() => void decide(phase.job, false)}
          onConfirm={() => void decide(phase.job, true)}
        />
      )}

      {phase.name === 'running' && <Progress job={phase.job} />}
      {phase.name === 'running' && phase.job && isCancellable(phase.job) && (
        <button type="button" class="porter-secondary" onClick={() => void cancel(phase.job!.id)}>
          Cancel
        </button>
      )}

      {/* One live region that stays in place, so that each change of its text is announced. */}
      <div role="status" class="porter-status" ref={status} tabIndex={-1}>
        {phase.name === 'loading' && <p>Loading versions…</p>}
        {phase.name === 'running' && <p>{progressText(phase.job)}</p>}
        {phase.name === 'done' && phase.job.result && (
          <div class="porter-message porter-success">
            <p>
              Exported <strong>{phase.job.result.fileName}</strong> ({formatBytes(phase.job.result.size)}).{' '}
              {phase.job.result.redactedCount === 1
                ? '1 item was redacted.'
                : `${phase.job.result.redactedCount} items were redacted.`}
            </p>
            <a
              href="#"
              onClick={(event) => {
                event.preventDefault();
                api.openViewer(phase.job.result!.packageId);
              }}
            >
              Open in the package viewer
            </a>
          </div>
        )}
      </div>

      {phase.name === 'failed' && (
        <div role="alert" class="porter-message porter-error" ref={failure} tabIndex={-1}>
          <p>{phase.error.message}</p>
          {phase.error.retryable && (
            <button type="button" class="porter-secondary" onClick={() => void runExport()}>
              Retry
            </button>
          )}
        </div>
      )}
    </section>
  );
}

/** Before the user has answered the check, the export can still stop with nothing saved. */
function isCancellable(job: JobSnapshot): boolean {
  return job.status === 'running' && !job.confirmed && (job.step === 'fetch' || job.step === 'validate');
}

/**
 * Whether an export that ran before this page loaded is still worth showing: not a cancelled one, and not a
 * refusal that no longer holds (the workflow was just read, so the session works; the role may have changed).
 */
function worthShowingAgain(job: JobSnapshot, workflow: WorkflowInfo): boolean {
  if (job.status === 'cancelled') return false;
  if (job.status !== 'failed') return true;
  if (job.error?.code === 'UNAUTHENTICATED') return false;
  return !(job.error?.code === 'FORBIDDEN' && workflow.canExport);
}

function stepOf(job: JobSnapshot | null) {
  return { index: job ? EXPORT_STEPS.indexOf(job.step) : 0, label: job ? STEP_LABELS[job.step] : 'Starting' };
}

function progressText(job: JobSnapshot | null): string {
  const { index, label } = stepOf(job);
  return `Step ${index + 1} of ${EXPORT_STEPS.length}: ${label}…`;
}

function Progress({ job }: { job: JobSnapshot | null }) {
  const { index, label } = stepOf(job);
  return (
    <div class="porter-progress">
      <progress
        max={EXPORT_STEPS.length}
        value={index}
        aria-label="Export progress"
        aria-valuetext={`Step ${index + 1} of ${EXPORT_STEPS.length}: ${label}`}
      />
    </div>
  );
}

function DependencyCheck(props: { dependencies: Dependency[]; onCancel: () => void; onConfirm: () => void }) {
  const groups = (Object.keys(KIND_LABELS) as Dependency['kind'][])
    .map((kind) => ({ kind, names: props.dependencies.filter((d) => d.kind === kind).map((d) => d.name) }))
    .filter((group) => group.names.length > 0);
  const confirm = useRef<HTMLButtonElement>(null);
  useEffect(() => confirm.current?.focus(), []);
  return (
    <div
      class="porter-check"
      role="group"
      aria-labelledby="porter-check-title"
      onKeyDown={(event) => {
        if (event.key !== 'Escape') return;
        event.preventDefault();
        props.onCancel();
      }}
    >
      <h3 id="porter-check-title">Before you export</h3>
      <p>The account you import this package into needs these to exist there:</p>
      <dl>
        {groups.map((group) => (
          <div key={group.kind}>
            <dt>{KIND_LABELS[group.kind]}</dt>
            <dd>{group.names.join(', ')}</dd>
          </div>
        ))}
      </dl>
      <div class="porter-actions">
        <button type="button" class="porter-secondary" onClick={props.onCancel}>
          Let me check
        </button>
        <button type="button" class="porter-primary" ref={confirm} onClick={props.onConfirm}>
          Yes, I will take care
        </button>
      </div>
    </div>
  );
}
