/** The printed tables (and the targets) from the measured results. */
import type { BrowserResults } from './browser.ts';
import type { CoreResults, MemoryResult } from './core.ts';
import type { ScannerResults } from './scanner.ts';
import { OWN_RUN, PIPELINE_LABELS, PIPELINES, type PipelineId } from './pipelines.ts';
import { MB, mark, mb, median, ms, pct, ratio, table, type Cell } from './report.ts';
import { CAPPED_YOUNG_GENERATION } from './process-memory.ts';

export interface Target {
  part: 'core' | 'browser' | 'bulk' | 'library';
  target: string;
  subject: string;
  measured: string;
  met: boolean | undefined;
  /** Within ±TIE of the other side: a draw inside the run-to-run noise, printed as ≈. */
  tie?: boolean;
}

/** ±3 %: what separates two pipelines that share 95 % of their work less than the machine's noise does. */
const TIE = 0.03;

const rate = (bytes: number, millis: number) =>
  Number.isFinite(millis) && millis > 0 ? (bytes / MB / (millis / 1000)).toFixed(1) : '–';

export function coreTables(core: CoreResults): { text: string; targets: Target[] } {
  const out: string[] = [];
  const targets: Target[] = [];

  out.push(
    table(
      'Core inputs',
      ['input', 'nodes', 'record JSON', 'package (ours)', 'items redacted', 'iterations'],
      core.inputs.map((r) => [
        r.input.label,
        r.input.nodes,
        `${mb(r.input.bytes)} MB`,
        `${mb(r.packageBytes)} MB`,
        r.redactedItems,
        r.plan.iterations,
      ]),
      'the record is the raw version record as the extension receives it; the package is ours: three 2-space JSON files, stored.',
    ),
  );

  for (const r of core.inputs) {
    const ours = r.total.ours.median;
    const rows: Cell[][] = [];
    for (const p of PIPELINES) {
      const s = r.total[p];
      rows.push([
        PIPELINE_LABELS[p],
        ms(s.median),
        ms(s.p95),
        rate(r.input.bytes, s.median),
        mb(r.outputBytes[p] ?? 0),
        ratio(r.pairedRatio[p]),
      ]);
      if (p === 'ours' && r.endToEnd) {
        rows.push([
          '  ours, end to end (check)',
          ms(r.endToEnd.median),
          ms(r.endToEnd.p95),
          rate(r.input.bytes, r.endToEnd.median),
          mb(r.packageBytes),
          ratio(ours / r.endToEnd.median),
        ]);
      }
    }
    out.push(
      table(
        `Validate + redact + zip: ${r.input.label} (${mb(r.input.bytes, 1)} MB), median of ${r.plan.iterations} after ${r.plan.warmUp} warm-up round(s), ms`,
        ['pipeline', 'median', 'p95', 'MB/s in', 'out MB', 'ours ÷ this'],
        rows,
        'every row but the last two runs the same validate + redact; no redaction validates, writes and zips the record as it is (what the stack costs: ours minus it is what redaction adds); "ours ÷ this" (median of per-iteration ratios) below 1 means ours is faster. MB/s counts the input record.',
      ),
    );
    const back = r.backEnd.ours.median;
    out.push(
      table(
        `Zip back end only (serializePackage + zip): ${r.input.label}, median, ms`,
        ['pipeline', 'median', 'p95', 'MB/s out', 'ours ÷ this'],
        PIPELINES.filter((p) => !OWN_RUN.has(p)).map((p) => [
          PIPELINE_LABELS[p],
          ms(r.backEnd[p].median),
          ms(r.backEnd[p].p95),
          rate(r.packageBytes, r.backEnd[p].median),
          ratio(back / r.backEnd[p].median),
        ]),
        'the only part in which the pipelines differ: the zip libraries on identical bytes.',
      ),
    );

    const stages = r.stages;
    const total = ours;
    const row = (label: string, value: number): Cell[] => [label, ms(value), pct(value / total)];
    out.push(
      table(
        `Where ours spends its time: ${r.input.label}, median, ms`,
        ['stage', 'ms', 'share'],
        [
          row('validate (export job: rawVersionRecordSchema)', stages.validate.median),
          row('redactValidatedVersion (walk + serialize + final leak check)', stages.redact.median),
          row('zip (client-zip, stored)', stages.zip.median),
        ],
        'redaction serializes the files once and scans exactly those bytes; the zip takes them as they are.',
      ),
    );
  }

  /** One row per memory child: its peaks above the baseline, in MB and per package byte. */
  const memoryRows = (pick: (r: (typeof core.inputs)[number]) => MemoryResult[]): Cell[][] =>
    core.inputs.flatMap((r) =>
      pick(r).map((m) => [
        r.input.label,
        PIPELINE_LABELS[m.pipeline],
        m.error ? 'failed' : mb(m.peakRssExtra, 1),
        m.error ? '–' : ratio(m.peakRssExtra / r.packageBytes),
        m.error ? '–' : mb(m.peakHeapExtra, 1),
        m.error ? '–' : ratio(m.peakHeapExtra / r.packageBytes),
        m.peakHeapAt || '–',
      ]),
    );
  const memRows = memoryRows((r) => r.memory);
  out.push(
    table(
      'Peak extra memory per pipeline (fresh process each; above the baseline with the record loaded), MB',
      ['input', 'pipeline', 'RSS', '× pkg', 'heap+ext', '× pkg', 'heap peak at'],
      memRows,
      '× pkg = peak ÷ our package size (the three JSON files). RSS is the kernel high-water mark (exact); heap+external is sampled (a lower bound).',
    ),
  );
  // The capped children's peak is not placed in a stage: the column is left out.
  const cappedRows = memoryRows((r) => r.memoryCapped).map((row) => row.slice(0, -1));
  if (cappedRows.length)
    out.push(
      table(
        `The same with V8's young generation capped at 1 MB (${CAPPED_YOUNG_GENERATION}), MB`,
        ['input', 'pipeline', 'RSS', '× pkg', 'heap+ext', '× pkg'],
        cappedRows,
        'What the pipeline holds: garbage is collected within a megabyte of being made. The difference from the table above is the nursery V8 grows (up to 16 MB semi-spaces) while a pipeline allocates fast.',
      ),
    );

  out.push(
    table(
      'Read + validate the package back (readPackageZip), ms',
      ['input', 'package', 'MB', 'median', 'p95', 'runs'],
      core.inputs.flatMap((r) => [
        [
          r.input.label,
          'ours (stored)',
          mb(r.packageBytes),
          ms(r.read.stored.median),
          ms(r.read.stored.p95),
          r.read.stored.runs,
        ],
        [
          r.input.label,
          'fflate deflate-6',
          mb(r.outputBytes['fflate-deflate'] ?? 0),
          ms(r.read.deflated.median),
          ms(r.read.deflated.p95),
          r.read.deflated.runs,
        ],
      ]),
      'central directory checks, CRC-32, inflate (deflated only), JSON.parse with positions, the three zod schemas.',
    ),
  );

  for (const r of core.inputs) {
    const ours = r.total.ours.median;
    const vs = (p: PipelineId) => r.total[p].median;
    targets.push(
      ...(['jszip-deflate', 'jszip-store'] as const).map((p): Target => {
        const paired = r.pairedRatio[p];
        return {
          part: 'core',
          target: `ours no slower than ${PIPELINE_LABELS[p]}`,
          subject: r.input.label,
          measured: `${ms(ours)} vs ${ms(vs(p))} ms, paired ${ratio(paired)}; zip step ${ms(r.backEnd.ours.median)} vs ${ms(r.backEnd[p].median)} ms`,
          met: paired <= 1,
          tie: Math.abs(paired - 1) < TIE,
        };
      }),
      {
        part: 'core',
        target: 'ours within 3x of raw JSON',
        subject: r.input.label,
        // Beside it, the same stack with nothing redacted: what any export on zod + client-zip starts from.
        measured:
          `${ratio(r.pairedRatio['raw-json'])} (${ms(ours)} vs ${ms(vs('raw-json'))} ms); ` +
          `no redaction ${ratio(vs('no-redaction') / vs('raw-json'))} (${ms(vs('no-redaction'))} ms), ` +
          `+ one read of every character ${ratio((vs('no-redaction') + r.charRead.median) / vs('raw-json'))}`,
        met: r.pairedRatio['raw-json'] <= 3,
      },
    );
    const memoryTargets = [
      { runs: r.memory, target: 'peak memory < 4x package (RSS)' },
      {
        runs: r.memoryCapped,
        target: 'peak memory < 4x package (RSS, young generation capped: what the export holds)',
      },
    ];
    for (const { runs, target } of memoryTargets) {
      const mem = runs.find((m) => m.pipeline === 'ours');
      if (!mem || mem.error) continue;
      const bare = runs.find((m) => m.pipeline === 'no-redaction' && !m.error);
      targets.push({
        part: 'core',
        target,
        subject: r.input.label,
        measured:
          `${ratio(mem.peakRssExtra / r.packageBytes)} (${mb(mem.peakRssExtra, 1)} MB for ${mb(r.packageBytes, 1)} MB)` +
          (bare ? `; no redaction ${ratio(bare.peakRssExtra / r.packageBytes)}` : ''),
        met: mem.peakRssExtra < 4 * r.packageBytes,
      });
    }
  }
  const large = core.inputs.find((r) => r.input.id === 'large20mb');
  if (large) {
    targets.push({
      part: 'core',
      target: 'read + validate 20 MB < 1 s',
      subject: `${large.input.label} (stored)`,
      measured: `${ms(large.read.stored.median)} ms`,
      met: large.read.stored.median < 1000,
    });
  }
  return { text: out.join('\n'), targets };
}

const med = (values: number[]) => (values.length ? median(values) : Number.NaN);

export function browserTables(b: BrowserResults): { text: string; targets: Target[] } {
  const out: string[] = [];
  const targets: Target[] = [];
  out.push(
    table(
      `Click → file saved, median of ${b.rounds} round(s), ms (Chromium ${b.chromium})`,
      [
        'workflow',
        'package',
        'ours (confirm)',
        'ours (Export)',
        'native',
        'ours ÷ native',
        'native, no ext.',
      ],
      b.workflows.map((w) => [
        w.name,
        `${(w.packageBytes / 1024).toFixed(0)} KB`,
        ms(med(w.oursFromConfirm)),
        ms(med(w.oursFromExport)),
        ms(med(w.native)),
        ratio(med(w.oursFromConfirm) / med(w.native)),
        ms(med(w.nativeWithoutExtension)),
      ]),
      'ours (confirm): from "Yes, I will take care" to the download\'s endTime; (Export): from Export, dependency check included; native: its Export button to endTime.',
    ),
  );
  const order = [
    '(click → first step shown)',
    'Starting',
    'Fetching the version',
    'Validating',
    'Removing secrets',
    'Building the zip',
    'Saving to the cache',
    'Downloading',
  ];
  const labels = [
    ...order,
    ...new Set(b.workflows.flatMap((w) => Object.keys(w.oursSteps)).filter((l) => !order.includes(l))),
  ].filter((label) => b.workflows.some((w) => w.oursSteps[label]));
  out.push(
    table(
      'Our export step by step (as the panel shows the steps), median, ms',
      ['step', ...b.workflows.map((w) => w.name)],
      labels.map((label) => [label, ...b.workflows.map((w) => ms(med(w.oursSteps[label] ?? [])))]),
      '"Downloading" runs until the browser reports the file complete; a step too short to be rendered counts in the one before it.',
    ),
  );
  out.push(
    table(
      'Extension bundle size',
      ['file', 'bytes', 'gzip -9'],
      b.bundle.map((f) => [f.file, f.bytes, f.gzipBytes]),
      'the content script is what every Configurations page load parses; the service worker loads once.',
    ),
  );
  out.push(
    table(
      `Configurations page → panel usable, median of ${b.rounds} load(s), ms`,
      ['workflow', 'DCL → heading', 'same, no ext.', 'DCL → panel usable', 'heading → panel usable'],
      b.workflows.map((w) => [
        w.name,
        ms(med(w.readiness.map((r) => r.dclToHeading))),
        ms(med(w.readinessWithoutExtension.map((r) => r.dclToHeading))),
        ms(med(w.readiness.flatMap((r) => (r.dclToPanel === null ? [] : [r.dclToPanel])))),
        ms(med(w.readiness.flatMap((r) => (r.headingToPanel === null ? [] : [r.headingToPanel])))),
      ]),
      'DCL = DOMContentLoaded; heading = the page\'s "Export workflow" section appears; usable = the Porter panel\'s Export button is enabled.',
    ),
  );
  const lt = b.longTasks;
  const ltRow = (label: string, s: typeof lt.withExtension): Cell[] => [
    label,
    s.pageLoads,
    s.count,
    ms(s.totalMs),
    ms(s.maxMs),
    ms(s.loafScriptMs.page),
    ms(s.loafScriptMs.extension),
  ];
  out.push(
    table(
      'Long tasks (> 50 ms) on the host page: open Configurations + export',
      ['run', 'page loads', 'long tasks', 'total ms', 'max ms', 'LoAF page scripts ms', 'LoAF extension ms'],
      [ltRow('with the extension', lt.withExtension), ltRow('without the extension', lt.withoutExtension)],
      "the difference between the rows is the extension's share; LoAF = long-animation-frame script time by script URL (chrome-extension:// = ours).",
    ),
  );
  const attribution = [
    ...lt.withExtension.byAttribution.map((a) => ['with', a] as const),
    ...lt.withoutExtension.byAttribution.map((a) => ['without', a] as const),
  ];
  if (attribution.length) {
    out.push(
      table(
        'Long tasks by attribution',
        ['run', 'name / container', 'count', 'total ms', 'max ms'],
        attribution.map(([run, a]) => [run, a.attribution, a.count, ms(a.totalMs), ms(a.maxMs)]),
        'longtask attribution only names the frame ("self" = the page\'s own window); the content script runs in that window too.',
      ),
    );
  }
  if (lt.withExtension.extensionScripts.length) {
    out.push(
      table(
        'Extension scripts inside long animation frames',
        ['script', 'invoker', 'total ms'],
        lt.withExtension.extensionScripts.map((s) => [s.sourceURL, s.invoker.slice(0, 60), ms(s.totalMs)]),
        'script time of chrome-extension:// sources inside frames that took > 50 ms, summed over all page loads.',
      ),
    );
  }
  for (const w of b.workflows) {
    const ours = med(w.oursFromConfirm);
    const native = med(w.native);
    targets.push({
      part: 'browser',
      target: 'ours no slower than native (click → saved)',
      subject: w.name,
      measured: `${ms(ours)} vs ${ms(native)} ms (${ratio(ours / native)})`,
      met: Number.isFinite(ours) && Number.isFinite(native) ? ours <= native : undefined,
    });
  }
  return { text: out.join('\n'), targets };
}

export function scannerTables(r: ScannerResults): { text: string; targets: Target[] } {
  const out: string[] = [];
  const mbps = (x: { mbPerSecond: number }) => x.mbPerSecond.toFixed(1);
  out.push(
    table(
      'Scanner (lib/redaction): rule set',
      ['provider rules', 'all rules', 'rule ids', 'keywords', 'gitleaks ids covered', 'gitleaks rules'],
      [[r.providerRules, r.allRules, r.ruleIds, r.keywords, r.gitleaksCovered, r.gitleaksRules]],
      'one table per provider family plus the generic heuristics; the coverage test lists the gitleaks rules covered otherwise (generic, cURL) or not applicable (file names).',
    ),
  );
  out.push(
    table(
      'Scanner speed (findSecrets, every string on its own, no memo)',
      ['text', 'strings', 'MB', 'median', 'MB/s'],
      [
        ['clean workflow text', r.clean.strings, mb(r.clean.bytes), ms(r.clean.ms), mbps(r.clean)],
        ['dense with keywords', r.dense.strings, mb(r.dense.bytes), ms(r.dense.ms), mbps(r.dense)],
      ],
      'clean: descriptions and prompts with no keyword (the automaton ends the scan); dense: every string holds keywords, assignments and placeholders, so rules run.',
    ),
  );
  out.push(
    table(
      'Keyword automaton (the same keywords and strings)',
      ['automaton', 'median', 'MB/s', 'ours ÷ this'],
      [
        ['ours (V8 regex, prefix tree)', ms(r.automaton.ours.ms), mbps(r.automaton.ours), ratio(1)],
        [
          'modern-ahocorasick 3.3',
          ms(r.automaton.ahoCorasick.ms),
          mbps(r.automaton.ahoCorasick),
          ratio(r.automaton.ours.ms / r.automaton.ahoCorasick.ms),
        ],
      ],
      'which rules can match each string; below 1 means ours is faster.',
    ),
  );
  out.push(
    table(
      'Cost of added rules (clean text)',
      ['rules added', 'median', 'vs none'],
      r.addedRules.map((a) => [a.added, ms(a.ms), ratio(a.ms / r.addedRules[0]!.ms)]),
      `about ${r.microsPerRulePerMb.toFixed(1)} µs per added rule per MB of text: keywords that do not occur cost the automaton next to nothing.`,
    ),
  );
  out.push(
    table(
      'porter start (porter --help, separate processes)',
      ['how', 'median'],
      [
        ['built (dist/porter.mjs)', ms(r.cliStart.built)],
        ['from the sources (tsx)', ms(r.cliStart.sources)],
        ['node -e 0 (the floor)', ms(r.cliStart.bareNode)],
      ],
      `median of ${r.cliStart.runs} runs; the built CLI is what npx porter runs after npm install / npm ci.`,
    ),
  );
  const last = r.addedRules[r.addedRules.length - 1]!;
  const targets: Target[] = [
    {
      part: 'core',
      target: 'rules for every gitleaks provider format',
      subject: 'lib/redaction rules',
      measured: `${r.gitleaksCovered} of ${r.gitleaksRules} gitleaks ids in covers`,
      met: r.gitleaksCovered >= r.gitleaksRules - 5,
    },
    {
      part: 'core',
      target: 'added rules cost flat (≤ 10 % for the most added)',
      subject: `${last.added} rules added`,
      measured: ratio(last.ms / r.addedRules[0]!.ms),
      met: last.ms / r.addedRules[0]!.ms <= 1.1,
    },
    {
      part: 'core',
      target: 'porter starts < 400 ms',
      subject: 'porter --help (built)',
      measured: ms(r.cliStart.built),
      met: r.cliStart.built < 400,
    },
  ];
  return { text: out.join('\n'), targets };
}

export function targetTable(targets: Target[]): string {
  return table(
    'Targets',
    ['', 'target', 'subject', 'measured'],
    targets.map((t) => [t.tie ? '≈' : mark(t.met), t.target, t.subject, t.measured]),
    'printed, not asserted: the run never fails on a number. ≈ = within ±3 %, a draw inside the run-to-run noise.',
  );
}
