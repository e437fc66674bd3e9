/**
 * "Porter: Export several…" on the Workflows dashboard: pick workflows (filter, select all; those the user may not
 * export are listed, not selectable, with the reason), export them as one bulk job, follow it (overall and per
 * workflow, with Cancel), and read the summary: what was exported, what was not and why, what was redacted.
 *
 * It talks to the worker only through `api`; everything shown is validated data from the worker, rendered as text.
 */
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { formatBytes } from '../../lib/format';
import type { BulkItem, BulkList, BulkSnapshot, UiError, WorkerResponse } from '../../lib/protocol';
import { useJob } from '../shared/useJob';
import css from './bulk.css?inline';

export interface BulkExportApi {
  list(): Promise<WorkerResponse<BulkList>>;
  start(workflowIds: string[]): Promise<WorkerResponse<BulkSnapshot>>;
  cancel(jobId: string): Promise<WorkerResponse<BulkSnapshot>>;
  status(jobId: string): Promise<WorkerResponse<BulkSnapshot>>;
  /** The bulk export this tab has under way (or just finished), to show again after a navigation. */
  current(): Promise<WorkerResponse<BulkSnapshot | null>>;
  subscribe(listener: (job: BulkSnapshot) => void): () => void;
}

type Phase =
  | { name: 'loading' }
  | { name: 'unavailable'; error: UiError }
  | { name: 'closed' }
  | { name: 'picking' }
  | { name: 'job'; job: BulkSnapshot };

const STEP_LABELS: Record<BulkSnapshot['step'], string> = {
  export: 'Exporting',
  archive: 'Building the archive',
  download: 'Downloading',
};

const finished = (item: BulkItem) => item.state === 'exported' || item.state === 'failed';

export function BulkExportPanel({ api }: { api: BulkExportApi }) {
  const [list, setList] = useState<BulkList | null>(null);
  const [phase, setPhase] = useState<Phase>({ name: 'loading' });
  const [filter, setFilter] = useState('');
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [starting, setStarting] = useState(false);
  const [problem, setProblem] = useState<UiError | null>(null);
  const status = useRef<HTMLDivElement>(null);

  const job = useJob<BulkSnapshot>({ subscribe: api.subscribe, status: api.status }, (snapshot) =>
    setPhase({ name: 'job', job: snapshot }),
  );

  const load = async () => {
    setPhase({ name: 'loading' });
    const [listed, current] = await Promise.all([api.list(), api.current()]);
    if (!listed.ok) return setPhase({ name: 'unavailable', error: listed.error });
    setList(listed.data);
    if (current.ok && current.data) job.follow(current.data);
    else setPhase({ name: 'closed' });
  };
  useEffect(() => void load(), []);

  const visible = useMemo(() => {
    const needle = filter.trim().toLowerCase();
    return (list?.workflows ?? []).filter(
      (workflow) => !needle || workflow.name.toLowerCase().includes(needle),
    );
  }, [list, filter]);
  const selectable = visible.filter((workflow) => workflow.canExport);
  const allSelected = selectable.length > 0 && selectable.every((workflow) => selected.has(workflow.id));

  // For users who may export: nothing at all is shown to someone who may export none of the workflows.
  if (phase.name === 'loading' || (list && !list.workflows.some((workflow) => workflow.canExport)))
    return null;

  const toggle = (id: string, on: boolean) => {
    const next = new Set(selected);
    if (on) next.add(id);
    else next.delete(id);
    setSelected(next);
  };
  const toggleAll = (on: boolean) => {
    const next = new Set(selected);
    for (const workflow of selectable) {
      if (on) next.add(workflow.id);
      else next.delete(workflow.id);
    }
    setSelected(next);
  };

  const start = async () => {
    // In the order of the list, whatever the order of the clicks.
    const ids = (list?.workflows ?? []).filter((w) => w.canExport && selected.has(w.id)).map((w) => w.id);
    setStarting(true);
    setProblem(null);
    const answer = await api.start(ids);
    setStarting(false);
    if (!answer.ok) return setProblem(answer.error);
    job.follow(answer.data);
    status.current?.focus();
  };

  const cancel = async (jobId: string) => {
    const answer = await api.cancel(jobId);
    if (answer.ok) job.follow(answer.data);
    else setProblem(answer.error);
  };

  return (
    <section class="porter-panel porter-bulk" role="region" aria-label="Porter: Export several workflows">
      <style>{css}</style>
      <h2 class="porter-title">
        <span class="porter-badge" aria-hidden="true">
          P
        </span>
        Porter: Export several workflows
      </h2>
      {phase.name === 'unavailable' && (
        <div role="alert" class="porter-message porter-error">
          <p>{phase.error.message}</p>
          <button type="button" class="porter-secondary" onClick={() => void load()}>
            Retry
          </button>
        </div>
      )}
      {phase.name === 'closed' && (
        <div class="porter-controls">
          <p class="porter-lead">
            One zip with a folder per workflow (its deployed version, else the one in development), redacted
            like a single export, and an index to keep in git.
          </p>
          <button type="button" class="porter-primary" onClick={() => setPhase({ name: 'picking' })}>
            Export several…
          </button>
        </div>
      )}
      {phase.name === 'picking' && list && (
        <div class="porter-picker">
          <div class="porter-controls">
            <label class="porter-label" for="porter-bulk-filter">
              Filter
            </label>
            <input
              id="porter-bulk-filter"
              type="search"
              value={filter}
              placeholder="Workflow name"
              onInput={(event) => setFilter(event.currentTarget.value)}
            />
            <label>
              <input
                type="checkbox"
                checked={allSelected}
                disabled={selectable.length === 0}
                onChange={(event) => toggleAll(event.currentTarget.checked)}
              />{' '}
              Select all
            </label>
          </div>
          <table class="porter-table">
            <thead>
              <tr>
                <th scope="col">
                  <span class="porter-hidden">Export</span>
                </th>
                <th scope="col">Name</th>
                <th scope="col">Status</th>
                <th scope="col">Your role</th>
              </tr>
            </thead>
            <tbody>
              {visible.map((workflow) => (
                <tr key={workflow.id} class={workflow.canExport ? undefined : 'porter-unavailable'}>
                  <td>
                    <input
                      type="checkbox"
                      aria-label={`Export ${workflow.name}`}
                      aria-describedby={workflow.reason ? `porter-why-${workflow.id}` : undefined}
                      checked={workflow.canExport && selected.has(workflow.id)}
                      disabled={!workflow.canExport}
                      onChange={(event) => toggle(workflow.id, event.currentTarget.checked)}
                    />
                  </td>
                  <td>
                    {workflow.name}
                    {workflow.reason && (
                      <div class="porter-why" id={`porter-why-${workflow.id}`}>
                        {workflow.reason}
                      </div>
                    )}
                  </td>
                  <td>{workflow.status ?? ''}</td>
                  <td>{workflow.myRole ?? ''}</td>
                </tr>
              ))}
              {visible.length === 0 && (
                <tr>
                  <td colSpan={4}>No workflow matches “{filter}”.</td>
                </tr>
              )}
            </tbody>
          </table>
          {problem && (
            <div role="alert" class="porter-message porter-error">
              <p>{problem.message}</p>
            </div>
          )}
          <div class="porter-actions">
            <button type="button" class="porter-secondary" onClick={() => setPhase({ name: 'closed' })}>
              Close
            </button>
            <button
              type="button"
              class="porter-primary"
              disabled={selected.size === 0 || starting}
              onClick={() => void start()}
            >
              {selected.size === 1 ? 'Export 1 workflow' : `Export ${selected.size} workflows`}
            </button>
          </div>
        </div>
      )}
      {phase.name === 'job' && (
        <div ref={status} tabIndex={-1} class="porter-status">
          <JobView
            job={phase.job}
            onCancel={() => void cancel(phase.job.id)}
            onAgain={() => {
              job.forget();
              setSelected(new Set());
              setPhase({ name: 'picking' });
            }}
          />
          {problem && (
            <div role="alert" class="porter-message porter-error">
              <p>{problem.message}</p>
            </div>
          )}
        </div>
      )}
    </section>
  );
}

function JobView(props: { job: BulkSnapshot; onCancel(): void; onAgain(): void }) {
  const { job } = props;
  const total = job.workflows.length;
  const done = job.workflows.filter(finished).length;
  const exported = job.workflows.filter((item) => item.state === 'exported');
  const failed = job.workflows.filter((item) => item.state === 'failed');
  const notExported = job.workflows.filter((item) => item.state !== 'exported');
  const redactions = exported.reduce((sum, item) => sum + (item.redactions ?? 0), 0);
  const counts = `${done} of ${total} done: ${exported.length} exported, ${failed.length} not exported`;

  return (
    <>
      {job.status === 'running' && (
        <div class="porter-progress">
          <p role="status">
            {STEP_LABELS[job.step]}… {counts}.
          </p>
          <progress max={total} value={done} aria-label="Workflows done" />
          <ul class="porter-items" aria-label="Workflows">
            {job.workflows.map((item) => (
              <li key={item.workflowId}>
                <span>{item.name}</span>: <ItemState item={item} />
              </li>
            ))}
          </ul>
          {job.step !== 'download' && (
            <div class="porter-actions">
              <button type="button" class="porter-secondary" onClick={props.onCancel}>
                Cancel
              </button>
            </div>
          )}
        </div>
      )}
      {job.status !== 'running' && (
        <div
          role={job.status === 'failed' ? 'alert' : 'status'}
          class={`porter-message ${job.status === 'succeeded' ? 'porter-success' : 'porter-error'}`}
        >
          {job.status === 'succeeded' && job.result && (
            <p>
              Saved “{job.result.fileName}” ({formatBytes(job.result.size)}): {exported.length} of {total}{' '}
              workflows exported, {redactions} {redactions === 1 ? 'item' : 'items'} redacted.
            </p>
          )}
          {job.library && <LibraryNote library={job.library} exported={exported.length} />}
          {job.status === 'cancelled' && (
            <p>
              Cancelled: nothing was downloaded. The {exported.length} exported before the cancel are in your
              Porter library.
            </p>
          )}
          {job.status === 'failed' && <p>{job.error?.message ?? 'The bulk export failed.'}</p>}
          {exported.length > 0 && (
            <>
              <h3>Exported</h3>
              <ul aria-label="Exported">
                {exported.map((item) => (
                  <li key={item.workflowId}>
                    {item.name}: version “{item.versionName ?? ''}”, {item.redactions ?? 0} redacted
                  </li>
                ))}
              </ul>
            </>
          )}
          {notExported.length > 0 && (
            <>
              <h3>Not exported</h3>
              <ul aria-label="Not exported">
                {notExported.map((item) => (
                  <li key={item.workflowId}>
                    {item.name}: {item.error?.message ?? 'cancelled before it was exported'}
                  </li>
                ))}
              </ul>
            </>
          )}
          <button type="button" class="porter-secondary" onClick={props.onAgain}>
            Export others…
          </button>
        </div>
      )}
    </>
  );
}

const count = (n: number) => n.toLocaleString('en');

/** Where the exported packages went: all in the library, or which ones its setting let go. */
function LibraryNote({
  library,
  exported,
}: {
  library: NonNullable<BulkSnapshot['library']>;
  exported: number;
}) {
  const keeps = `Your Porter library keeps the latest ${count(library.keep)} packages`;
  const older = `${count(library.olderLetGo)} older ${library.olderLetGo === 1 ? 'one' : 'ones'}`;
  if (library.ownLetGo > 0)
    return (
      <p>
        {keeps}, so {count(library.ownLetGo)} of these {count(exported)}
        {library.olderLetGo > 0 && ` and ${older}`} were let go. To keep them all, raise “Keep the latest” in
        the toolbar popup before the next export.
      </p>
    );
  return (
    <p>
      {keeps}: {exported === 1 ? 'this one is' : `all ${count(exported)} are`} in it
      {library.olderLetGo > 0 && `, and ${older} ${library.olderLetGo === 1 ? 'was' : 'were'} let go`}.
    </p>
  );
}

function ItemState({ item }: { item: BulkItem }) {
  switch (item.state) {
    case 'queued':
      return <>waiting</>;
    case 'exporting':
      return <>exporting…</>;
    case 'exported':
      return <>exported ({item.redactions ?? 0} redacted)</>;
    case 'failed':
      return <>not exported: {item.error?.message ?? ''}</>;
  }
}
