/**
 * ELK's answers kept between visits (the browser's Cache API, under a key made of the input's SHA-256): ELK
 * lays the same input out the same way, and a 2,000-node flow takes it seconds, so a package opened again is
 * drawn at once; a large flow is laid out when it is exported too (layOutForLater), so that even a first visit
 * finds it. Only the latest few are kept; a browser without the Cache API just lays out every time.
 */
import { sha256Hex } from '../../lib/store/compact';
import type { ElkGraph } from '../../lib/package/graph';

/** Renamed when elkjs or the reading of its answer changes, so that older answers are not reused. */
export const LAYOUT_CACHE = 'porter-flow-layouts-elk-0.12.1';
const KEPT = 20;

async function open(): Promise<Cache | undefined> {
  try {
    return typeof caches === 'undefined' ? undefined : await caches.open(LAYOUT_CACHE);
  } catch {
    return undefined;
  }
}

/** A URL only names the entry: nothing is fetched. */
async function keyOf(input: ElkGraph): Promise<string> {
  return `https://layouts.invalid/${await sha256Hex(new TextEncoder().encode(JSON.stringify(input)))}`;
}

/**
 * Where a viewer that lays a flow out itself says so: a layout of the same flow made for later (at export) then
 * stops, since two cold ELK runs at once on the same cores would each take longer than one alone. The viewer says
 * it when it starts and again whenever asked, as the layout for later may start listening after it began.
 */
const LAYING_OUT = 'porter-flow-layouts';
type LayingOutMessage = { kind: 'laying-out' | 'asking'; key: string };
const isAbout = (data: unknown, kind: LayingOutMessage['kind'], key: string) =>
  typeof data === 'object' &&
  data !== null &&
  (data as LayingOutMessage).kind === kind &&
  (data as LayingOutMessage).key === key;

/** ELK's answer for `input`, and whether it was kept from earlier (a visit before, or the export). */
export async function rememberedLayout(
  input: ElkGraph,
  layout: (input: ElkGraph) => Promise<ElkGraph>,
): Promise<{ result: ElkGraph; remembered: boolean }> {
  const cache = await open();
  if (!cache) return { result: await layout(input), remembered: false };
  const key = await keyOf(input);
  const kept = await cache.match(key).catch(() => undefined);
  if (kept) return { result: (await kept.json()) as ElkGraph, remembered: true };
  const channel = new BroadcastChannel(LAYING_OUT);
  const layingOut: LayingOutMessage = { kind: 'laying-out', key };
  channel.onmessage = (event: MessageEvent<unknown>) => {
    if (isAbout(event.data, 'asking', key)) channel.postMessage(layingOut);
  };
  channel.postMessage(layingOut);
  try {
    const result = await layout(input);
    // After the graph is drawn.
    setTimeout(() => void keep(cache, key, result), 0);
    return { result, remembered: false };
  } finally {
    channel.close();
  }
}

/**
 * Lays `input` out and keeps the answer for the viewer's first visit (after an export); nothing to do when it is
 * kept already (the same version exported again) or when there is no cache to keep it in. Ends early, keeping
 * nothing, when a viewer starts laying the same flow out itself: the caller then stops `layout`'s work.
 */
export async function layOutForLater(
  input: ElkGraph,
  layout: (input: ElkGraph) => Promise<ElkGraph>,
): Promise<void> {
  const cache = await open();
  if (!cache) return;
  const key = await keyOf(input);
  if (await cache.match(key).catch(() => undefined)) return;
  const channel = new BroadcastChannel(LAYING_OUT);
  const viewerTookOver = new Promise<undefined>((resolve) => {
    channel.onmessage = (event: MessageEvent<unknown>) => {
      if (isAbout(event.data, 'laying-out', key)) resolve(undefined);
    };
  });
  channel.postMessage({ kind: 'asking', key } satisfies LayingOutMessage);
  try {
    const result = await Promise.race([layout(input), viewerTookOver]);
    if (result) await keep(cache, key, result);
  } finally {
    channel.close();
  }
}

/** Only what fromElk reads. */
function essentials(result: ElkGraph): ElkGraph {
  return {
    id: result.id,
    width: result.width,
    height: result.height,
    children: result.children?.map(({ id, x, y }) => ({ id, x, y })),
    edges: result.edges?.map(({ id, sources, targets, sections }) => ({
      id,
      sources,
      targets,
      sections: sections?.slice(0, 1).map(({ startPoint, endPoint, bendPoints }) => ({
        startPoint,
        endPoint,
        bendPoints,
      })),
    })),
  };
}

async function keep(cache: Cache, key: string, result: ElkGraph) {
  try {
    await cache.put(key, new Response(JSON.stringify(essentials(result))));
    const keys = await cache.keys();
    for (const old of keys.slice(0, Math.max(0, keys.length - KEPT))) await cache.delete(old);
  } catch {
    // A full or unavailable cache only means laying out again next time.
  }
}
