/** The Overview: what the package holds and what to fill in after importing it (lib/package/summary.ts). */
import type { ContentSummary } from '../../lib/package/summary';
import { describeTask } from '../../lib/package/summary';

function Execution({ execution }: { execution: ContentSummary['execution'] }) {
  const asyncSetup = execution.async;
  return (
    <dl class="facts">
      <dt>Synchronous timeout</dt>
      <dd>{execution.syncTimeoutSec !== undefined ? `${execution.syncTimeoutSec} s` : 'not set'}</dd>
      <dt>Asynchronous runs</dt>
      <dd>
        {!asyncSetup || !asyncSetup.enabled
          ? 'off'
          : `on${asyncSetup.timeoutSec ? `, timeout ${asyncSetup.timeoutSec} s` : ', no timeout'}`}
        {asyncSetup?.pushCallbackUrl && <>, results pushed to {asyncSetup.pushCallbackUrl}</>}
      </dd>
    </dl>
  );
}

export function Overview({ summary }: { summary: ContentSummary }) {
  const { io, guardrails } = summary;
  return (
    <div class="overview">
      <section aria-labelledby="fill-title" class="card">
        <h2 id="fill-title">After import</h2>
        {summary.afterImport.length === 0 ? (
          <p>Nothing to fill in: the package carries everything it needs.</p>
        ) : (
          <ul class="tasks">
            {summary.afterImport.map((task, index) => (
              <li key={index}>{describeTask(task)}</li>
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="about-title" class="card">
        <h2 id="about-title">About</h2>
        <dl class="facts">
          <dt>Workflow</dt>
          <dd>{summary.workflow.name}</dd>
          <dt>Description</dt>
          <dd>{summary.workflow.description || <span class="muted">none</span>}</dd>
          <dt>Version</dt>
          <dd>
            {summary.version.name}
            {summary.version.description && <> ({summary.version.description})</>}
            {summary.version.createdAt && (
              <>, created {new Date(summary.version.createdAt).toLocaleString()}</>
            )}
          </dd>
        </dl>
        <Execution execution={summary.execution} />
      </section>

      <section aria-labelledby="nodes-title" class="card">
        <h2 id="nodes-title">Nodes ({summary.nodes.total})</h2>
        <table>
          <thead>
            <tr>
              <th scope="col">Type</th>
              <th scope="col">Count</th>
            </tr>
          </thead>
          <tbody>
            {Object.entries(summary.nodes.byType).map(([type, count]) => (
              <tr key={type}>
                <td>{type}</td>
                <td>{count}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>

      <section aria-labelledby="io-title" class="card">
        <h2 id="io-title">Inputs and outputs</h2>
        <table>
          <thead>
            <tr>
              <th scope="col">Direction</th>
              <th scope="col">Name</th>
              <th scope="col">Type</th>
            </tr>
          </thead>
          <tbody>
            {io.inputs.map((input) => (
              <tr key={`in-${input.name}`}>
                <td>input{input.mandatory ? ' (mandatory)' : ''}</td>
                <td>{input.name}</td>
                <td>{input.type}</td>
              </tr>
            ))}
            {io.outputs.map((output) => (
              <tr key={`out-${output.name}`}>
                <td>output</td>
                <td>{output.name}</td>
                <td>{output.type}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {io.inputs.length + io.outputs.length === 0 && <p class="muted">No inputs or outputs.</p>}
      </section>

      <section aria-labelledby="guardrails-title" class="card">
        <h2 id="guardrails-title">Guardrail scanners</h2>
        <dl class="facts">
          <dt>On input</dt>
          <dd>{guardrails.inputScanners.join(', ') || 'none'}</dd>
          <dt>On output</dt>
          <dd>{guardrails.outputScanners.join(', ') || 'none'}</dd>
        </dl>
      </section>

      <section aria-labelledby="env-title" class="card">
        <h2 id="env-title">Environment variables ({summary.env.length})</h2>
        <table>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Value</th>
              <th scope="col">Notes</th>
            </tr>
          </thead>
          <tbody>
            {summary.env.map((variable) => (
              <tr key={variable.name}>
                <td>
                  {variable.name}
                  {variable.secure && <span class="badge">secure</span>}
                </td>
                <td>
                  {variable.secure ? (
                    <span class="muted">not in the package</span>
                  ) : variable.value ? (
                    <code>{variable.value}</code>
                  ) : (
                    <span class="muted">empty</span>
                  )}
                </td>
                <td>{variable.notes ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </div>
  );
}
