/**
 * The package library (the toolbar popup): every cached package, newest first, searchable; each one can be saved
 * again from the cache, opened in the viewer or deleted. Long lists are shown a page at a time, so the popup is
 * ready as fast with a thousand packages as with ten.
 */
import { useEffect, useMemo, useState } from 'preact/hooks';
import { cacheUsage, CACHE_LIMIT_RANGE, type PackageMeta } from '../../lib/store/db';
import { hostOf, searchPackages } from '../../lib/store/search';
import { formatBytes } from '../../lib/format';

export interface LibrarySource {
  list(): Promise<PackageMeta[]>;
  remove(id: string): Promise<void>;
  /** Saves the package to disk from the cache; resolves with the saved file's name, rejects with a message. */
  download(id: string): Promise<string | null>;
  keep(): Promise<number>;
  setKeep(count: number): Promise<number>;
}

export interface LibraryActions {
  open(packageId?: string): void;
  options(): void;
}

/** Entries rendered at first, and added by each "Show more". */
export const PAGE_SIZE = 25;

const when = (iso: string) => new Date(iso).toLocaleString();

export function PackageLibrary({
  source,
  actions,
  embedded = false,
}: {
  source: LibrarySource;
  actions: LibraryActions;
  /** Inside the viewer's home page: a section under its heading, without the links to the viewer. */
  embedded?: boolean;
}) {
  const [packages, setPackages] = useState<PackageMeta[] | null>(null);
  const [query, setQuery] = useState('');
  const [shown, setShown] = useState(PAGE_SIZE);
  const [status, setStatus] = useState('');
  const reload = () => source.list().then(setPackages, () => setPackages([]));
  useEffect(() => void reload(), []);

  const found = useMemo(() => (packages ? searchPackages(packages, query) : []), [packages, query]);
  const usage = useMemo(() => cacheUsage(packages ?? []), [packages]);

  const download = async (meta: PackageMeta) => {
    setStatus(`Saving ${meta.workflowName} ${meta.versionName}…`);
    try {
      const savedAs = await source.download(meta.id);
      setStatus(`Saved ${meta.workflowName} ${meta.versionName} as ${savedAs ?? meta.fileName}.`);
    } catch (error) {
      setStatus(error instanceof Error ? error.message : 'The package could not be saved.');
    }
  };
  const remove = async (meta: PackageMeta) => {
    await source.remove(meta.id);
    setStatus(`Deleted ${meta.workflowName} ${meta.versionName} from the cache.`);
    await reload();
  };

  return (
    <div class={embedded ? 'library embedded' : 'library'}>
      {embedded ? <h2>Cached packages</h2> : <h1>AFP Porter packages</h1>}
      {packages === null && <p role="status">Loading…</p>}
      {packages?.length === 0 && <EmptyLibrary embedded={embedded} onOpenFile={() => actions.open()} />}
      {packages && packages.length > 0 && (
        <>
          <p class="muted" data-testid="usage">
            {usage.packages} {usage.packages === 1 ? 'package' : 'packages'} from {usage.exports}{' '}
            {usage.exports === 1 ? 'export' : 'exports'} · {formatBytes(usage.storedBytes)} stored (
            {formatBytes(usage.zipBytes)} as zips)
          </p>
          <div class="search">
            <label for="library-search">Search</label>
            <input
              id="library-search"
              type="search"
              placeholder="Workflow, version or host"
              value={query}
              onInput={(event) => {
                setQuery((event.target as HTMLInputElement).value);
                setShown(PAGE_SIZE);
              }}
            />
          </div>
          <p class="muted" aria-live="polite">
            {query ? `${found.length} of ${packages.length} match` : ''}
          </p>
          <ul class="entries" aria-label="Cached packages">
            {found.slice(0, shown).map((meta) => (
              <LibraryEntry
                key={meta.id}
                meta={meta}
                heading={embedded ? 'h3' : 'h2'}
                onDownload={() => void download(meta)}
                onOpen={() => actions.open(meta.id)}
                onDelete={() => void remove(meta)}
              />
            ))}
          </ul>
          {found.length > shown && (
            <button type="button" onClick={() => setShown(shown + PAGE_SIZE)}>
              Show {Math.min(PAGE_SIZE, found.length - shown)} more ({found.length - shown} not shown)
            </button>
          )}
        </>
      )}
      <p role="status" class="library-status">
        {status}
      </p>
      {packages !== null && <KeepSetting source={source} onChange={() => void reload()} />}
      {!embedded && (
        <nav class="library-links" aria-label="More">
          <a
            href="#"
            onClick={(event) => {
              event.preventDefault();
              actions.open();
            }}
          >
            Open the viewer (or a zip from disk)
          </a>
          <a
            href="#"
            onClick={(event) => {
              event.preventDefault();
              actions.options();
            }}
          >
            Options
          </a>
        </nav>
      )}
    </div>
  );
}

function LibraryEntry(props: {
  meta: PackageMeta;
  heading: 'h2' | 'h3';
  onDownload: () => void;
  onOpen: () => void;
  onDelete: () => void;
}) {
  const { meta } = props;
  const exports = meta.exportedAt ?? [meta.createdAt];
  const titleId = `entry-${meta.id}`;
  const Heading = props.heading;
  return (
    <li class="entry" aria-labelledby={titleId}>
      <Heading id={titleId} class="entry-title">
        {meta.workflowName} <span class="entry-version">{meta.versionName}</span>
      </Heading>
      <p class="muted">
        {hostOf(meta.origin)} · {formatBytes(meta.size)} · {meta.report.items.length} redacted
      </p>
      {exports.length === 1 ? (
        <p class="muted">Exported {when(exports[0]!)}</p>
      ) : (
        <details class="muted">
          <summary>
            Exported {exports.length} times, last {when(exports[0]!)}
          </summary>
          <ul>
            {exports.map((at) => (
              <li key={at}>{when(at)}</li>
            ))}
          </ul>
        </details>
      )}
      <div class="entry-actions">
        <button type="button" onClick={props.onDownload}>
          Download again
        </button>
        <button type="button" onClick={props.onOpen}>
          Open
        </button>
        <button type="button" class="danger" onClick={props.onDelete}>
          Delete
        </button>
      </div>
    </li>
  );
}

function EmptyLibrary({ onOpenFile, embedded }: { onOpenFile: () => void; embedded: boolean }) {
  return (
    <div class="empty">
      <p>
        <strong>No packages yet.</strong> Every workflow you export is kept here, to download again, read or
        compare, even offline.
      </p>
      <ol>
        <li>Open a workflow in AI for Process.</li>
        <li>Go to its Configurations page.</li>
        <li>In the AFP Porter section, choose a version and press Export.</li>
      </ol>
      {!embedded && (
        <p>
          Have a package zip already?{' '}
          <a
            href="#"
            onClick={(event) => {
              event.preventDefault();
              onOpenFile();
            }}
          >
            Open it in the viewer
          </a>
          .
        </p>
      )}
    </div>
  );
}

function KeepSetting({ source, onChange }: { source: LibrarySource; onChange: () => void }) {
  const [keep, setKeep] = useState<number | null>(null);
  const [draft, setDraft] = useState('');
  useEffect(() => void source.keep().then((value) => (setKeep(value), setDraft(String(value)))), []);
  if (keep === null) return null;
  const save = async (event: Event) => {
    event.preventDefault();
    const wanted = Number(draft);
    if (!Number.isFinite(wanted)) return setDraft(String(keep));
    const value = await source.setKeep(wanted);
    setKeep(value);
    setDraft(String(value));
    onChange();
  };
  return (
    <form class="keep" onSubmit={(event) => void save(event)}>
      <label for="keep-count">Keep the latest</label>
      <input
        id="keep-count"
        type="number"
        min={CACHE_LIMIT_RANGE.min}
        max={CACHE_LIMIT_RANGE.max}
        value={draft}
        onInput={(event) => setDraft((event.target as HTMLInputElement).value)}
      />
      <span>packages</span>
      <button type="submit" disabled={draft === String(keep)}>
        Save
      </button>
    </form>
  );
}
