/**
 * "Import into AI for Process…" for a package from the cache (the package viewer opens it): pick the platform
 * among the hosts the extension may reach and, for a new version, the workflow from that account's list; then the
 * import dialog takes over with the cached package as its source.
 */
import { useEffect, useState } from 'preact/hooks';
import type { ImportTargetMessage, ImportTargetWorkflow, UiError } from '../../lib/protocol';
import type { SendToWorker } from '../../lib/protocol/channel';
import { importApi } from './api';
import { ImportDialog } from './ImportDialog';

export function ImportFromCache(props: {
  send: SendToWorker;
  packageId: string;
  /** Origins the extension holds a permission for (`https://process.kore.ai`). */
  hosts: string[];
  onClose(): void;
}) {
  const [host, setHost] = useState(props.hosts[0] ?? '');
  const [kind, setKind] = useState<'new' | 'version'>('new');
  const [workflows, setWorkflows] = useState<ImportTargetWorkflow[] | null>(null);
  const [workflowId, setWorkflowId] = useState('');
  const [error, setError] = useState<UiError | null>(null);
  const [target, setTarget] = useState<ImportTargetMessage | null>(null);

  useEffect(() => {
    if (kind !== 'version' || !host) return;
    setWorkflows(null);
    void props.send({ type: 'import:workflows', host }).then((answer) => {
      if (!answer.ok) return setError(answer.error);
      setError(null);
      setWorkflows(answer.data);
      setWorkflowId(answer.data.find((w) => /deployed/i.test(w.status))?.id ?? answer.data[0]?.id ?? '');
    });
  }, [kind, host]);

  if (target) {
    return (
      <ImportDialog
        api={importApi(props.send, target, { host })}
        title="Porter: Import into AI for Process"
        source={{ kind: 'cached', packageId: props.packageId }}
        onClose={props.onClose}
      />
    );
  }

  const ready = host && (kind === 'new' || workflowId);
  return (
    <div class="porter-overlay">
      <form
        class="porter-dialog porter-panel"
        role="dialog"
        aria-modal="true"
        aria-labelledby="porter-import-target-title"
        onSubmit={(event) => {
          event.preventDefault();
          if (ready) setTarget(kind === 'new' ? { kind: 'new' } : { kind: 'version', workflowId });
        }}
        onKeyDown={(event) => event.key === 'Escape' && props.onClose()}
      >
        <h2 class="porter-title" id="porter-import-target-title">
          Import into AI for Process
        </h2>
        {props.hosts.length === 0 ? (
          <p class="porter-note">
            AFP Porter may not reach any platform yet. Grant one on the Options page, then come back.
          </p>
        ) : (
          <>
            <div class="porter-field">
              <label class="porter-label" for="porter-import-host">
                Platform
              </label>
              <select
                id="porter-import-host"
                value={host}
                onChange={(event) => setHost((event.target as HTMLSelectElement).value)}
              >
                {props.hosts.map((origin) => (
                  <option key={origin} value={origin}>
                    {origin}
                  </option>
                ))}
              </select>
            </div>
            <fieldset class="porter-fieldset">
              <legend>Import as</legend>
              <label>
                <input type="radio" checked={kind === 'new'} onChange={() => setKind('new')} /> A new workflow
              </label>{' '}
              <label>
                <input type="radio" checked={kind === 'version'} onChange={() => setKind('version')} /> A new
                version of a workflow
              </label>
            </fieldset>
            {kind === 'version' && workflows && (
              <div class="porter-field">
                <label class="porter-label" for="porter-import-workflow">
                  Workflow
                </label>
                <select
                  id="porter-import-workflow"
                  value={workflowId}
                  onChange={(event) => setWorkflowId((event.target as HTMLSelectElement).value)}
                >
                  {workflows.map((workflow) => (
                    <option key={workflow.id} value={workflow.id}>
                      {workflow.name} ({workflow.status})
                    </option>
                  ))}
                </select>
              </div>
            )}
          </>
        )}
        {error && (
          <div role="alert" class="porter-message porter-error">
            <p>{error.message}</p>
          </div>
        )}
        <div class="porter-actions">
          <button type="button" class="porter-secondary" onClick={props.onClose}>
            Cancel
          </button>
          <button type="submit" class="porter-primary" disabled={!ready}>
            Check the package
          </button>
        </div>
      </form>
    </div>
  );
}
