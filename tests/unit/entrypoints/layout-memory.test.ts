import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { layOutForLater, rememberedLayout } from '../../../entrypoints/viewer/layout-memory';
import type { ElkGraph } from '../../../lib/package/graph';

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

  it('stops the layout made at export when a viewer lays the same flow out itself, keeping only the viewer’s', async () => {
    let started = false;
    const atExport = layOutForLater(input, () => {
      started = true;
      // Slower than the viewer's: it would never end on its own here.
      return new Promise<ElkGraph>(() => undefined);
    });
    await vi.waitFor(() => expect(started).toBe(true));
    const inViewer = vi.fn(async () => answer);
    expect(await rememberedLayout(input, inViewer)).toEqual({ result: answer, remembered: false });
    await atExport;
    await vi.waitFor(() => expect(cache.entries.size).toBe(1));
    expect(JSON.parse([...cache.entries.values()][0]!)).toMatchObject({
      children: [{ id: 'a', x: 12, y: 34 }],
    });
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
