/**
 * Part 3: bulk export. 200 and 20 generated workflows (tests/sandbox/scale.ts: the same mix of sizes in both, 5 %
 * large, 25 % medium, 70 % small) exported by lib/bulk into one streamed archive, and the same workflows exported
 * one after another through the single export's steps, in the same run.
 *
 * Method. The sandbox runs in this process; every measurement is a fresh child (bench/bulk-child.ts), so one run's
 * heap never carries into the next. Bulk and single runs alternate, round by round, so the machine's noise hits
 * both alike; the ratio bulk ÷ single is taken per round and its median printed. Memory comes from separate
 * children: peak RSS and heap above the baseline, and the live heap after a full collection at every workflow
 * (several rounds, medians).
 *
 * Whether memory grows with the number of workflows is judged within the run of 200: the most alive over workflows
 * 101–200 against over 1–100. The two halves hold the same mix (scale.ts repeats its sizes every 100 workflows, the
 * same five large ones in each) with the same neighbours in flight; 200 ÷ 20 compares a peak among 200 samples, one
 * large workflow with medium ones in flight, with one among 20, the largest one exported last and alone.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startSandbox } from '../tests/sandbox/server.ts';
import { generatedWorkflowPlan } from '../tests/sandbox/scale.ts';
import { mb, median, ms, ratio, table } from './report.ts';
import type { Target } from './tables.ts';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const COUNTS = [20, 200] as const;
const MODES = ['bulk', 'single'] as const;
type Mode = (typeof MODES)[number];

interface ChildResult {
  mode: Mode;
  count: number;
  elapsedMs: number;
  bytes: number;
  exported: number;
  peakRssExtra: number;
  peakHeapExtra: number;
  /** --live: alive after each workflow, above the baseline, in the list's order. */
  liveHeapByWorkflow?: number[];
  rssExact: boolean;
}

/** The most alive over each half of the list, and second ÷ first. */
interface Halves {
  first: number;
  second: number;
  ratio: number;
}

export interface BulkRow {
  count: number;
  mode: Mode;
  runs: number[];
  medianMs: number;
  workflowsPerSecond: number;
  bytes: number;
  exported: number;
  peakRssExtra: number;
  peakHeapExtra: number;
  /** Median over the live rounds of the most alive at any workflow. */
  liveHeapExtra: number;
  /** The run of 200 only: medians over the live rounds (the ratio taken per round). */
  liveHalves?: Halves;
}

export interface BulkResults {
  rounds: Record<number, number>;
  liveRounds: number;
  rows: BulkRow[];
  /** Per count: median over rounds of bulk ÷ single, timed in the same round. */
  pairedRatio: Record<number, number>;
  mix: Record<number, { small: number; medium: number; large: number; nodes: number }>;
}

function child(mode: Mode, count: number, url: string, live = false): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const args = [
      '--expose-gc',
      '--import',
      'tsx',
      path.join(HERE, 'bulk-child.ts'),
      mode,
      String(count),
      url,
    ];
    const proc = spawn(process.execPath, live ? [...args, '--live'] : args, {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    proc.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    proc.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    proc.on('exit', (code) =>
      code === 0
        ? resolve(JSON.parse(out.trim().split('\n').at(-1)!) as ChildResult)
        : reject(new Error(`bulk-child ${mode} ${count} exited ${code}: ${err.trim().split('\n').at(-1)}`)),
    );
  });
}

/** Per round, the most alive over workflows 1…N/2 and N/2+1…N; medians over the rounds. */
function halvesOf(rounds: number[][]): Halves {
  const peaks = rounds.map((alive) => {
    const middle = alive.length / 2;
    return { first: Math.max(...alive.slice(0, middle)), second: Math.max(...alive.slice(middle)) };
  });
  return {
    first: median(peaks.map((peak) => peak.first)),
    second: median(peaks.map((peak) => peak.second)),
    ratio: median(peaks.map((peak) => peak.second / peak.first)),
  };
}

function mixOf(count: number) {
  const mix = { small: 0, medium: 0, large: 0, nodes: 0 };
  for (let i = 1; i <= count; i++) {
    const plan = generatedWorkflowPlan(i);
    mix[plan.size]++;
    mix.nodes += plan.nodeCount;
  }
  return mix;
}

export async function runBulk(
  options: { quick: boolean },
  log: (line: string) => void,
): Promise<BulkResults> {
  const rounds: Record<number, number> = options.quick ? { 20: 2, 200: 1 } : { 20: 5, 200: 3 };
  const liveRounds = options.quick ? 1 : 3;
  const sandbox = await startSandbox({ port: 0, jobDelayMs: 5, workflows: Math.max(...COUNTS) });
  try {
    const times: Record<string, number[]> = {};
    const ratios: Record<number, number[]> = {};
    const last: Record<string, ChildResult> = {};
    for (const count of COUNTS) {
      ratios[count] = [];
      for (let round = 0; round < rounds[count]!; round++) {
        // Alternate which goes first, so neither always runs on a warmer machine.
        const order = round % 2 === 0 ? MODES : ([...MODES].reverse() as Mode[]);
        const elapsed: Partial<Record<Mode, number>> = {};
        for (const mode of order) {
          const result = await child(mode, count, sandbox.url);
          log(`  bulk part: ${mode} ${count}, round ${round + 1}: ${ms(result.elapsedMs)} ms`);
          (times[`${mode} ${count}`] ??= []).push(result.elapsedMs);
          elapsed[mode] = result.elapsedMs;
          last[`${mode} ${count}`] = result;
        }
        ratios[count]!.push(elapsed.bulk! / elapsed.single!);
      }
    }
    const alive: Record<string, number[][]> = {};
    for (let round = 0; round < liveRounds; round++)
      for (const count of COUNTS)
        for (const mode of MODES) {
          const memory = await child(mode, count, sandbox.url, true);
          const byWorkflow = memory.liveHeapByWorkflow!;
          log(`  bulk part: ${mode} ${count}, live round ${round + 1}: ${mb(Math.max(...byWorkflow))} MB`);
          (alive[`${mode} ${count}`] ??= []).push(byWorkflow);
        }
    const rows: BulkRow[] = [];
    for (const count of COUNTS)
      for (const mode of MODES) {
        const live = alive[`${mode} ${count}`]!;
        const runs = times[`${mode} ${count}`]!;
        const result = last[`${mode} ${count}`]!;
        rows.push({
          count,
          mode,
          runs,
          medianMs: median(runs),
          workflowsPerSecond: count / (median(runs) / 1000),
          bytes: result.bytes,
          exported: result.exported,
          peakRssExtra: result.peakRssExtra,
          peakHeapExtra: result.peakHeapExtra,
          liveHeapExtra: median(live.map((byWorkflow) => Math.max(...byWorkflow))),
          ...(count === Math.max(...COUNTS) && { liveHalves: halvesOf(live) }),
        });
      }
    return {
      rounds,
      liveRounds,
      rows,
      pairedRatio: Object.fromEntries(COUNTS.map((count) => [count, median(ratios[count]!)])),
      mix: Object.fromEntries(COUNTS.map((count) => [count, mixOf(count)])),
    };
  } finally {
    await sandbox.close();
  }
}

export function bulkTables(results: BulkResults): { text: string; targets: Target[] } {
  const row = (count: number, mode: Mode) => results.rows.find((r) => r.count === count && r.mode === mode)!;
  const [small, large] = COUNTS;
  const bulkAt = (count: number) => row(count, 'bulk');
  const perWorkflow = bulkAt(large).medianMs / large / (bulkAt(small).medianMs / small);
  const perNode =
    bulkAt(large).medianMs / results.mix[large]!.nodes / (bulkAt(small).medianMs / results.mix[small]!.nodes);
  const live = bulkAt(large).liveHeapExtra / bulkAt(small).liveHeapExtra;
  // Single exports keep nothing from one workflow to the next: their growth is the runtime's own (compiled code,
  // caches, connections), the baseline against which the bulk export's growth is read.
  const singleLive = row(large, 'single').liveHeapExtra / row(small, 'single').liveHeapExtra;
  const rss = bulkAt(large).peakRssExtra / bulkAt(small).peakRssExtra;
  const halves = bulkAt(large).liveHalves!;
  const singleHalves = row(large, 'single').liveHalves!;
  const paired = results.pairedRatio[large]!;
  const inputs = COUNTS.map((count) => {
    const mix = results.mix[count]!;
    return `${count} = ${mix.large} large, ${mix.medium} medium, ${mix.small} small (${mix.nodes} nodes)`;
  }).join('; ');
  const text = [
    table(
      'Bulk export: one streamed archive vs single exports one after another',
      [
        '',
        'workflows',
        'rounds',
        'total ms',
        'workflows/s',
        'output MB',
        'peak RSS MB',
        'peak heap MB',
        'live heap MB',
      ],
      results.rows.map((r) => [
        r.mode === 'bulk' ? 'bulk (lib/bulk, 3 in flight, makeZip)' : 'single exports, one by one',
        r.count,
        r.runs.length,
        ms(r.medianMs),
        r.workflowsPerSecond.toFixed(1),
        mb(r.bytes),
        mb(r.peakRssExtra),
        mb(r.peakHeapExtra),
        mb(r.liveHeapExtra),
      ]),
      `inputs: ${inputs}. Memory is above the child's baseline; live heap = the most still alive after a full ` +
        `collection at a workflow, median of ${results.liveRounds} runs (peak RSS and heap also hold garbage V8 ` +
        'has not collected yet).',
    ),
    table(
      'Bulk export: growth and cost',
      ['', 'ratio', 'linear / flat would be'],
      [
        [`time per workflow, ${large} ÷ ${small} (bulk)`, ratio(perWorkflow), '1.00x'],
        [`time per 1000 nodes, ${large} ÷ ${small} (bulk)`, ratio(perNode), '1.00x'],
        [
          `live heap, workflows ${large / 2 + 1}–${large} ÷ 1–${large / 2} of the ${large} (bulk)`,
          ratio(halves.ratio),
          '1.00x',
        ],
        [`same, single exports (which keep nothing)`, ratio(singleHalves.ratio), '1.00x'],
        [`live heap, ${large} ÷ ${small} (bulk; unlike windows)`, ratio(live), '1.00x'],
        [`same, single exports`, ratio(singleLive), '1.00x'],
        [`peak RSS, ${large} ÷ ${small} (bulk)`, ratio(rss), '1.00x'],
        [
          `bulk ÷ single exports, ${small} workflows (paired per round)`,
          ratio(results.pairedRatio[small]!),
          '≤ 1.00x',
        ],
        [`bulk ÷ single exports, ${large} workflows (paired per round)`, ratio(paired), '≤ 1.00x'],
      ],
      `growth with the count is judged within the run of ${large}: its halves hold the same mix (the same five ` +
        `large workflows) with the same neighbours in flight, so a heap that grows with the workflows done shows ` +
        `as more than 1.00x; ${large} ÷ ${small} also compares a peak among ${large} samples with one among ` +
        `${small}, which single exports, keeping nothing, show too. Bulk zips each package on its own (its ` +
        'SHA-256, its cache entry) and its files again inside the archive; single exports drop each package once made.',
    ),
  ].join('\n');
  const targets: Target[] = [
    {
      part: 'bulk',
      target: 'linear time: time per 1000 nodes at 200 within 1.25x of at 20',
      subject: 'bulk export',
      measured: ratio(perNode),
      met: perNode <= 1.25,
    },
    {
      part: 'bulk',
      target: 'flat memory: live heap over workflows 101–200 within 1.25x of over 1–100 (the same mix)',
      subject: 'bulk export',
      measured:
        `${mb(halves.second)} vs ${mb(halves.first)} MB (${ratio(halves.ratio)}; single exports ` +
        `${ratio(singleHalves.ratio)}; 200 ÷ 20 ${ratio(live)})`,
      met: halves.ratio <= 1.25,
    },
    {
      part: 'bulk',
      target: 'no slower than the single exports added up (200)',
      subject: 'bulk ÷ single',
      measured: ratio(paired),
      met: paired <= 1,
      tie: Math.abs(paired - 1) <= 0.03,
    },
  ];
  return { text, targets };
}
