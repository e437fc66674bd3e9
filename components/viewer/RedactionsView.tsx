/**
 * Redactions: every value taken out or replaced, with the node it was in (name and type) and links to that
 * node in the graph and in the file, and the counts of what was left out of the package altogether.
 */
import type { RedactionItem, RedactionReport } from '../../lib/redaction/redactor';
import type { PackageContent } from '../../lib/package/schemas';

const LEFT_OUT: Record<string, string> = {
  'workflow-api-keys': 'API keys',
  sharing: 'Sharing entries',
  'audit-logs': 'Audit log entries',
  'workflow-endpoint': 'The workflow’s endpoint',
};

/** The flow node an item sits in: by its index in `nodes[…]`, else by the name the report gives. */
export function nodeOfItem(item: RedactionItem, content: PackageContent | undefined) {
  if (!content || item.file !== 'flow_definition.json') return undefined;
  const index = /^nodes\[(\d+)\]/.exec(item.path)?.[1];
  const byIndex = index === undefined ? undefined : content.flow.nodes[Number(index)];
  return byIndex ?? content.flow.nodes.find((node) => node.name === item.nodeName);
}

export function RedactionsView(props: {
  report: RedactionReport;
  content?: PackageContent;
  /** Address of the graph with a node selected, and of the file at a node's line. */
  graphHref: (nodeId: string) => string;
  fileHref: (file: string, nodeId?: string) => string;
}) {
  const { report, content } = props;
  const leftOut = report.items.filter((item) => item.file === '(not exported)');
  const inFiles = report.items.filter((item) => item.file !== '(not exported)');
  return (
    <div class="redactions">
      <section aria-labelledby="left-out-title" class="card">
        <h2 id="left-out-title">Left out of the package</h2>
        {leftOut.length === 0 ? (
          <p>Nothing: the workflow had no API keys, sharing entries or audit logs to leave out.</p>
        ) : (
          <ul>
            {leftOut.map((item) => (
              <li key={item.path}>
                {LEFT_OUT[item.rule] ?? item.path}
                {item.count !== undefined ? `: ${item.count}` : ''}
              </li>
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby="replaced-title">
        <h2 id="replaced-title">Values removed or replaced ({inFiles.length})</h2>
        {inFiles.length === 0 ? (
          <p>No value in the package needed to be removed.</p>
        ) : (
          <div class="table-scroll" tabIndex={0} role="region" aria-labelledby="replaced-title">
            <table>
              <thead>
                <tr>
                  <th scope="col">Node</th>
                  <th scope="col">Where</th>
                  <th scope="col">Rule</th>
                  <th scope="col">Became</th>
                  <th scope="col">Fingerprint</th>
                </tr>
              </thead>
              <tbody>
                {inFiles.map((item, index) => {
                  const node = nodeOfItem(item, content);
                  return (
                    <tr key={index}>
                      <td>
                        {node ? (
                          <>
                            <a href={props.graphHref(node.id)}>{node.name}</a>{' '}
                            <span class="muted">({node.type})</span>
                          </>
                        ) : (
                          <span class="muted">{item.nodeName ?? '—'}</span>
                        )}
                      </td>
                      <td>
                        <a href={props.fileHref(item.file, node?.id)}>{item.file}</a> <code>{item.path}</code>
                      </td>
                      <td>{item.rule}</td>
                      <td>
                        {item.replacement ?? item.action}
                        {item.variable && (
                          <>
                            {' '}
                            (set <code>{item.variable}</code> after import)
                          </>
                        )}
                      </td>
                      <td>
                        <code>{item.fingerprint ?? ''}</code>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </div>
  );
}
