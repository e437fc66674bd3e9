/**
 * Peak memory of ONE pipeline on ONE input, in a fresh process:
 *
 *   node --expose-gc --import tsx bench/memory-child.ts <pipeline> <input.json> [warm-up.json]
 *
 * Runs the pipeline once on the warm-up input (default: the input itself; a smaller record is enough to compile the
 * code and fill the module-level caches), loads the record (JSON.parse of the file, as the worker holds it after
 * `response.json()`), collects garbage, takes the baseline, then runs the pipeline while sampling
 * `process.memoryUsage()` every millisecond and at every stage boundary. Prints one JSON line.
 *
 * - heap: heapUsed + external. (`arrayBuffers` is already part of `external`, so adding it again would count the
 *   package bytes twice.) Synchronous stages never let a timer fire, so inside them the samples are the stage
 *   boundaries: a lower bound of the true peak.
 * - rss: the kernel's high-water mark (VmHWM in /proc/self/status, reset through /proc/self/clear_refs after the
 *   baseline): exact, whatever the event loop does. Linux only; elsewhere the sampled RSS is used.
 */
import { readFileSync } from 'node:fs';
import { procStatus, resetPeakRss, settle as settleHeap } from './process-memory.ts';
import { PIPELINES, runPipeline, type PipelineId, type Stage } from './pipelines.ts';

const [pipeline, file, warmFile] = process.argv.slice(2) as [PipelineId, string, string | undefined];
if (!PIPELINES.includes(pipeline) || !file) {
  console.error(`usage: memory-child.ts <${PIPELINES.join('|')}> <input.json> [warm-up.json]`);
  process.exit(2);
}
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) {
  console.error('run with --expose-gc');
  process.exit(2);
}

const settle = () => settleHeap(gc);

// Warm-up: compiles the code paths and fills the module-level caches (regexes, key classes) once.
await runPipeline(pipeline, JSON.parse(readFileSync(warmFile ?? file, 'utf8')));
await settle();
// A module-level binding: the record stays alive for the whole run, as in the export job.
const raw: unknown = JSON.parse(readFileSync(file, 'utf8'));
await settle();

const base = process.memoryUsage();
const baseHeap = base.heapUsed + base.external;
const exactRss = resetPeakRss();
const baseRss = procStatus()?.rss ?? base.rss;

let peakHeap = baseHeap;
let peakRss = base.rss;
let samples = 0;
let peakAt: Stage | 'timer' = 'timer';
/** heap + external above the baseline at the end of each stage. */
const atStageEnd: Partial<Record<Stage, number>> = {};
const sample = (stage: Stage | 'timer') => {
  const usage = process.memoryUsage();
  samples++;
  const heap = usage.heapUsed + usage.external;
  if (stage !== 'timer') atStageEnd[stage] = heap - baseHeap;
  if (heap > peakHeap) {
    peakHeap = heap;
    peakAt = stage;
  }
  if (usage.rss > peakRss) peakRss = usage.rss;
};
const timer = setInterval(() => sample('timer'), 1);
const t = performance.now();
const run = await runPipeline(pipeline, raw, sample);
const elapsed = performance.now() - t;
clearInterval(timer);
sample('timer');
const hwm = exactRss ? procStatus()?.hwm : undefined;

console.log(
  JSON.stringify({
    pipeline,
    size: run.size,
    elapsedMs: elapsed,
    samples,
    baseline: { rss: baseRss, heap: baseHeap },
    peakHeapExtra: peakHeap - baseHeap,
    peakHeapAt: peakAt,
    atStageEnd,
    peakRssExtra: (hwm ?? peakRss) - baseRss,
    rssExact: hwm !== undefined,
  }),
);
