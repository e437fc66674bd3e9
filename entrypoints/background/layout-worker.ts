/**
 * Lays a cached package's flow out with ELK for the viewer's first visit, off the page that started it (see
 * ./layout-ahead.ts): reads the package from IndexedDB itself, so that only its id comes in a message, and keeps
 * ELK's answer (ids and positions) in the viewer's layout memory. Answers `true` once done, `false` if it failed.
 */
import ELK from 'elkjs/lib/elk-api.js';
import { PorterDatabase, packageBytes } from '../../lib/store/db';
import { readPackageZip } from '../../lib/package/zip-read';
import { aheadOfTimeInput, type ElkGraph } from '../../lib/package/graph';
import { layOutForLater } from '../viewer/layout-memory';

const db = new PorterDatabase();
// The viewer's own ELK worker, nested: its code is in the extension once.
const elk = new ELK({
  workerFactory: () => new Worker(new URL('../viewer/elk-worker.ts', import.meta.url), { type: 'module' }),
});

self.onmessage = async (event: MessageEvent<unknown>) => {
  const packageId = event.data;
  if (typeof packageId !== 'string') return;
  try {
    const bytes = await packageBytes(db, packageId);
    const input = bytes && aheadOfTimeInput(readPackageZip(bytes).content.flow);
    if (input)
      await layOutForLater(input, async (graph) => (await elk.layout(graph as never)) as unknown as ElkGraph);
    self.postMessage(true);
  } catch {
    self.postMessage(false);
  }
};
