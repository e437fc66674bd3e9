/**
 * One bulk-export measurement in a fresh process, against a sandbox that runs in the parent:
 *
 *   node --expose-gc --import tsx bench/bulk-child.ts <bulk|single> <count> <sandbox-url> [--live]
 *
 * - bulk: lib/bulk's exportWorkflows (deployed version, else the draft; 3 in flight) → bulkArchive → client-zip's
 *   makeZip, the stream read to the end (as the download reads it) and dropped;
 * - single: the same workflows one after another through the single export's steps (lib/jobs/export-job.ts:
 *   read the workflow, fetch the record → validate → redact + leak check → zip → SHA-256), each package dropped.
 *
 * Both log in as the owner (who may export every generated workflow) and warm up on three workflows first. Memory:
 * the kernel's RSS high-water mark (VmHWM, reset after the baseline) and heapUsed + external sampled every 5 ms,
 * both above the baseline: they include garbage V8 has not collected yet, so they grow with the heap V8 allows
 * itself. With --live, a full collection runs after every workflow and the heap still alive then is reported for
 * each workflow, in the list's order: what the run holds, the figure that must not grow with the number of
 * workflows (its time is not used). Prints one JSON line.
 */
import { makeZip } from 'client-zip';
import { procStatus, resetPeakRss, settle as settleHeap } from './process-memory.ts';
import { bulkArchive } from '../lib/bulk/archive.ts';
import { defaultVersion, exportWorkflows, fromVersionRecords } from '../lib/bulk/export-workflows.ts';
import { createCookieFetch } from '../lib/platform/cookie-fetch.ts';
import { createSessionClient } from '../lib/platform/session-client.ts';
import type { PlatformClient } from '../lib/platform/types.ts';
import { generatedWorkflowPlan } from '../tests/sandbox/scale.ts';
import { SANDBOX_PASSWORD, USERS } from '../tests/sandbox/seed.ts';

const [mode, countText, url, liveFlag] = process.argv.slice(2);
const live = liveFlag === '--live';
const count = Number(countText);
if ((mode !== 'bulk' && mode !== 'single') || !Number.isInteger(count) || !url) {
  console.error('usage: bulk-child.ts <bulk|single> <count> <sandbox-url>');
  process.exit(2);
}
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) {
  console.error('run with --expose-gc');
  process.exit(2);
}

const KEY = 'bench-installation-key';
const client = createSessionClient({ baseUrl: url, fetch: createCookieFetch(), timeoutMs: 60_000 });
await client.login(USERS.owner.email, SANDBOX_PASSWORD);

/** --live: what is still alive after each workflow, once collected. */
let liveAfter: number[] = [];
const afterWorkflow = () => {
  if (!live) return;
  gc();
  const usage = process.memoryUsage();
  liveAfter.push(usage.heapUsed + usage.external);
};

async function* observed<T>(items: AsyncIterable<T>): AsyncGenerator<T> {
  for await (const item of items) {
    afterWorkflow();
    yield item;
  }
}

async function bulk(ids: string[]): Promise<{ bytes: number; exported: number }> {
  const outcomes = exportWorkflows({ client, workflowIds: ids, build: fromVersionRecords(client, KEY) });
  const archive = bulkArchive(observed(outcomes), {
    account: { name: 'Sandbox Bank' },
    exportedAt: new Date().toISOString(),
  });
  let bytes = 0;
  const reader = makeZip(archive.entries).getReader();
  for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read())
    bytes += chunk.value.byteLength;
  return { bytes, exported: archive.index().summary.exported };
}

async function singles(
  ids: string[],
  platform: PlatformClient,
): Promise<{ bytes: number; exported: number }> {
  const build = fromVersionRecords(platform, KEY);
  let bytes = 0;
  for (const workflowId of ids) {
    const version = defaultVersion(await platform.getWorkflow(workflowId))!;
    const pkg = await build({ workflowId, versionId: version.id, versionState: version.state });
    bytes += pkg.bytes.byteLength;
    afterWorkflow();
  }
  return { bytes, exported: ids.length };
}

const run = (ids: string[]) => (mode === 'bulk' ? bulk(ids) : singles(ids, client));

const settle = () => settleHeap(gc);

// Warm-up on workflows outside the measured set's order (a large, a medium and a small one).
await run([20, 2, 6].map((i) => generatedWorkflowPlan(i).id));
await settle();
const ids = Array.from({ length: count }, (_, i) => generatedWorkflowPlan(i + 1).id);

const base = process.memoryUsage();
const baseHeap = base.heapUsed + base.external;
// Not Linux: the sampled RSS stands in for the high-water mark.
const exact = resetPeakRss();
const baseRss = procStatus()?.rss ?? base.rss;
liveAfter = [];
let peakHeap = baseHeap;
let peakRss = base.rss;
const timer = setInterval(() => {
  const usage = process.memoryUsage();
  peakHeap = Math.max(peakHeap, usage.heapUsed + usage.external);
  peakRss = Math.max(peakRss, usage.rss);
}, 5);
const started = performance.now();
const result = await run(ids);
const elapsedMs = performance.now() - started;
clearInterval(timer);
const hwm = exact ? procStatus()?.hwm : undefined;

console.log(
  JSON.stringify({
    mode,
    count,
    elapsedMs,
    ...result,
    peakRssExtra: (hwm ?? peakRss) - baseRss,
    peakHeapExtra: peakHeap - baseHeap,
    ...(live && { liveHeapByWorkflow: liveAfter.map((heap) => heap - baseHeap) }),
    rssExact: hwm !== undefined,
  }),
);
