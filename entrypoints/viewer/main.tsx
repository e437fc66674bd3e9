import { render } from 'preact';
import ELK from 'elkjs/lib/elk-api.js';
import { Viewer, type ViewerServices, type ViewerSource } from '../../components/viewer/Viewer';
import type { ReadFailure, ReadPackage } from '../../components/viewer/load';
import { PorterDatabase, packageBytes, savePackage } from '../../lib/store/db';
import { librarySource } from '../../components/library/source';
import { sha256Hex } from '../../lib/store/compact';
import { PackageError, type PackageErrorCode } from '../../lib/package/errors';
import type { PackageContent } from '../../lib/package/schemas';
import { elkInput, elkWarmUp, fromElk, type ElkGraph } from '../../lib/package/graph';
import { importAction } from './import-action';
import { rememberedLayout } from './layout-memory';
import '../../components/page.css';

const db = new PorterDatabase();

const source: ViewerSource = {
  ...librarySource(db, (request) => browser.runtime.sendMessage(request)),
  meta: (id) => db.packages.get(id),
  bytes: (id) => packageBytes(db, id),
  async keepFile(fileName, bytes, content) {
    const id = crypto.randomUUID();
    await savePackage(
      db,
      {
        id,
        origin: 'file',
        workflowId: `file:${content.app.workflow.name}`,
        workflowName: content.app.workflow.name,
        versionId: content.app.version.id ?? '',
        versionName: content.app.version.name,
        versionState: '',
        fileName,
        size: bytes.byteLength,
        sha256: await sha256Hex(bytes),
        createdAt: new Date().toISOString(),
        report: { items: [], variables: [] },
      },
      bytes,
    );
    return id;
  },
};

/** One worker reads packages; answers are matched to requests by number, the content coming first. */
function packageReader() {
  const worker = new Worker(new URL('./package-worker.ts', import.meta.url), { type: 'module' });
  const waiting = new Map<
    number,
    {
      resolve: (read: ReadPackage) => void;
      reject: (error: unknown) => void;
      content?: PackageContent;
    }
  >();
  let next = 0;
  worker.onmessage = (
    event: MessageEvent<
      | { id: number; content: PackageContent }
      | { id: number; ok: true; read: Omit<ReadPackage, 'content'> }
      | { id: number; ok: false; failure: ReadFailure }
    >,
  ) => {
    const answer = event.data;
    const request = waiting.get(answer.id);
    if (!request) return;
    if ('content' in answer) {
      request.content = answer.content;
      return;
    }
    waiting.delete(answer.id);
    if (answer.ok) request.resolve({ ...answer.read, content: request.content! });
    else {
      const { code, message, problems } = answer.failure;
      request.reject(new PackageError(code as PackageErrorCode, message, problems));
    }
  };
  return (bytes: Uint8Array) =>
    new Promise<ReadPackage>((resolve, reject) => {
      const id = next++;
      waiting.set(id, { resolve, reject });
      worker.postMessage({ id, bytes });
    });
}

const elk = new ELK({
  workerFactory: () => new Worker(new URL('./elk-worker.ts', import.meta.url), { type: 'module' }),
});
// The worker starts with the page and stays for every package opened in it; warmed up while a package is read.
void elk.layout(elkWarmUp() as never).catch(() => undefined);

function save(name: string, data: Uint8Array | string) {
  const type = typeof data === 'string' ? 'application/json' : 'application/zip';
  const url = URL.createObjectURL(new Blob([data as BlobPart], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

const services: ViewerServices = {
  read: packageReader(),
  layout: async (graph) => {
    const { result, remembered } = await rememberedLayout(
      elkInput(graph),
      async (input) => (await elk.layout(input as never)) as unknown as ElkGraph,
    );
    return { ...fromElk(graph, result), remembered };
  },
  save,
  onLaidOut: (layout) => {
    // For the bench and the end-to-end tests: the graph has its final layout.
    document.documentElement.dataset.flowLayout = `${layout.engine}:${layout.nodes.length}`;
  },
};

render(
  <Viewer source={source} services={services} packageActions={importAction} />,
  document.getElementById('app')!,
);
