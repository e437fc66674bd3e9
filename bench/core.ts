/**
 * Part 1: the core. validate + redact + zip of the Claims Flow 2000 record and of a ~20 MB record, side by side with
 * the same job zipped by JSZip and by fflate, and with writing the raw JSON alone as the lower bound; peak memory per
 * pipeline in fresh child processes; reading + validating the packages back.
 *
 * Method. validate + redact is the same code on the same input for ours, JSZip and fflate, so each iteration runs it
 * once and then every zip back end (serializePackage + zip) on its result, in rotating order; a pipeline's time in
 * iteration i is the shared front of iteration i plus its own back end. That keeps the comparison paired (the
 * machine's noise hits all pipelines of an iteration alike) and the run short. `ours, end to end` runs the exact call
 * chain of lib/jobs/export-job.ts (safeParse → redactValidatedVersion → zipFiles) as a check on that sum.
 */
import { spawn } from 'node:child_process';
import { CAPPED_YOUNG_GENERATION } from './process-memory.ts';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { rawVersionRecordSchema } from '../lib/package/schemas.ts';
import { redactValidatedVersion } from '../lib/redaction/redactor.ts';
import { zipFiles } from '../lib/package/zip-write.ts';
import { readPackageZip } from '../lib/package/zip-read.ts';
import { prepareInputs, loadInput, type BenchInput } from './inputs.ts';
import { OWN_RUN, PIPELINES, PIPELINE_LABELS, runPipeline, zipWith, type PipelineId } from './pipelines.ts';
import { median, p95 } from './report.ts';

const HERE = path.dirname(fileURLToPath(import.meta.url));

export interface Plan {
  /**
   * Untimed rounds first: V8 compiles our JavaScript (and the zip libraries') over the first runs, while the
   * raw-JSON floor is native code from the start; timing only warm rounds compares like with like.
   */
  warmUp: number;
  iterations: number;
  endToEnd: number;
  reads: number;
}

export const PLANS: Record<'normal' | 'quick', Record<string, Plan>> = {
  normal: {
    claims2000: { warmUp: 2, iterations: 7, endToEnd: 3, reads: 7 },
    large20mb: { warmUp: 1, iterations: 3, endToEnd: 2, reads: 5 },
  },
  quick: {
    claims2000: { warmUp: 1, iterations: 2, endToEnd: 1, reads: 3 },
    large20mb: { warmUp: 0, iterations: 1, endToEnd: 0, reads: 3 },
  },
};

export interface Summary {
  median: number;
  p95: number;
  runs: number;
}
const summary = (values: number[]): Summary => ({
  median: median(values),
  p95: p95(values),
  runs: values.length,
});

export interface MemoryResult {
  pipeline: PipelineId;
  size: number;
  peakRssExtra: number;
  rssExact: boolean;
  peakHeapExtra: number;
  peakHeapAt: string;
  atStageEnd: Record<string, number>;
  samples: number;
  error?: string;
}

export interface InputResult {
  input: BenchInput;
  plan: Plan;
  packageBytes: number;
  redactedItems: number;
  /** Per pipeline: total time (front + own back end, paired per iteration). */
  total: Record<PipelineId, Summary>;
  /**
   * Per pipeline: median over the iterations of ours ÷ this pipeline, both timed in the same iteration (the shared
   * validate + redact cancels out of the comparison instead of adding its noise).
   */
  pairedRatio: Record<PipelineId, number>;
  /** Per pipeline: serializePackage + zip only (raw-json: its whole job). */
  backEnd: Record<PipelineId, Summary>;
  outputBytes: Record<PipelineId, number>;
  /** ours, stage by stage. */
  stages: { validate: Summary; redact: Summary; serialize: Summary; zip: Summary };
  endToEnd: Summary | null;
  /**
   * One plain read of every character of the record's strings (keys and values), timed in each round: the least
   * any scanner costs, whatever it looks for.
   */
  charRead: Summary;
  read: { stored: Summary; deflated: Summary };
  memory: MemoryResult[];
  /**
   * The same children for ours and the lower bound with V8's young generation capped at 1 MB
   * ({@link CAPPED_YOUNG_GENERATION}): garbage is collected within a megabyte of being made, so the peak is what
   * the pipeline holds, not how far V8 lets its nursery grow before collecting it.
   */
  memoryCapped: MemoryResult[];
}

export interface CoreResults {
  inputs: InputResult[];
}

type Log = (line: string) => void;

/** Every string of a JSON value, keys included. */
function stringsOf(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const item of value) stringsOf(item, out);
  else if (value && typeof value === 'object')
    for (const [key, item] of Object.entries(value)) {
      out.push(key);
      stringsOf(item, out);
    }
  return out;
}

/** Reads every character once (the sum keeps V8 from dropping the loop). */
function readAll(strings: readonly string[]): number {
  let sum = 0;
  for (const text of strings) for (let i = 0; i < text.length; i++) sum = (sum + text.charCodeAt(i)) | 0;
  return sum;
}

const now = () => performance.now();
const gc = () => (globalThis as { gc?: () => void }).gc?.();

async function timeInput(
  input: BenchInput,
  plan: Plan,
  log: Log,
): Promise<Omit<InputResult, 'memory' | 'memoryCapped'>> {
  const raw = loadInput(input.file);
  const totals = Object.fromEntries(PIPELINES.map((p) => [p, [] as number[]])) as Record<
    PipelineId,
    number[]
  >;
  const backs = Object.fromEntries(PIPELINES.map((p) => [p, [] as number[]])) as Record<PipelineId, number[]>;
  const outputBytes = {} as Record<PipelineId, number>;
  const stages = {
    validate: [] as number[],
    redact: [] as number[],
    serialize: [] as number[],
    zip: [] as number[],
  };
  let oursBytes: Uint8Array | undefined;
  let deflatedBytes: Uint8Array | undefined;
  let redactedItems = 0;

  const characters = stringsOf(raw);
  const charRead: number[] = [];
  const timedSeries = [...Object.values(totals), ...Object.values(backs), ...Object.values(stages), charRead];
  for (let i = -plan.warmUp; i < plan.iterations; i++) {
    // The warm-up rounds' figures are dropped when the first timed round starts.
    if (i === 0) for (const series of timedSeries) series.length = 0;
    gc();
    let t = now();
    const parsed = rawVersionRecordSchema.safeParse(raw);
    if (!parsed.success) throw new Error(`${input.id} does not validate`);
    const validate = now() - t;
    t = now();
    const { report, files } = await redactValidatedVersion(parsed.data, { files: true });
    const redact = now() - t;
    redactedItems = report.items.length;
    stages.validate.push(validate);
    stages.redact.push(redact);

    // Every back end on the same redacted content, in rotating order.
    const order = [...PIPELINES.filter((p) => !OWN_RUN.has(p))];
    for (let k = 0; k < ((i % order.length) + order.length) % order.length; k++) order.push(order.shift()!);
    for (const pipeline of order) {
      gc();
      const t0 = now();
      const t1 = t0;
      const bytes = await zipWith(pipeline, files);
      const t2 = now();
      backs[pipeline].push(t2 - t0);
      totals[pipeline].push(validate + redact + (t2 - t0));
      outputBytes[pipeline] = bytes.byteLength;
      if (pipeline === 'ours') {
        stages.serialize.push(t1 - t0);
        stages.zip.push(t2 - t1);
        oursBytes = bytes;
      }
      if (pipeline === 'fflate-deflate') deflatedBytes = bytes;
    }
    // The pipelines that do not share ours' validate + redact run whole, in the same iteration.
    for (const pipeline of OWN_RUN) {
      gc();
      const run = await runPipeline(pipeline, raw);
      const { validate: own, serialize, zip } = run.stages;
      backs[pipeline].push(serialize + zip);
      totals[pipeline].push(own + serialize + zip);
      outputBytes[pipeline] = run.size;
    }
    gc();
    t = now();
    readAll(characters);
    charRead.push(now() - t);
    log(
      `  ${input.id} ${i < 0 ? 'warm-up' : `iteration ${i + 1}/${plan.iterations}`}: validate ${validate.toFixed(0)} ms, redact ${redact.toFixed(0)} ms, ` +
        `ours total ${totals.ours.at(-1)!.toFixed(0)} ms`,
    );
  }

  // The exact call chain of the export job.
  const endToEnd: number[] = [];
  for (let i = 0; i < plan.endToEnd; i++) {
    gc();
    const t = now();
    const parsed = rawVersionRecordSchema.safeParse(raw);
    if (!parsed.success) throw new Error(`${input.id} does not validate`);
    const { files } = await redactValidatedVersion(parsed.data, { files: true });
    await zipFiles(files);
    endToEnd.push(now() - t);
    log(`  ${input.id} end to end ${i + 1}/${plan.endToEnd}: ${endToEnd.at(-1)!.toFixed(0)} ms`);
  }

  const reads = { stored: [] as number[], deflated: [] as number[] };
  for (let i = 0; i < plan.reads; i++) {
    for (const [kind, bytes] of [
      ['stored', oursBytes],
      ['deflated', deflatedBytes],
    ] as const) {
      if (!bytes) continue;
      gc();
      const t = now();
      readPackageZip(bytes);
      reads[kind].push(now() - t);
    }
  }
  log(
    `  ${input.id} read + validate: ${median(reads.stored).toFixed(0)} ms (stored), ${median(reads.deflated).toFixed(0)} ms (deflated)`,
  );

  const map = (values: Record<PipelineId, number[]>) =>
    Object.fromEntries(PIPELINES.map((p) => [p, summary(values[p])])) as Record<PipelineId, Summary>;
  const pairedRatio = Object.fromEntries(
    PIPELINES.map((p) => [p, median(totals.ours.map((ours, i) => ours / totals[p][i]!))]),
  ) as Record<PipelineId, number>;
  return {
    input,
    plan,
    pairedRatio,
    packageBytes: oursBytes?.byteLength ?? 0,
    redactedItems,
    total: map(totals),
    backEnd: map(backs),
    outputBytes,
    stages: {
      validate: summary(stages.validate),
      redact: summary(stages.redact),
      serialize: summary(stages.serialize),
      zip: summary(stages.zip),
    },
    endToEnd: endToEnd.length ? summary(endToEnd) : null,
    charRead: summary(charRead),
    read: { stored: summary(reads.stored), deflated: summary(reads.deflated) },
  };
}

function memoryChild(
  pipeline: PipelineId,
  file: string,
  warmFile: string,
  v8Flags: readonly string[] = [],
): Promise<MemoryResult> {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      [
        ...v8Flags,
        '--expose-gc',
        '--import',
        'tsx',
        path.join(HERE, 'memory-child.ts'),
        pipeline,
        file,
        warmFile,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.stderr.on('data', (chunk) => (err += chunk));
    child.on('close', (code) => {
      const line = out.trim().split('\n').pop() ?? '';
      try {
        if (code !== 0) throw new Error(`exit ${code}`);
        resolve(JSON.parse(line) as MemoryResult);
      } catch (error) {
        resolve({
          pipeline,
          size: 0,
          peakRssExtra: Number.NaN,
          rssExact: false,
          peakHeapExtra: Number.NaN,
          peakHeapAt: '',
          atStageEnd: {},
          samples: 0,
          error: `${(error as Error).message}: ${err.trim().split('\n').slice(-3).join(' ')}`,
        });
      }
    });
  });
}

/** Fresh child per pipeline; two at a time (the children measure their own memory, not time). */
async function measureMemory(
  input: BenchInput,
  warmFile: string,
  log: Log,
  pipelines: readonly PipelineId[] = PIPELINES,
  v8Flags: readonly string[] = [],
): Promise<MemoryResult[]> {
  const queue = [...pipelines];
  const results: MemoryResult[] = [];
  const parallel = Math.max(1, Math.min(2, os.availableParallelism?.() ?? 2));
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      for (let pipeline = queue.shift(); pipeline; pipeline = queue.shift()) {
        const result = await memoryChild(pipeline, input.file, warmFile, v8Flags);
        log(
          `  ${input.id} memory ${PIPELINE_LABELS[pipeline]}${v8Flags.length ? ` (${v8Flags.join(' ')})` : ''}: ` +
            (result.error ? `failed (${result.error})` : `+${(result.peakRssExtra / 1e6).toFixed(1)} MB RSS`),
        );
        results.push(result);
      }
    }),
  );
  return pipelines.map((p) => results.find((r) => r.pipeline === p)!);
}

export async function runCore(options: { quick: boolean }, log: Log): Promise<CoreResults> {
  log('Part 1: preparing the inputs (sandbox record, generated ~20 MB record)…');
  const prepared = await prepareInputs();
  const plans = PLANS[options.quick ? 'quick' : 'normal'];
  try {
    const results: InputResult[] = [];
    for (const input of prepared.inputs) {
      log(`Part 1: ${input.label} (${(input.bytes / 1e6).toFixed(1)} MB, ${input.nodes} nodes)`);
      const timed = await timeInput(input, plans[input.id]!, log);
      results.push({ ...timed, memory: [], memoryCapped: [] });
    }
    // Memory after all timing, so the children do not compete with the timed runs for the two cores.
    for (const result of results) {
      log(`Part 1: peak memory, ${result.input.label}, one fresh process per pipeline…`);
      result.memory = await measureMemory(result.input, prepared.warmupFile, log);
      result.memoryCapped = await measureMemory(
        result.input,
        prepared.warmupFile,
        log,
        ['ours', 'no-redaction', 'raw-json'],
        [CAPPED_YOUNG_GENERATION],
      );
    }
    return { inputs: results };
  } finally {
    prepared.cleanup();
  }
}
