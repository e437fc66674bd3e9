/**
 * The offline viewer. `#/`: open a zip from disk, and the cached packages. A package (cached, or opened from
 * disk) has five views, each with its own address and page title: Overview, Flow, Files, Redactions, Compare.
 * Every page names a way back; a package is read from its own bytes by the core's reader, as an import would.
 */
import type { ComponentChildren } from 'preact';
import { useEffect, useMemo, useState } from 'preact/hooks';
import type { PackageMeta } from '../../lib/store/db';
import type { PackageContent } from '../../lib/package/schemas';
import type { RedactionReport } from '../../lib/redaction/redactor';
import { nodeLine, type FlowGraph, type GraphLayout } from '../../lib/package/graph';
import { formatBytes } from '../../lib/format';
import { hostOf } from '../../lib/store/search';
import { PackageLibrary, type LibrarySource } from '../library/PackageLibrary';
import { parseRoute, viewHref, VIEW_LABELS, VIEWS, type Route, type ViewName } from './route';
import { failureOf, readForViewer, type ReadFailure, type ReadPackage } from './load';
import { OpenFile } from './OpenFile';
import { Overview } from './Overview';
import { FlowView } from './FlowView';
import { FilesView, type ViewerFile } from './FilesView';
import { RedactionsView } from './RedactionsView';
import { CompareView } from './CompareView';
import { oncePerGraph } from './layouts';

export interface ViewerSource extends LibrarySource {
  meta(id: string): Promise<PackageMeta | undefined>;
  bytes(id: string): Promise<Uint8Array | undefined>;
  /** Keeps a zip opened from disk in the library; resolves with its id there. */
  keepFile(fileName: string, bytes: Uint8Array, content: PackageContent): Promise<string>;
}

export interface ViewerServices {
  /** Reads a package off the main thread (a worker); readForViewer by default. */
  read?: (bytes: Uint8Array) => Promise<ReadPackage>;
  /** ELK's layout in a worker; without it the quick layout is shown. */
  layout?: (graph: FlowGraph) => Promise<GraphLayout>;
  /** Saves a file to disk. */
  save: (name: string, data: Uint8Array | string) => void;
  /** Called when the flow graph has its ELK layout (bench, tests). */
  onLaidOut?: (layout: GraphLayout) => void;
}

/** The package being shown, cached (`id`) or opened from disk. */
export interface ShownPackage {
  id?: string;
  meta?: PackageMeta;
  fileName: string;
  bytes: Uint8Array;
  read: ReadPackage;
}

/**
 * Actions offered for a package in its header (the import helper adds "Import into AI for Process…" here).
 */
export type PackageActions = (pkg: ShownPackage) => ComponentChildren;

function useHash(): string {
  const [hash, setHash] = useState(location.hash);
  useEffect(() => {
    const onChange = () => setHash(location.hash);
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return hash;
}

function useTitle(title: string) {
  useEffect(() => {
    document.title = `${title} · AFP Porter`;
  }, [title]);
}

/** A zip opened from disk lives as long as the page (it is not stored unless kept). */
let openedFromDisk: ShownPackage | null = null;

export function Viewer(props: {
  source: ViewerSource;
  services: ViewerServices;
  packageActions?: PackageActions;
}) {
  const route = parseRoute(useHash());
  const [openFailure, setOpenFailure] = useState<(ReadFailure & { fileName: string }) | null>(null);
  const read = props.services.read ?? (async (bytes: Uint8Array) => readForViewer(bytes));
  const layout = useMemo(
    () => props.services.layout && oncePerGraph(props.services.layout),
    [props.services.layout],
  );
  const services = useMemo(() => ({ ...props.services, layout }), [props.services, layout]);
  const openFile = async (fileName: string, bytes: Uint8Array) => {
    try {
      openedFromDisk = { fileName, bytes, read: await read(bytes) };
      setOpenFailure(null);
      location.hash = viewHref(undefined, 'overview');
    } catch (error) {
      setOpenFailure({ fileName, ...failureOf(error) });
      location.hash = '#/';
    }
  };
  return (
    <main class="page viewer">
      {route.kind === 'home' ? (
        <Home
          source={props.source}
          failure={openFailure}
          onFile={(name, bytes) => void openFile(name, bytes)}
        />
      ) : (
        <PackagePage
          key={route.kind === 'package' ? route.id : 'opened'}
          route={route}
          read={read}
          {...props}
          services={services}
        />
      )}
    </main>
  );
}

function Home(props: {
  source: ViewerSource;
  failure: (ReadFailure & { fileName: string }) | null;
  onFile: (name: string, bytes: Uint8Array) => void;
}) {
  useTitle('Packages');
  const { failure } = props;
  return (
    <>
      <h1>AFP Porter viewer</h1>
      <OpenFile onFile={props.onFile} />
      {failure && (
        <div role="alert" class="problem" data-code={failure.code}>
          <p>
            <strong>{failure.fileName}</strong> could not be opened: {failure.message}
          </p>
          {failure.problems.length > 0 && (
            <ul>
              {failure.problems.slice(0, 20).map((problem, index) => (
                <li key={index}>
                  {[problem.file, problem.path].filter(Boolean).join(' ')}
                  {problem.file || problem.path ? ': ' : ''}
                  {problem.message}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
      <PackageLibrary
        embedded
        source={props.source}
        actions={{
          open: (id) => {
            if (id) location.hash = viewHref(id, 'overview');
          },
          options: () => undefined,
        }}
      />
    </>
  );
}

type PackageState = ShownPackage | 'loading' | 'missing' | 'not-opened' | { failure: ReadFailure };

function PackagePage(props: {
  route: Exclude<Route, { kind: 'home' }>;
  source: ViewerSource;
  services: ViewerServices;
  packageActions?: PackageActions;
  read: (bytes: Uint8Array) => Promise<ReadPackage>;
}) {
  const { route, source } = props;
  const id = route.kind === 'package' ? route.id : undefined;
  const [state, setState] = useState<PackageState>('loading');
  useEffect(() => {
    if (id === undefined) return setState(openedFromDisk ?? 'not-opened');
    let current = true;
    setState('loading');
    void (async () => {
      const [meta, bytes] = await Promise.all([source.meta(id), source.bytes(id)]);
      if (!current) return;
      if (!meta || !bytes) return setState('missing');
      try {
        const read = await props.read(bytes);
        if (current) setState({ id, meta, fileName: meta.fileName, bytes, read });
      } catch (error) {
        if (current) setState({ failure: failureOf(error) });
      }
    })();
    return () => {
      current = false;
    };
  }, [id]);

  if (state === 'loading') return <Loading />;
  if (state === 'missing' || state === 'not-opened' || 'failure' in state) return <DeadEnd state={state} />;
  return <PackageViews pkg={state} {...props} />;
}

function Loading() {
  useTitle('Loading');
  return <p role="status">Loading…</p>;
}

function DeadEnd({ state }: { state: 'missing' | 'not-opened' | { failure: ReadFailure } }) {
  const title =
    state === 'missing'
      ? 'Package not found'
      : state === 'not-opened'
        ? 'No package open'
        : 'Package unreadable';
  useTitle(title);
  return (
    <>
      <h1>{title}</h1>
      <p role="alert">
        {state === 'missing'
          ? 'This package is not in the cache any more.'
          : state === 'not-opened'
            ? 'A zip opened from disk is not kept after the page is reloaded. Open it again.'
            : `The cached package could not be read: ${state.failure.message}`}
      </p>
      <p>
        <a href="#/">Back to all packages</a>
      </p>
    </>
  );
}

function PackageViews(props: {
  pkg: ShownPackage;
  route: Exclude<Route, { kind: 'home' }>;
  source: ViewerSource;
  services: ViewerServices;
  packageActions?: PackageActions;
  read: (bytes: Uint8Array) => Promise<ReadPackage>;
}) {
  const { pkg, route, source, services } = props;
  const { content, files } = pkg.read;
  const name = content.app.workflow.name;
  const version = content.app.version.name;
  const view: ViewName = route.view;
  useTitle(`${name} ${version} · ${VIEW_LABELS[view]}`);
  const { summary, graph, quick } = pkg.read;
  // ELK starts as soon as the package is read, whichever view is shown; the Flow view then reuses its answer.
  useEffect(() => void services.layout?.(graph).catch(() => undefined), [graph]);
  const [candidates, setCandidates] = useState<PackageMeta[]>([]);
  useEffect(() => void source.list().then(setCandidates, () => setCandidates([])), [pkg]);
  const [kept, setKept] = useState('');
  const href = (v: ViewName, params: Record<string, string | number> = {}) => viewHref(pkg.id, v, params);
  const flowFile = files.find((f) => f.name === 'flow_definition.json');
  const report: RedactionReport | undefined = pkg.meta?.report;

  return (
    <>
      <p>
        <a href="#/">← All packages</a>
      </p>
      <header class="package-header">
        <h1>
          {name} <span class="entry-version">{version}</span>
        </h1>
        <p class="muted">
          {pkg.meta
            ? `Exported ${new Date(pkg.meta.createdAt).toLocaleString()} from ${hostOf(pkg.meta.origin)}`
            : `Opened from ${pkg.fileName}`}{' '}
          · {formatBytes(pkg.bytes.byteLength)}
          {pkg.meta && (
            <>
              {' '}
              · SHA-256 <code>{pkg.meta.sha256.slice(0, 16)}…</code>
            </>
          )}
        </p>
        <div class="package-actions">
          <button type="button" onClick={() => services.save(pkg.fileName, pkg.bytes)}>
            Download zip
          </button>
          {!pkg.id && (
            <button
              type="button"
              onClick={() =>
                void source.keepFile(pkg.fileName, pkg.bytes, content).then(
                  (keptId) => (location.hash = viewHref(keptId, view)),
                  (error: unknown) =>
                    setKept(error instanceof Error ? error.message : 'The package could not be kept.'),
                )
              }
            >
              Keep in library
            </button>
          )}
          {props.packageActions?.(pkg)}
          <span role="status">{kept}</span>
        </div>
        {pkg.read.warnings.length > 0 && (
          <ul class="warnings">
            {pkg.read.warnings.map((warning) => (
              <li key={warning}>{warning}</li>
            ))}
          </ul>
        )}
      </header>
      <nav aria-label="Views" class="views">
        {VIEWS.map((v) => (
          <a key={v} href={href(v)} aria-current={v === view ? 'page' : undefined}>
            {VIEW_LABELS[v]}
          </a>
        ))}
      </nav>
      {view === 'overview' && <Overview summary={summary} />}
      {view === 'flow' && (
        <FlowView
          graph={graph}
          quick={quick}
          nodes={content.flow.nodes}
          layout={services.layout}
          selected={route.params.get('node') ?? undefined}
          onSelect={(nodeId) => (location.hash = href('flow', nodeId ? { node: nodeId } : {}))}
          onLaidOut={services.onLaidOut}
          label={`Flow of ${name} ${version}`}
        />
      )}
      {view === 'files' && (
        <FilesView
          files={files}
          file={route.params.get('file') ?? undefined}
          line={Number(route.params.get('line')) || undefined}
          href={(query) => `${viewHref(pkg.id, 'files')}${query.replace(/^files/, '')}`}
          onDownload={(file: ViewerFile) => services.save(file.name, file.text)}
        />
      )}
      {view === 'redactions' &&
        (report ? (
          <RedactionsView
            report={report}
            content={content}
            graphHref={(nodeId) => href('flow', { node: nodeId })}
            fileHref={(file, nodeId) => {
              const line =
                nodeId && file === 'flow_definition.json' && flowFile ? nodeLine(flowFile.text, nodeId) : 0;
              return href('files', { file, ...(line ? { line } : {}) });
            }}
          />
        ) : (
          <p>
            This package was opened from a file: its redaction report stays with the export that made it. Keep
            it in the library to compare it with cached versions.
          </p>
        ))}
      {view === 'compare' && (
        <CompareView
          current={pkg.meta}
          side={{ label: version, content, exportedAt: pkg.meta?.createdAt }}
          candidates={candidates}
          withId={route.params.get('with') ?? undefined}
          onPick={(otherId) => (location.hash = href('compare', otherId ? { with: otherId } : {}))}
          load={async (otherId) => {
            const bytes = await source.bytes(otherId);
            if (!bytes) throw new Error('missing');
            return (await props.read(bytes)).content;
          }}
          layout={services.layout}
        />
      )}
    </>
  );
}
