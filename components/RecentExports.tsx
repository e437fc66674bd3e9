/** The popup: the latest exports in the cache, each opening in the viewer. */
import { useEffect, useState } from 'preact/hooks';
import type { PackageMeta } from '../lib/store/db';
import { formatBytes } from '../lib/format';

export function RecentExports(props: {
  load: () => Promise<PackageMeta[]>;
  onOpen: (packageId?: string) => void;
  onOptions: () => void;
}) {
  const [packages, setPackages] = useState<PackageMeta[] | null>(null);
  useEffect(() => void props.load().then(setPackages, () => setPackages([])), []);
  return (
    <main class="page" style={{ width: '380px', padding: '12px 16px' }}>
      <h1 style={{ fontSize: '16px', margin: '0 0 8px' }}>Recent exports</h1>
      {packages === null && <p role="status">Loading…</p>}
      {packages?.length === 0 && (
        <p>No exports yet. Open a workflow's Configurations page and use Porter: Export workflow.</p>
      )}
      {packages && packages.length > 0 && (
        <ul style={{ listStyle: 'none', padding: 0, margin: 0 }}>
          {packages.map((pkg) => (
            <li key={pkg.id} style={{ padding: '6px 0', borderBottom: '1px solid var(--border)' }}>
              <a
                href="#"
                onClick={(event) => {
                  event.preventDefault();
                  props.onOpen(pkg.id);
                }}
              >
                {pkg.workflowName}
              </a>
              <div class="muted">
                {pkg.versionName} · {new Date(pkg.createdAt).toLocaleString()} · {formatBytes(pkg.size)} ·{' '}
                {pkg.report.items.length} redacted
              </div>
            </li>
          ))}
        </ul>
      )}
      <p style={{ display: 'flex', gap: '12px' }}>
        <a
          href="#"
          onClick={(event) => {
            event.preventDefault();
            props.onOpen();
          }}
        >
          All packages
        </a>
        <a
          href="#"
          onClick={(event) => {
            event.preventDefault();
            props.onOptions();
          }}
        >
          Options
        </a>
      </p>
    </main>
  );
}
