import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { layOutForLater, rememberedLayout } from '../../../entrypoints/viewer/layout-memory';
import type { ElkGraph } from '../../../lib/package/graph';
import { sha256Hex } from '../../../lib/store/compact';

/** The Cache API as the pages and workers of one extension share it, in memory. */
class MemoryCache {
  readonly entries = new Map<string, string>();
  private static url = (key: RequestInfo | URL) => (key instanceof Request ? key.url : String(key));
  async match(key: RequestInfo | URL) {
    const body = this.entries.get(MemoryCache.url(key));
    return body === undefined ? undefined : new Response(body);
  }
  async put(key: RequestInfo | URL, response: Response) {
    this.entries.set(MemoryCache.url(key), await response.text());
  }
  async delete(key: RequestInfo | URL) {
    return this.entries.delete(MemoryCache.url(key));
  }
  async keys() {
    return [...this.entries.keys()].map((url) => new Request(url));
  }
}

const input: ElkGraph = { id: 'flow', children: [{ id: 'a', width: 180, height: 48 }] };
const answer: ElkGraph = {
  id: 'flow',
  width: 180,
  height: 48,
  children: [{ id: 'a', x: 12, y: 34 }],
  edges: [],
};

/** The key layout memory files `graph` under (the Cache API entry's URL). */
const keyFor = async (graph: ElkGraph) =>
  `https://layouts.invalid/${await sha256Hex(new TextEncoder().encode(JSON.stringify(graph)))}`;

let cache: MemoryCache;
beforeEach(() => {
  cache = new MemoryCache();
  vi.stubGlobal('caches', { open: async () => cache });
});
afterEach(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

describe('layout memory', () => {
  it('keeps the layout made at export for the first visit, and makes it once per flow', async () => {
    await layOutForLater(input, async () => answer);
    const inViewer = vi.fn(async () => answer);
    expect(await rememberedLayout(input, inViewer)).toEqual({ result: answer, remembered: true });
    expect(inViewer).not.toHaveBeenCalled();

    // Exported again: already kept, nothing laid out.
    const again = vi.fn(async () => answer);
    await layOutForLater(input, again);
    expect(again).not.toHaveBeenCalled();
  });

  it('a viewer opened while the export’s layout is under way waits for it rather than laying the flow out again', async () => {
    let finish!: (result: ElkGraph) => void;
    const atExport = layOutForLater(input, () => new Promise((resolve) => (finish = resolve)));
    await vi.waitFor(() => expect(finish).toBeDefined());
    const inViewer = vi.fn(async () => answer);
    const visit = rememberedLayout(input, inViewer);
    // Longer than a viewer waits for an answer: the layout under way has answered and keeps saying so.
    await new Promise((resolve) => setTimeout(resolve, 700));
    finish(answer);
    expect(await visit).toEqual({ result: answer, remembered: true });
    await atExport;
    expect(inViewer).not.toHaveBeenCalled();
    // Once kept, the flow is no longer marked as under way.
    expect([...cache.entries.keys()].filter((url) => url.includes('?'))).toEqual([]);
  });

  it('a viewer lays the flow out itself when the export’s layout fails', async () => {
    let fail!: (error: Error) => void;
    const atExport = layOutForLater(input, () => new Promise((_, reject) => (fail = reject)));
    await vi.waitFor(() => expect(fail).toBeDefined());
    const inViewer = vi.fn(async () => answer);
    const visit = rememberedLayout(input, inViewer);
    await new Promise((resolve) => setTimeout(resolve, 200));
    fail(new Error('ELK failed'));
    await expect(atExport).rejects.toThrow('ELK failed');
    expect(await visit).toEqual({ result: answer, remembered: false });
    expect(inViewer).toHaveBeenCalledOnce();
  });

  it('a viewer lays the flow out itself when the layout marked as under way falls silent (its worker was closed)', async () => {
    // Marked a moment ago by a layout whose worker was then closed: no word will come from it.
    await cache.put(`${await keyFor(input)}?under-way`, new Response(String(Date.now())));
    const inViewer = vi.fn(async () => answer);
    const visit = rememberedLayout(input, inViewer);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(inViewer).not.toHaveBeenCalled();
    expect(await visit).toEqual({ result: answer, remembered: false });
    expect(inViewer).toHaveBeenCalledOnce();
  });

  it('stops the layout made at export also when the viewer began laying the flow out before it', async () => {
    let finish!: (result: ElkGraph) => void;
    const visit = rememberedLayout(input, () => new Promise((resolve) => (finish = resolve)));
    await vi.waitFor(() => expect(finish).toBeDefined());
    const atExport = vi.fn(() => new Promise<ElkGraph>(() => undefined));
    await layOutForLater(input, atExport);
    finish(answer);
    expect(await visit).toEqual({ result: answer, remembered: false });
  });
});
