/**
 * Differences between two cached packages, as the diff module computes them: nodes added, removed and changed
 * (field by field), connections, app definition and environment variables. Secure values are never shown: the
 * diff itself leaves them out.
 */
import { formatDiff, isEmptyDiff, type PackageDiff } from '../lib/package/diff';

function lineKind(line: string): string {
  const mark = line.trimStart()[0];
  return mark === '+' ? 'added' : mark === '-' ? 'removed' : mark === '~' ? 'changed' : 'context';
}

export function PackageDiffView({ diff, from, to }: { diff: PackageDiff; from: string; to: string }) {
  if (isEmptyDiff(diff))
    return (
      <p role="status">
        No differences between {from} and {to}.
      </p>
    );
  const summary = [
    `${diff.flow.nodesAdded.length} nodes added`,
    `${diff.flow.nodesRemoved.length} removed`,
    `${diff.flow.nodesChanged.length} changed`,
    `${diff.env.added.length + diff.env.removed.length + diff.env.changed.length} variable changes`,
    `${diff.app.length} app definition changes`,
  ].join(', ');
  return (
    <div class="diff">
      <p>
        From <strong>{from}</strong> to <strong>{to}</strong>: {summary}.
      </p>
      <pre aria-label="Changes">
        {formatDiff(diff)
          .split('\n')
          .map((line, index) => (
            <div key={index} class={`diff-${lineKind(line)}`}>
              {line}
            </div>
          ))}
      </pre>
    </div>
  );
}
