/**
 * An entry point to the import, placed in the product's page: a button that says, before any click, when the
 * user's role (or the workflow's state) does not allow the import and why; it opens the import dialog.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { ImportContext, ImportSnapshot, UiError } from '../../lib/protocol';
import type { ImportApi } from './api';
import { ImportDialog } from './ImportDialog';

export function ImportEntry(props: { api: ImportApi; label: string; compact?: boolean }) {
  const { api } = props;
  const [context, setContext] = useState<ImportContext | null>(null);
  const [error, setError] = useState<UiError | null>(null);
  const [open, setOpen] = useState<{ job?: ImportSnapshot } | null>(null);
  /** An import of this tab that ended while the page was away: said in the entry, not over the page. */
  const [ended, setEnded] = useState<ImportSnapshot | null>(null);
  const button = useRef<HTMLButtonElement>(null);
  const reasonId = `porter-import-reason-${api.target.kind}`;

  useEffect(() => {
    void (async () => {
      const answer = await api.context();
      if (!answer.ok) return setError(answer.error);
      setContext(answer.data);
      // An import of this tab went on while the page was away: one still running is shown in the dialog again.
      const current = await api.current();
      if (!current.ok || !current.data || current.data.status === 'cancelled') return;
      if (current.data.status === 'running') setOpen({ job: current.data });
      else setEnded(current.data);
    })();
  }, []);

  const close = () => {
    setOpen(null);
    button.current?.focus();
  };
  const reason = error?.message ?? (context && !context.allowed ? context.reason : undefined);

  return (
    <div
      class={props.compact ? 'porter-entry porter-compact' : 'porter-entry porter-panel'}
      role="region"
      aria-label={`Porter: ${props.label}`}
    >
      <button
        type="button"
        class="porter-primary"
        ref={button}
        disabled={!context?.allowed}
        aria-describedby={reason ? reasonId : undefined}
        onClick={() => setOpen({})}
      >
        <span class="porter-badge" aria-hidden="true">
          P
        </span>{' '}
        {props.label}
      </button>
      {reason && (
        <p id={reasonId} class="porter-note">
          {reason}
        </p>
      )}
      {ended && !open && (
        <div role="status" class="porter-note">
          <p>
            {ended.status === 'succeeded'
              ? `Your import of "${ended.target.name}" is done.`
              : `Your import of "${ended.target.name}" did not go through.`}{' '}
            {ended.result && <a href={ended.result.url}>Open {ended.target.name}</a>}
          </p>
          <button type="button" class="porter-secondary" onClick={() => setOpen({ job: ended })}>
            Show the details
          </button>
        </div>
      )}
      {open && (
        <ImportDialog
          api={api}
          title={`Porter: ${props.label}`}
          onClose={close}
          {...(open.job && { job: open.job })}
        />
      )}
    </div>
  );
}
