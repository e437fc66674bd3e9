/**
 * Compare: this package against another cached one (other versions of the same workflow offered first), always
 * from the older version to the newer whichever was picked, nodes matched by name and type (diff.ts). Added,
 * removed and changed nodes are coloured on the graph and listed, each changed node field by field, side by side.
 */
import { useEffect, useMemo, useState } from 'preact/hooks';
import { diffPackages, formatDiff, isOlderVersion, shorten, type PackageDiff } from '../../lib/package/diff';
import { flowGraph, type FlowGraph, type GraphLayout } from '../../lib/package/graph';
import type { FlowNode, PackageContent } from '../../lib/package/schemas';
import type { PackageMeta } from '../../lib/store/db';
import { FlowView, type NodeMark } from './FlowView';

export interface CompareSide {
  label: string;
  content: PackageContent;
  /** When it was exported (the last resort for telling which is older). */
  exportedAt?: string;
}

/** Older first; by version, else by export time, else as given. */
export function inVersionOrder(x: CompareSide, y: CompareSide): [CompareSide, CompareSide] {
  const older = isOlderVersion(x.content, y.content);
  if (older !== undefined) return older ? [x, y] : [y, x];
  if (x.exportedAt && y.exportedAt && x.exportedAt !== y.exportedAt)
    return x.exportedAt < y.exportedAt ? [x, y] : [y, x];
  return [x, y];
}

/** The newer flow with the nodes the older one had and the newer one lost, so all three kinds show. */
function unionGraph(diff: PackageDiff, older: PackageContent, newer: PackageContent) {
  const removedIds = new Set(diff.flow.nodesRemoved.map((node) => node.id));
  const removed = older.flow.nodes.filter((node) => removedIds.has(node.id));
  const newerIdOf = new Map(newer.flow.nodes.map((node) => [`${node.type}\u0000${node.name}`, node.id]));
  const olderById = new Map(older.flow.nodes.map((node) => [node.id, node]));
  const mapId = (id: string) => {
    if (removedIds.has(id)) return `removed:${id}`;
    const node = olderById.get(id);
    return (node && newerIdOf.get(`${node.type}\u0000${node.name}`)) ?? `removed:${id}`;
  };
  const ghosts: FlowNode[] = removed.map((node) => ({
    ...node,
    id: `removed:${node.id}`,
    connections: {
      onSuccess: (node.connections?.onSuccess ?? []).map(mapId),
      onFailure: (node.connections?.onFailure ?? []).map(mapId),
    },
  }));
  const nodes = [...newer.flow.nodes, ...ghosts];
  const marks = new Map<string, NodeMark>();
  for (const node of diff.flow.nodesAdded) marks.set(node.id, 'added');
  for (const node of diff.flow.nodesChanged) marks.set(node.after.id, 'changed');
  for (const node of ghosts) marks.set(node.id, 'removed');
  return { graph: flowGraph({ nodes }), nodes, marks };
}

const show = (value: unknown) => (value === undefined ? '—' : shorten(value, 400));

export function CompareResult(props: {
  older: CompareSide;
  newer: CompareSide;
  layout?: (graph: FlowGraph) => Promise<GraphLayout>;
}) {
  const { older, newer } = props;
  const diff = useMemo(() => diffPackages(older.content, newer.content), [older, newer]);
  const union = useMemo(() => unionGraph(diff, older.content, newer.content), [diff]);
  const [selected, setSelected] = useState<string | undefined>();
  const others = formatDiff(diff)
    .split('\n')
    .filter((line) => !/^[+~-] node /.test(line) && line !== 'no changes');
  const { nodesAdded, nodesRemoved, nodesChanged } = diff.flow;
  return (
    <div class="compare-result">
      <p data-testid="compare-summary">
        From <strong>{older.label}</strong> (older) to <strong>{newer.label}</strong> (newer):{' '}
        {nodesAdded.length} {nodesAdded.length === 1 ? 'node' : 'nodes'} added, {nodesRemoved.length} removed,{' '}
        {nodesChanged.length} changed; {others.length} other {others.length === 1 ? 'change' : 'changes'}.
      </p>
      <FlowView
        graph={union.graph}
        nodes={union.nodes}
        layout={props.layout}
        marks={union.marks}
        selected={selected}
        onSelect={setSelected}
        label={`Changes from ${older.label} to ${newer.label}`}
      />
      <section aria-labelledby="changed-nodes-title">
        <h2 id="changed-nodes-title">Nodes that differ</h2>
        {nodesAdded.length + nodesRemoved.length + nodesChanged.length === 0 ? (
          <p>No node differs.</p>
        ) : (
          <ul class="node-changes" data-testid="node-changes">
            {nodesAdded.map((node) => (
              <li key={`a-${node.id}`} class="change-added" data-change={`added ${node.name}`}>
                <span class="change-kind">added</span> {node.name} <span class="muted">({node.type})</span>
              </li>
            ))}
            {nodesRemoved.map((node) => (
              <li key={`r-${node.id}`} class="change-removed" data-change={`removed ${node.name}`}>
                <span class="change-kind">removed</span> {node.name} <span class="muted">({node.type})</span>
              </li>
            ))}
            {nodesChanged.map((change) => (
              <li
                key={`c-${change.after.id}`}
                class="change-changed"
                data-change={`changed ${change.after.name}`}
              >
                <span class="change-kind">changed</span>{' '}
                {change.before.name === change.after.name
                  ? change.after.name
                  : `${change.before.name} → ${change.after.name}`}{' '}
                <span class="muted">({change.after.type})</span>
                <div
                  class="table-scroll"
                  tabIndex={0}
                  role="region"
                  aria-label={`Fields of ${change.after.name} that differ`}
                >
                  <table class="side-by-side">
                    <thead>
                      <tr>
                        <th scope="col">Field</th>
                        <th scope="col">{older.label}</th>
                        <th scope="col">{newer.label}</th>
                      </tr>
                    </thead>
                    <tbody>
                      {change.fields.map((field) => (
                        <tr key={field.path}>
                          <th scope="row">
                            <code>{field.path}</code>
                          </th>
                          <td class="before">
                            <code>{show(field.before)}</code>
                          </td>
                          <td class="after">
                            <code>{show(field.after)}</code>
                          </td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              </li>
            ))}
          </ul>
        )}
      </section>
      {others.length > 0 && (
        <section aria-labelledby="other-changes-title">
          <h2 id="other-changes-title">Connections, app definition and variables</h2>
          <pre class="diff" tabIndex={0} role="region" aria-labelledby="other-changes-title">
            {others.map((line, index) => (
              <div
                key={index}
                class={`diff-${line[0] === '+' ? 'added' : line[0] === '-' ? 'removed' : 'changed'}`}
              >
                {line}
              </div>
            ))}
          </pre>
        </section>
      )}
    </div>
  );
}

export function CompareView(props: {
  current: PackageMeta | undefined;
  side: CompareSide;
  candidates: PackageMeta[];
  /** The cached package picked to compare with, from the address (`?with=`). */
  withId?: string;
  onPick: (id: string) => void;
  load: (id: string) => Promise<PackageContent>;
  layout?: (graph: FlowGraph) => Promise<GraphLayout>;
}) {
  // By id for exports of one platform, by name for packages kept from disk.
  const sameWorkflow = (meta: PackageMeta) =>
    meta.workflowId === props.current?.workflowId ||
    meta.workflowName === props.side.content.app.workflow.name;
  const others = props.candidates.filter((meta) => meta.id !== props.current?.id);
  const same = others.filter(sameWorkflow);
  const rest = others.filter((meta) => !sameWorkflow(meta));
  const [other, setOther] = useState<CompareSide | 'unreadable' | null>(null);
  // The list of candidates may arrive after the address names one.
  const picked = others.find((m) => m.id === props.withId);
  useEffect(() => {
    setOther(null);
    const meta = picked;
    if (!meta) return;
    let current = true;
    props.load(meta.id).then(
      (content) => current && setOther({ label: meta.versionName, content, exportedAt: meta.createdAt }),
      () => current && setOther('unreadable'),
    );
    return () => {
      current = false;
    };
  }, [picked?.id]);
  if (others.length === 0)
    return (
      <p>
        There is no other cached package to compare with. Export another version of this workflow, or open one
        from disk and keep it in the library.
      </p>
    );
  const [older, newer] = other && other !== 'unreadable' ? inVersionOrder(other, props.side) : [null, null];
  return (
    <div class="compare">
      <label for="compare-with">Compare with</label>{' '}
      <select
        id="compare-with"
        value={props.withId ?? ''}
        onChange={(event) => props.onPick((event.target as HTMLSelectElement).value)}
      >
        <option value="">Choose a cached package…</option>
        {same.length > 0 && (
          <optgroup label={`Other versions of ${props.side.content.app.workflow.name}`}>
            {same.map((meta) => (
              <option key={meta.id} value={meta.id}>
                {meta.versionName} (exported {new Date(meta.createdAt).toLocaleString()})
              </option>
            ))}
          </optgroup>
        )}
        {rest.length > 0 && (
          <optgroup label="Other workflows">
            {rest.map((meta) => (
              <option key={meta.id} value={meta.id}>
                {meta.workflowName}: {meta.versionName}
              </option>
            ))}
          </optgroup>
        )}
      </select>
      {other === 'unreadable' && <p role="alert">That package could not be read.</p>}
      {older && newer && <CompareResult older={older} newer={newer} layout={props.layout} />}
    </div>
  );
}
