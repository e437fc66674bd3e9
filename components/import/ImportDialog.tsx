/**
 * The import dialog: choose or drop a package (a zip, or the three JSON files), see every problem at once or the
 * plan of exactly what will happen, then import and follow the job to a link or to every problem listed.
 *
 * It talks to the worker only through `api`. Everything shown comes from the worker as validated data, rendered as
 * text. The secure values the user types live in this view's state until "Import" sends them, and are dropped then.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import type {
  ImportCheck,
  ImportProblemView,
  ImportSnapshot,
  ImportSourceMessage,
  UiError,
} from '../../lib/protocol';
import { carry, release } from '../../lib/protocol/bytes';
import { useJob } from '../shared/useJob';
import type { ImportApi } from './api';
import { ImportPreview, type PreviewChoices } from './ImportPreview';

type Phase =
  | { name: 'choose'; error?: UiError }
  | { name: 'checking' }
  | { name: 'problems'; summary: string; problems: ImportProblemView[] }
  | { name: 'preview'; check: Extract<ImportCheck, { ok: true }> }
  | { name: 'running'; job: ImportSnapshot | null }
  | { name: 'done'; job: ImportSnapshot }
  | { name: 'failed'; job?: ImportSnapshot; error: UiError };

const STEP_LABELS: Record<ImportSnapshot['step'], string> = {
  backup: 'Backing up your current workflow',
  upload: 'Uploading the package',
  import: 'Starting the import',
  poll: 'The platform is importing',
};

/** What a user can bring: one zip, or the product's JSON files (up to three); `releaseSource` once checked. */
export async function sourceFromFiles(files: readonly File[]): Promise<ImportSourceMessage | string> {
  if (files.length === 0) return 'Choose a package file.';
  const zips = files.filter((file) => /\.zip$/i.test(file.name));
  if (zips.length === 1 && files.length === 1) {
    return { kind: 'zip', name: zips[0]!.name, bytes: await carry(zips[0]!) };
  }
  if (zips.length === 0 && files.length <= 3 && files.every((file) => /\.json$/i.test(file.name))) {
    return {
      kind: 'files',
      files: await Promise.all(files.map(async (file) => ({ name: file.name, bytes: await carry(file) }))),
    };
  }
  return 'Choose one package (.zip), or the three JSON files of a package (app_definition.json, flow_definition.json or callflow.json, env_variables.json).';
}

function releaseSource(source: ImportSourceMessage): void {
  if (source.kind === 'zip') release(source.bytes);
  else if (source.kind === 'files') for (const file of source.files) release(file.bytes);
}

export function problemText(problem: ImportProblemView): string {
  const where = [problem.file, problem.place].filter(Boolean).join(', ');
  return where ? `${where}: ${problem.message}` : problem.message;
}

export function ImportDialog(props: {
  api: ImportApi;
  title: string;
  onClose(): void;
  /** A package to import at once (the viewer's cached package); otherwise the user chooses one. */
  source?: ImportSourceMessage;
  /** An import of this tab to show (it went on while the dialog was closed). */
  job?: ImportSnapshot;
}) {
  const { api } = props;
  const [phase, setPhase] = useState<Phase>(
    props.job ? { name: 'running', job: props.job } : { name: 'choose' },
  );
  const [dragging, setDragging] = useState(false);
  const dialog = useRef<HTMLDivElement>(null);

  const showJob = (job: ImportSnapshot) => {
    if (job.status === 'running') setPhase({ name: 'running', job });
    else if (job.status === 'succeeded') setPhase({ name: 'done', job });
    else if (job.status === 'cancelled') setPhase({ name: 'choose' });
    else
      setPhase({
        name: 'failed',
        job,
        error: job.error ?? { code: 'IMPORT_FAILED', message: 'The import failed.', retryable: false },
      });
  };
  const job = useJob({ subscribe: api.subscribe, status: api.status }, showJob);

  useEffect(() => {
    dialog.current?.focus();
    if (props.job) job.follow(props.job);
    else if (props.source) void check(props.source);
  }, []);

  const check = async (source: ImportSourceMessage) => {
    setPhase({ name: 'checking' });
    const answer = await api.check(source).finally(() => releaseSource(source));
    if (!answer.ok) return setPhase({ name: 'choose', error: answer.error });
    if (!answer.data.ok)
      return setPhase({ name: 'problems', summary: answer.data.summary, problems: answer.data.problems });
    setPhase({ name: 'preview', check: answer.data });
  };

  const choose = async (files: readonly File[]) => {
    // Said at once: a build that packs the package for the worker takes a moment already.
    setPhase({ name: 'checking' });
    const source = await sourceFromFiles(files).catch(
      // Said, not swallowed: a file the dialog cannot read would otherwise leave it waiting with no word.
      () => 'The file could not be read. Choose it again.',
    );
    if (typeof source === 'string')
      return setPhase({ name: 'choose', error: { code: 'WRONG_FILES', message: source, retryable: false } });
    await check(source);
  };

  const apply = async (checkId: string, choices: PreviewChoices) => {
    setPhase({ name: 'running', job: null });
    const answer = await api.apply({ checkId, ...choices });
    if (!answer.ok) return setPhase({ name: 'failed', error: answer.error });
    job.follow(answer.data);
  };

  const cancel = async (jobId: string) => {
    job.forget();
    setPhase({ name: 'choose' });
    await api.cancel(jobId);
  };

  const busy = phase.name === 'checking' || phase.name === 'running';

  return (
    <div class="porter-overlay">
      <div
        class="porter-dialog porter-panel"
        role="dialog"
        aria-modal="true"
        aria-labelledby="porter-import-title"
        tabIndex={-1}
        ref={dialog}
        onKeyDown={(event) => {
          if (event.key === 'Escape' && !busy) {
            event.preventDefault();
            props.onClose();
          }
        }}
      >
        <header>
          <h2 class="porter-title" id="porter-import-title">
            <span class="porter-badge" aria-hidden="true">
              P
            </span>
            {props.title}
          </h2>
          <p class="porter-lead">
            Nothing is written until you have seen what will happen and chosen Import.
          </p>
        </header>

        {(phase.name === 'choose' || phase.name === 'problems') && !props.source && (
          <div
            class={`porter-drop${dragging ? ' porter-dragging' : ''}`}
            onDragOver={(event) => {
              event.preventDefault();
              setDragging(true);
            }}
            onDragLeave={() => setDragging(false)}
            onDrop={(event) => {
              event.preventDefault();
              setDragging(false);
              void choose(Array.from(event.dataTransfer?.files ?? []));
            }}
          >
            <label class="porter-label" for="porter-import-file">
              Package
            </label>
            <input
              id="porter-import-file"
              type="file"
              accept=".zip,.json,application/zip,application/json"
              multiple
              aria-describedby="porter-import-file-hint"
              onChange={(event) => void choose(Array.from((event.target as HTMLInputElement).files ?? []))}
            />
            <p id="porter-import-file-hint" class="porter-note">
              A package zip, or the three JSON files of one; you can also drop them here.
            </p>
          </div>
        )}

        <div role="status" class="porter-status">
          {phase.name === 'checking' && <p>Checking the package…</p>}
          {phase.name === 'running' && <p>{phase.job ? `${STEP_LABELS[phase.job.step]}…` : 'Starting…'}</p>}
          {phase.name === 'running' && phase.job?.notice && <p>{phase.job.notice}</p>}
          {phase.name === 'done' && <ImportDone job={phase.job} />}
        </div>

        {phase.name === 'choose' && phase.error && (
          <div role="alert" class="porter-message porter-error">
            <p>{phase.error.message}</p>
          </div>
        )}

        {phase.name === 'problems' && (
          <div role="alert" class="porter-message porter-error">
            <p>{phase.summary} Nothing was sent to the platform.</p>
            <ProblemList problems={phase.problems} />
          </div>
        )}

        {phase.name === 'preview' && (
          <ImportPreview
            plan={phase.check.plan}
            notes={phase.check.notes}
            takenNames={phase.check.takenNames}
            onImport={(choices) => void apply(phase.check.checkId, choices)}
            onCancel={props.onClose}
          />
        )}

        {phase.name === 'failed' && (
          <div role="alert" class="porter-message porter-error">
            <p>{phase.job?.failure?.summary ?? phase.error.message}</p>
            {phase.job?.failure && <ProblemList problems={phase.job.failure.problems} />}
          </div>
        )}

        <div class="porter-actions">
          {phase.name === 'running' && phase.job && isCancellable(phase.job) && (
            <button type="button" class="porter-secondary" onClick={() => void cancel(phase.job!.id)}>
              Cancel import
            </button>
          )}
          {phase.name !== 'preview' && (
            <button type="button" class="porter-secondary" onClick={props.onClose}>
              Close
            </button>
          )}
        </div>
      </div>
    </div>
  );
}

function isCancellable(job: ImportSnapshot): boolean {
  return job.status === 'running' && (job.step === 'backup' || job.step === 'upload');
}

function ProblemList({ problems }: { problems: ImportProblemView[] }) {
  if (problems.length === 0) return null;
  return (
    <ul class="porter-problems">
      {problems.map((problem, index) => (
        <li key={index}>{problemText(problem)}</li>
      ))}
    </ul>
  );
}

function ImportDone({ job }: { job: ImportSnapshot }) {
  const result = job.result!;
  return (
    <div class="porter-message porter-success">
      <p>
        {job.target.kind === 'new'
          ? `Imported as the new workflow "${job.target.name}".`
          : `Imported as a new in-development version of "${job.target.name}".`}
      </p>
      {job.backup?.fileName && <p>Your previous workflow was backed up as {job.backup.fileName}.</p>}
      <a href={result.url} target="_top">
        Open {job.target.name}
      </a>
      {result.warnings.length > 0 && (
        <>
          <p>The platform noted:</p>
          <ul class="porter-problems">
            {result.warnings.map((warning, index) => (
              <li key={index}>{warning}</li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}
