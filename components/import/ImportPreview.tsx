/**
 * The plan, before anything is written: the name (or the target), the backup, each environment conflict with its
 * choice, the secure values the user may give now, what will not resolve in the target account, and what blocks.
 */
import { useState } from 'preact/hooks';
import type { ImportPlanView } from '../../lib/protocol';
import { normaliseName } from '../../lib/jobs/import-plan';

export interface PreviewChoices {
  name?: string;
  backup: boolean;
  envChoices: Record<string, 'overwrite' | 'keep'>;
  secureValues: Record<string, string>;
}

export function ImportPreview(props: {
  plan: ImportPlanView;
  notes: string[];
  takenNames: string[];
  onImport(choices: PreviewChoices): void;
  onCancel(): void;
}) {
  const { plan } = props;
  const [name, setName] = useState(plan.name);
  const [backup, setBackup] = useState(true);
  const [envChoices, setEnvChoices] = useState<Record<string, 'overwrite' | 'keep'>>(() =>
    Object.fromEntries(plan.envConflicts.map((conflict) => [conflict.name, 'keep' as const])),
  );
  const [secureValues, setSecureValues] = useState<Record<string, string>>({});
  const taken = new Set(props.takenNames.map(normaliseName));
  const nameProblem =
    plan.kind !== 'new'
      ? null
      : !name.trim()
        ? 'A new workflow needs a name.'
        : taken.has(normaliseName(name))
          ? `A workflow named "${name.trim()}" already exists in this account.`
          : null;
  const blocked = plan.blocking.length > 0 || nameProblem !== null;
  const leftEmpty = plan.emptySecure.filter((variable) => !secureValues[variable.name]);

  return (
    <form
      class="porter-preview"
      onSubmit={(event) => {
        event.preventDefault();
        if (blocked) return;
        props.onImport({
          ...(plan.kind === 'new' && { name: name.trim() }),
          backup: plan.kind === 'version' && backup,
          envChoices,
          secureValues: Object.fromEntries(Object.entries(secureValues).filter(([, value]) => value)),
        });
        // The typed values were handed over; the view keeps none of them.
        setSecureValues({});
      }}
    >
      <h3>What will happen</h3>
      {plan.kind === 'new' ? (
        <div class="porter-field">
          <label class="porter-label" for="porter-import-name">
            New workflow name
          </label>
          <input
            id="porter-import-name"
            value={name}
            aria-invalid={nameProblem ? 'true' : undefined}
            aria-describedby="porter-import-name-note"
            onInput={(event) => setName((event.target as HTMLInputElement).value)}
          />
          <p id="porter-import-name-note" class="porter-note">
            {nameProblem ??
              (plan.nameTaken
                ? `"${plan.packageName}" is already taken in this account, so "${plan.name}" is proposed.`
                : 'A new workflow, in development, with this name.')}
          </p>
        </div>
      ) : (
        <>
          <p>
            A new in-development version of <strong>{plan.name}</strong>; its current in-development version
            is kept, renamed, as a saved version.
          </p>
          <label class="porter-check-option">
            <input
              type="checkbox"
              checked={backup}
              onChange={(event) => setBackup((event.target as HTMLInputElement).checked)}
            />{' '}
            Back up your current workflow
          </label>
          <p class="porter-note">
            {backup
              ? `Porter exports the current version first and downloads it as Exported_${plan.name}.zip; the import stops if the backup fails.`
              : 'No copy of the current version is made.'}
          </p>
        </>
      )}

      {plan.envConflicts.length > 0 && (
        <fieldset class="porter-fieldset">
          <legend>Environment variables that differ</legend>
          {plan.envConflicts.map((conflict) => (
            <div
              class="porter-conflict"
              role="group"
              aria-label={`${conflict.name} differs`}
              key={conflict.name}
            >
              <p>
                <strong>{conflict.name}</strong>{' '}
                {conflict.secure
                  ? '(secure: values are not shown)'
                  : `package: "${conflict.packageValue}", current: "${conflict.currentValue}"`}
              </p>
              {(['keep', 'overwrite'] as const).map((choice) => (
                <label key={choice}>
                  <input
                    type="radio"
                    name={`porter-env-${conflict.name}`}
                    checked={envChoices[conflict.name] === choice}
                    onChange={() => setEnvChoices({ ...envChoices, [conflict.name]: choice })}
                  />{' '}
                  {choice === 'keep' ? 'Keep existing' : 'Overwrite'}
                </label>
              ))}
            </div>
          ))}
        </fieldset>
      )}

      {plan.emptySecure.length > 0 && (
        <fieldset class="porter-fieldset">
          <legend>Secure values</legend>
          <p class="porter-note">
            These travelled empty. A value typed here goes to the platform only; AFP Porter never stores it.
          </p>
          {plan.emptySecure.map((variable) => (
            <div class="porter-field" key={variable.name}>
              <label class="porter-label" for={`porter-secure-${variable.name}`}>
                {variable.name}
              </label>
              <input
                id={`porter-secure-${variable.name}`}
                type="password"
                autocomplete="off"
                value={secureValues[variable.name] ?? ''}
                onInput={(event) =>
                  setSecureValues({
                    ...secureValues,
                    [variable.name]: (event.target as HTMLInputElement).value,
                  })
                }
              />
              <p class="porter-note">
                {variable.fromRedaction
                  ? `Made by AFP Porter for a secret it removed from the workflow. ${variable.notes}`
                  : variable.notes}
              </p>
            </div>
          ))}
          {leftEmpty.length > 0 && (
            <p class="porter-warning">
              Left empty: {leftEmpty.map((variable) => variable.name).join(', ')}. Set them later under Manage
              environment variables; until then the workflow fails where it uses them.
            </p>
          )}
        </fieldset>
      )}

      {plan.dependencies.length > 0 && (
        <div class="porter-dependencies">
          <h4>Check in the target account</h4>
          <ul class="porter-problems">
            {plan.dependencies.map((dependency) => (
              <li key={`${dependency.kind} ${dependency.name}`} class={`porter-${dependency.severity}`}>
                {dependency.message}
              </li>
            ))}
          </ul>
        </div>
      )}

      {props.notes.length > 0 && (
        <ul class="porter-problems porter-note">
          {props.notes.map((note, index) => (
            <li key={index}>{note}</li>
          ))}
        </ul>
      )}

      {plan.blocking.length > 0 && (
        <div role="alert" class="porter-message porter-error">
          {plan.blocking.map((reason, index) => (
            <p key={index}>{reason}</p>
          ))}
        </div>
      )}

      <div class="porter-actions">
        <button type="button" class="porter-secondary" onClick={props.onCancel}>
          Cancel
        </button>
        <button type="submit" class="porter-primary" disabled={blocked}>
          Import
        </button>
      </div>
    </form>
  );
}
