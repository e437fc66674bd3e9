/**
 * The offline viewer: every cached package, and for one package its metadata, what was redacted and its files.
 * The package is read back from its own bytes (as an import would), so what is shown is what is on disk.
 */
import { useEffect, useState } from 'preact/hooks';
import type { PackageMeta } from '../lib/store/db';
import { readPackageZip } from '../lib/package/zip-read';
import { diffPackages } from '../lib/package/diff';
import type { PackageContent } from '../lib/package/schemas';
import { PackageDiffView } from './PackageDiffView';
import { serializePackage } from '../lib/package/zip-write';
import { isPackageError } from '../lib/package/errors';
import { formatBytes } from '../lib/format';

export interface PackageSource {
  list(): Promise<PackageMeta[]>;
  meta(id: string): Promise<PackageMeta | undefined>;
  bytes(id: string): Promise<Uint8Array | undefined>;
}

function useHashRoute(): string {
  const [hash, setHash] = useState(location.hash);
  useEffect(() => {
    const onChange = () => setHash(location.hash);
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return hash;
}

/** The package id in `#/package/<id>`; a malformed one is kept as written (it then names no package). */
function packageIdOf(hash: string): string | undefined {
  const match = /^#\/package\/(.+)$/.exec(hash);
  if (!match) return undefined;
  try {
    return decodeURIComponent(match[1]!);
  } catch {
    return match[1]!;
  }
}

export function PackageViewer({ source }: { source: PackageSource }) {
  const id = packageIdOf(useHashRoute());
  return (
    <main class="page">
      {id !== undefined ? <PackageDetail source={source} id={id} /> : <PackageList source={source} />}
    </main>
  );
}

function PackageList({ source }: { source: PackageSource }) {
  const [packages, setPackages] = useState<PackageMeta[] | null>(null);
  useEffect(() => void source.list().then(setPackages), []);
  return (
    <>
      <h1>Cached packages</h1>
      {packages === null && <p role="status">Loading…</p>}
      {packages?.length === 0 && <p>No packages yet.</p>}
      {packages && packages.length > 0 && (
        <table>
          <thead>
            <tr>
              <th>Workflow</th>
              <th>Version</th>
              <th>Exported</th>
              <th>Size</th>
              <th>Redacted</th>
            </tr>
          </thead>
          <tbody>
            {packages.map((pkg) => (
              <tr key={pkg.id}>
                <td>
                  <a href={`#/package/${encodeURIComponent(pkg.id)}`}>{pkg.workflowName}</a>
                </td>
                <td>{pkg.versionName}</td>
                <td>{new Date(pkg.createdAt).toLocaleString()}</td>
                <td>{formatBytes(pkg.size)}</td>
                <td>{pkg.report.items.length}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

interface Loaded {
  meta: PackageMeta;
  content?: PackageContent;
  files: { name: string; text: string }[];
  problem?: string;
}

async function loadContent(source: PackageSource, id: string): Promise<PackageContent> {
  const bytes = await source.bytes(id);
  if (!bytes) throw new Error('missing');
  return readPackageZip(bytes).content;
}

function PackageDetail({ source, id }: { source: PackageSource; id: string }) {
  const [state, setState] = useState<Loaded | 'loading' | 'missing'>('loading');
  const [file, setFile] = useState(0);
  useEffect(() => {
    // Another package: nothing of the last one stays on screen, and it opens on its first file.
    setState('loading');
    setFile(0);
    let current = true;
    void (async () => {
      const [meta, bytes] = await Promise.all([source.meta(id), source.bytes(id)]);
      if (!current) return;
      if (!meta || !bytes) return setState('missing');
      try {
        const { content } = readPackageZip(bytes);
        const decoder = new TextDecoder();
        setState({
          meta,
          content,
          files: serializePackage(content).map((f) => ({ name: f.name, text: decoder.decode(f.data) })),
        });
      } catch (error) {
        setState({
          meta,
          files: [],
          problem: isPackageError(error) ? error.message : 'The package could not be read.',
        });
      }
    })();
    return () => {
      current = false;
    };
  }, [id]);

  if (state === 'loading') return <p role="status">Loading…</p>;
  if (state === 'missing') return <p role="alert">This package is not in the cache any more.</p>;
  const { meta, files } = state;
  return (
    <>
      <p>
        <a href="#/">All packages</a>
      </p>
      <h1>{meta.workflowName}</h1>
      <p class="muted">
        {meta.versionName} · exported {new Date(meta.createdAt).toLocaleString()} from {meta.origin} ·{' '}
        {formatBytes(meta.size)} · SHA-256 <code>{meta.sha256.slice(0, 16)}…</code>
      </p>
      {state.problem && <p role="alert">{state.problem}</p>}

      <section aria-labelledby="redacted-title">
        <h2 id="redacted-title">What was redacted ({meta.report.items.length})</h2>
        <table>
          <thead>
            <tr>
              <th>File</th>
              <th>Where</th>
              <th>Rule</th>
              <th>Became</th>
              <th>Fingerprint</th>
            </tr>
          </thead>
          <tbody>
            {meta.report.items.map((item, index) => (
              <tr key={index}>
                <td>{item.file}</td>
                <td>
                  <code>{item.path}</code>
                </td>
                <td>{item.rule}</td>
                <td>{item.replacement ?? item.action}</td>
                <td>
                  <code>{item.fingerprint ?? ''}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>

      {state.content && <Compare source={source} meta={meta} content={state.content} />}

      {files.length > 0 && (
        <section aria-labelledby="files-title">
          <h2 id="files-title">Files</h2>
          <div
            role="tablist"
            aria-label="Files"
            onKeyDown={(event) => moveBetweenTabs(event, files.length, setFile)}
          >
            {files.map((f, index) => (
              <button
                key={f.name}
                type="button"
                role="tab"
                id={`file-tab-${index}`}
                aria-selected={index === file}
                aria-controls="file-panel"
                tabIndex={index === file ? 0 : -1}
                onClick={() => setFile(index)}
              >
                {f.name}
              </button>
            ))}
          </div>
          <pre role="tabpanel" id="file-panel" aria-labelledby={`file-tab-${file}`} tabIndex={0}>
            {files[file]!.text}
          </pre>
        </section>
      )}
    </>
  );
}

/** Arrow keys, Home and End move between the file tabs, as in any tab list; Tab goes on to the file itself. */
function moveBetweenTabs(event: KeyboardEvent, count: number, select: (index: number) => void) {
  const tabs = Array.from((event.currentTarget as HTMLElement).querySelectorAll<HTMLElement>('[role="tab"]'));
  const at = tabs.indexOf(event.target as HTMLElement);
  if (at < 0) return;
  const next =
    event.key === 'ArrowRight'
      ? (at + 1) % count
      : event.key === 'ArrowLeft'
        ? (at - 1 + count) % count
        : event.key === 'Home'
          ? 0
          : event.key === 'End'
            ? count - 1
            : -1;
  if (next < 0) return;
  event.preventDefault();
  select(next);
  tabs[next]?.focus();
}

/** Compares this package with another cached one (other versions of the same workflow first). */
function Compare({
  source,
  meta,
  content,
}: {
  source: PackageSource;
  meta: PackageMeta;
  content: PackageContent;
}) {
  const [others, setOthers] = useState<PackageMeta[]>([]);
  const [otherId, setOtherId] = useState('');
  const [result, setResult] = useState<{ other: PackageMeta; content: PackageContent } | 'unreadable' | null>(
    null,
  );
  useEffect(() => {
    void source.list().then((all) => {
      const rest = all.filter((p) => p.id !== meta.id);
      setOthers([
        ...rest.filter((p) => p.workflowId === meta.workflowId),
        ...rest.filter((p) => p.workflowId !== meta.workflowId),
      ]);
    });
  }, [meta.id]);
  useEffect(() => {
    const other = others.find((p) => p.id === otherId);
    if (!other) return setResult(null);
    loadContent(source, other.id).then(
      (otherContent) => setResult({ other, content: otherContent }),
      () => setResult('unreadable'),
    );
  }, [otherId, others]);
  if (others.length === 0) return null;
  return (
    <section aria-labelledby="compare-title">
      <h2 id="compare-title">Differences</h2>
      <label for="compare-with">Compare with</label>{' '}
      <select
        id="compare-with"
        value={otherId}
        onChange={(e) => setOtherId((e.target as HTMLSelectElement).value)}
      >
        <option value="">Choose a cached package…</option>
        {others.map((p) => (
          <option key={p.id} value={p.id}>
            {p.workflowName}: {p.versionName} ({new Date(p.createdAt).toLocaleString()})
          </option>
        ))}
      </select>
      {result === 'unreadable' && <p role="alert">That package could not be read.</p>}
      {result && result !== 'unreadable' && (
        <PackageDiffView
          diff={diffPackages(result.content, content)}
          from={`${result.other.versionName}`}
          to={`${meta.versionName}`}
        />
      )}
    </section>
  );
}
