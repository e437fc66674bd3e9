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
 * How the viewer and the layout made at export keep ELK to one run per flow, not two at once on the same cores
 * (each cold run would take longer than one alone):
 * - a layout made at export marks its flow as under way in the cache while it works (so a viewer finds out with
 *   the same lookup that finds a kept layout, and one that finds no mark starts at once), says so again every
 *   HEARTBEAT_MS on a BroadcastChannel, and says when it has kept its answer (or failed). A viewer that finds the
 *   mark waits for it: it began earlier.
 * - a layout made at export asks when it starts; a viewer already laying the flow out itself answers, and the
 *   layout made at export stops.
 */
const CHANNEL = 'porter-flow-layouts';
type Message = { kind: 'asking' | 'under-way' | 'kept' | 'failed' | 'viewer-laying-out'; key: string };
/** A layout made at export says it is still under way this often… */
const HEARTBEAT_MS = 500;
/** …and a viewer that hears nothing of it for this long (its page or worker was closed) lays the flow out itself. */
const SILENCE_MS = 2_000;
/** A mark older than this was left by a layout that was stopped before it could remove it. */
const STALE_MARK_MS = 60_000;

// A query, not a fragment: the Cache API ignores fragments when it matches, and kept answers have no query.
const markOf = (key: string) => `${key}?under-way`;
const isMark = (url: string) => new URL(url).search !== '';

function messageAbout(data: unknown, key: string): Message['kind'] | undefined {
  if (typeof data !== 'object' || data === null) return undefined;
  const message = data as Partial<Message>;
  return message.key === key ? message.kind : undefined;
}

async function keptLayout(cache: Cache, key: string): Promise<ElkGraph | undefined> {
  const kept = await cache.match(key).catch(() => undefined);
  return kept ? ((await kept.json()) as ElkGraph) : undefined;
}

async function markedUnderWay(cache: Cache, key: string): Promise<boolean> {
  const mark = await cache.match(markOf(key)).catch(() => undefined);
  const since = Number(await mark?.text());
  return Date.now() - since < STALE_MARK_MS;
}

/** The answer of the layout made at export under way, once it is kept; undefined if it fails or falls silent. */
function layoutUnderWay(channel: BroadcastChannel, cache: Cache, key: string): Promise<ElkGraph | undefined> {
  return new Promise((resolve) => {
    let timer = setTimeout(() => resolve(undefined), SILENCE_MS);
    const settle = (answer: Promise<ElkGraph | undefined> | undefined) => {
      clearTimeout(timer);
      resolve(answer);
    };
    channel.onmessage = (event: MessageEvent<unknown>) => {
      const kind = messageAbout(event.data, key);
      if (kind === 'under-way') {
        clearTimeout(timer);
        timer = setTimeout(() => resolve(undefined), SILENCE_MS);
      } else if (kind === 'kept') settle(keptLayout(cache, key));
      else if (kind === 'failed') settle(undefined);
    };
    // Kept while this page was not yet listening: nothing more will be said.
    void keptLayout(cache, key).then((kept) => kept && settle(Promise.resolve(kept)));
  });
}

/** ELK's answer for `input`, and whether it was kept from earlier (a visit before, or the export). */
export async function rememberedLayout(
  input: ElkGraph,
  layout: (input: ElkGraph) => Promise<ElkGraph>,
): Promise<{ result: ElkGraph; remembered: boolean }> {
  const cache = await open();
  if (!cache) return { result: await layout(input), remembered: false };
  const key = await keyOf(input);
  const kept = await keptLayout(cache, key);
  if (kept) return { result: kept, remembered: true };
  const channel = new BroadcastChannel(CHANNEL);
  try {
    const fromExport = (await markedUnderWay(cache, key))
      ? await layoutUnderWay(channel, cache, key)
      : undefined;
    if (fromExport) return { result: fromExport, remembered: true };
    const layingOut: Message = { kind: 'viewer-laying-out', key };
    channel.onmessage = (event: MessageEvent<unknown>) => {
      if (messageAbout(event.data, key) === 'asking') channel.postMessage(layingOut);
    };
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
 * nothing, when a viewer is already laying the same flow out itself: the caller then stops `layout`'s work.
 */
export async function layOutForLater(
  input: ElkGraph,
  layout: (input: ElkGraph) => Promise<ElkGraph>,
): Promise<void> {
  const cache = await open();
  if (!cache) return;
  const key = await keyOf(input);
  if (await cache.match(key).catch(() => undefined)) return;
  const channel = new BroadcastChannel(CHANNEL);
  const say = (kind: Message['kind']) => channel.postMessage({ kind, key } satisfies Message);
  const viewerLaysOut = new Promise<undefined>((resolve) => {
    channel.onmessage = (event: MessageEvent<unknown>) => {
      const kind = messageAbout(event.data, key);
      if (kind === 'viewer-laying-out') resolve(undefined);
    };
  });
  say('asking');
  await cache.put(markOf(key), new Response(String(Date.now()))).catch(() => undefined);
  const heartbeat = setInterval(() => say('under-way'), HEARTBEAT_MS);
  try {
    const result = await Promise.race([layout(input), viewerLaysOut]);
    if (result) {
      await keep(cache, key, result);
      say('kept');
    }
  } catch (error) {
    say('failed');
    throw error;
  } finally {
    clearInterval(heartbeat);
    channel.close();
    await cache.delete(markOf(key)).catch(() => undefined);
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
    const keys = (await cache.keys()).filter((request) => !isMark(request.url));
    for (const old of keys.slice(0, Math.max(0, keys.length - KEPT))) await cache.delete(old);
  } catch {
    // A full or unavailable cache only means laying out again next time.
  }
}
