/**
 * Part 2: the browser. The in-process sandbox, Debian's Chromium with the built extension (.output/chrome-mv3),
 * editor@sandbox.test. For Banking Assistant (deployed version) and Claims Flow 2000:
 *
 * (a) our panel: click → file saved (from "Yes, I will take care", and from Export including the dependency check);
 * (b) the sandbox's native export in the same browser: click → file saved;
 *     both end at the download's `endTime` as `chrome.downloads.search` reports it (the same clock as Date.now());
 * (c) the content script's size, raw and gzipped;
 * (d) DOMContentLoaded / the "Export workflow" heading → the panel's Export button enabled (MutationObserver from an
 *     init script, performance.now() in the page);
 * (e) long tasks (> 50 ms) on the host page with and without the extension (PerformanceObserver 'longtask', plus
 *     'long-animation-frame' script attribution, which names the script's URL and so shows the extension's share).
 *
 * Rounds alternate which export goes first, so neither always gets the warmer browser.
 */
import { readFileSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium, type Page, type Worker } from '@playwright/test';
import { startSandbox } from '../tests/sandbox/server.ts';
import { SEEDED_VERSIONS, WORKFLOWS } from '../tests/sandbox/seed.ts';
import { EXTENSION_DIR, exportPanel, launchWithExtension, login } from '../tests/e2e/browser.ts';
import { findChromium } from '../scripts/chromium.mjs';
import { median, p95 } from './report.ts';
import { LAYOUT_CACHE } from '../entrypoints/viewer/layout-memory.ts';

type Log = (line: string) => void;

export const BROWSER_WORKFLOWS = [
  {
    key: 'banking',
    id: WORKFLOWS.banking.id,
    name: WORKFLOWS.banking.name,
    versionId: SEEDED_VERSIONS.banking.deployed,
  },
  {
    key: 'claims',
    id: WORKFLOWS.claims.id,
    name: WORKFLOWS.claims.name,
    versionId: SEEDED_VERSIONS.claims.deployed,
  },
] as const;
type WorkflowKey = (typeof BROWSER_WORKFLOWS)[number]['key'];

/** The sandbox's simulated export-job delay, fixed at the mean of its default (50–150 ms) for steadier numbers. */
const SANDBOX_JOB_DELAY_MS = 100;

interface LongTask {
  start: number;
  duration: number;
  name: string;
  attribution: {
    name?: string;
    containerType?: string;
    containerSrc?: string;
    containerId?: string;
    containerName?: string;
  }[];
}
interface LoafScript {
  sourceURL: string;
  invoker: string;
  invokerType: string;
  duration: number;
}
interface PageProbe {
  dcl: number | null;
  heading: number | null;
  panelSeen: number | null;
  panelReady: number | null;
  /** The panel's progress steps as they appear (epoch ms); the bench empties it before each export. */
  steps: { label: string; at: number }[];
  longTasks: LongTask[];
  loaf: { start: number; duration: number; blocking: number; scripts: LoafScript[] }[];
}

/** Installed before any page script: records the readiness moments and the long tasks of the top document. */
function probeScript(options: { expectPanel: boolean }) {
  if (window.top !== window) return;
  const probe: PageProbe = {
    dcl: null,
    heading: null,
    panelSeen: null,
    panelReady: null,
    steps: [],
    longTasks: [],
    loaf: [],
  };
  (window as unknown as { __porterBench: PageProbe }).__porterBench = probe;
  document.addEventListener('DOMContentLoaded', () => (probe.dcl = performance.now()), { once: true });
  const settings = { subtree: true, childList: true, attributes: true, characterData: true };
  // The panel's own observer stays on for the export steps ("Step 3 of 6: Removing secrets…"), on the epoch clock.
  const onPanel = (root: ShadowRoot) => {
    if (probe.panelReady === null) {
      const button = [...root.querySelectorAll('button')].find((b) => b.textContent?.trim() === 'Export');
      if (button && !button.disabled) probe.panelReady = performance.now();
    }
    for (const status of root.querySelectorAll('[role="status"]')) {
      const text = status.textContent?.trim() ?? '';
      const label =
        /^Step \d+ of \d+: (.+?)…?$/.exec(text)?.[1] ?? (text.startsWith('Exported') ? 'done' : null);
      if (label && probe.steps.at(-1)?.label !== label)
        probe.steps.push({ label, at: performance.timeOrigin + performance.now() });
    }
  };
  let panelRoot: ShadowRoot | null = null;
  const panelObserver = new MutationObserver(() => panelRoot && onPanel(panelRoot));
  const check = () => {
    if (probe.heading === null) {
      for (const h of document.querySelectorAll('h2')) {
        if (h.textContent?.trim() === 'Export workflow') {
          probe.heading = performance.now();
          break;
        }
      }
    }
    const host = document.querySelector('porter-export-panel');
    if (host && probe.panelSeen === null) probe.panelSeen = performance.now();
    if (host?.shadowRoot && host.shadowRoot !== panelRoot) {
      panelRoot = host.shadowRoot;
      panelObserver.disconnect();
      panelObserver.observe(panelRoot, settings);
      onPanel(panelRoot);
    }
    if (probe.heading !== null && (probe.panelReady !== null || !options.expectPanel))
      pageObserver.disconnect();
  };
  const pageObserver = new MutationObserver(check);
  pageObserver.observe(document, settings);
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries() as (PerformanceEntry & {
      attribution?: LongTask['attribution'];
    })[]) {
      probe.longTasks.push({
        start: entry.startTime,
        duration: entry.duration,
        name: entry.name,
        attribution: (entry.attribution ?? []).map((a) => ({
          name: a.name,
          containerType: a.containerType,
          containerSrc: a.containerSrc,
          containerId: a.containerId,
          containerName: a.containerName,
        })),
      });
    }
  }).observe({ type: 'longtask', buffered: true });
  try {
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries() as (PerformanceEntry & {
        blockingDuration: number;
        scripts: LoafScript[];
      })[]) {
        probe.loaf.push({
          start: entry.startTime,
          duration: entry.duration,
          blocking: entry.blockingDuration,
          scripts: entry.scripts.map((s) => ({
            sourceURL: s.sourceURL,
            invoker: s.invoker,
            invokerType: s.invokerType,
            duration: s.duration,
          })),
        });
      }
    }).observe({ type: 'long-animation-frame', buffered: true });
  } catch {
    // Long animation frames are Chromium 123+; long tasks alone still work.
  }
}

/**
 * The probe as init-script source. tsx (esbuild) wraps named inner functions in `__name(…)`, which does not exist in
 * the page, so the function travels as text with a stand-in for that helper.
 */
const probeSource = (options: { expectPanel: boolean }) =>
  `(() => { const __name = (target) => target; (${probeScript.toString()})(${JSON.stringify(options)}); })();`;

const readProbe = (page: Page) =>
  page.evaluate(() => (window as unknown as { __porterBench?: PageProbe }).__porterBench ?? null);

async function waitForProbe(page: Page, field: 'heading' | 'panelReady', timeout = 30_000): Promise<void> {
  await page.waitForFunction(
    (name) =>
      ((window as unknown as { __porterBench?: Record<string, unknown> }).__porterBench?.[name] ?? null) !==
      null,
    field,
    { timeout, polling: 20 },
  );
}

export async function downloadIds(worker: Worker): Promise<number[]> {
  return worker.evaluate(async () => (await chrome.downloads.search({})).map((item) => item.id));
}

/** Waits for a download that was not in `before` to complete; returns its endTime (ms since the epoch). */
export async function completedAfter(
  worker: Worker,
  before: number[],
  page: Page,
  timeout = 120_000,
): Promise<{ end: number; bytes: number; file: string }> {
  const deadline = Date.now() + timeout;
  for (;;) {
    const done = await worker.evaluate(async (known) => {
      const items = await chrome.downloads.search({});
      const fresh = items.filter((item) => !known.includes(item.id));
      const complete = fresh.find((item) => item.state === 'complete' && item.endTime);
      const failed = fresh.find((item) => item.state === 'interrupted');
      return complete
        ? { end: Date.parse(complete.endTime!), bytes: complete.fileSize, file: complete.filename }
        : failed
          ? { error: failed.error ?? 'interrupted' }
          : null;
    }, before);
    if (done && 'error' in done) throw new Error(`download interrupted: ${done.error}`);
    if (done) return done;
    const alert = exportPanel(page).getByRole('alert');
    if (await alert.isVisible().catch(() => false))
      throw new Error(`the panel reports: ${await alert.innerText()}`);
    if (Date.now() > deadline) throw new Error('no completed download');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/**
 * Waits until the extension's layout memory holds an answer (an export's layout made in the background); asked
 * in the extension's service worker. Resolves with Date.now() when it does.
 */
export async function layoutKept(worker: Worker, timeout = 120_000): Promise<number> {
  const deadline = Date.now() + timeout;
  for (;;) {
    // Answers only, not the mark of a layout under way (a query on its key).
    const kept = await worker.evaluate(
      async (name) =>
        (await (await caches.open(name)).keys()).filter((request) => !new URL(request.url).search).length,
      LAYOUT_CACHE,
    );
    if (kept > 0) return Date.now();
    if (Date.now() > deadline) throw new Error('no layout kept after the export');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

interface ExportTiming {
  fromConfirm: number;
  fromExport: number;
  bytes: number;
  asked: boolean;
  /** Time per export step as the panel showed it (fetch, validate, redact, zip, save, download). */
  stepMs: Record<string, number>;
}

export async function exportWithPanel(page: Page, worker: Worker): Promise<ExportTiming> {
  const panel = exportPanel(page);
  const exportButton = panel.getByRole('button', { name: 'Export', exact: true });
  await exportButton.waitFor();
  const before = await downloadIds(worker);
  const confirm = panel.getByRole('button', { name: 'Yes, I will take care' });
  const finished = panel.getByRole('status').filter({ hasText: /Exported/ });
  await page.evaluate(() => {
    const probe = (window as unknown as { __porterBench?: PageProbe }).__porterBench;
    if (probe) probe.steps = [];
  });
  const tExport = Date.now();
  await exportButton.click();
  // The check appears once the job has read the version (none for a version that needs nothing).
  await confirm.or(finished).or(panel.getByRole('alert')).first().waitFor({ timeout: 30_000 });
  let tConfirm = tExport;
  const asked = await confirm.isVisible();
  if (asked) {
    tConfirm = Date.now();
    await confirm.click();
  }
  const done = await completedAfter(worker, before, page);
  await panel
    .getByRole('status')
    .filter({ hasText: /Exported/ })
    .waitFor({ timeout: 30_000 });
  const steps = (await readProbe(page))?.steps ?? [];
  // Step i lasts until step i + 1 shows; the last one (download) until the file is complete.
  const stepMs: Record<string, number> = {};
  const timeline = [...steps.filter((step) => step.label !== 'done'), { label: 'end', at: done.end }];
  for (let i = 0; i + 1 < timeline.length; i++) {
    const step = timeline[i]!;
    stepMs[step.label] = (stepMs[step.label] ?? 0) + Math.max(0, timeline[i + 1]!.at - step.at);
  }
  if (timeline.length > 1) stepMs['(click → first step shown)'] = Math.max(0, timeline[0]!.at - tConfirm);
  return {
    fromConfirm: done.end - tConfirm,
    fromExport: done.end - tExport,
    bytes: done.bytes,
    asked,
    stepMs,
  };
}

function nativeSection(page: Page) {
  return page.getByRole('region', { name: 'Export workflow', exact: true });
}

async function exportNatively(page: Page, worker: Worker): Promise<{ ms: number; bytes: number }> {
  const section = nativeSection(page);
  const button = section.getByRole('button', { name: 'Export', exact: true });
  await button.waitFor();
  const before = await downloadIds(worker);
  const t = Date.now();
  await button.click();
  const done = await completedAfter(worker, before, page);
  await section
    .getByRole('status')
    .filter({ hasText: /exported successfully/ })
    .waitFor({ timeout: 30_000 });
  return { ms: done.end - t, bytes: done.bytes };
}

/** Without the extension there is no chrome.downloads to ask: Playwright's download event, then its file. */
async function exportNativelyPlain(page: Page): Promise<{ ms: number }> {
  const section = nativeSection(page);
  const button = section.getByRole('button', { name: 'Export', exact: true });
  await button.waitFor();
  const t = Date.now();
  const [download] = await Promise.all([page.waitForEvent('download'), button.click()]);
  await download.path();
  const ms = Date.now() - t;
  await section
    .getByRole('status')
    .filter({ hasText: /exported successfully/ })
    .waitFor({ timeout: 30_000 });
  return { ms };
}

export interface Readiness {
  dclToHeading: number;
  dclToPanel: number | null;
  headingToPanel: number | null;
}

export interface WorkflowBrowserResult {
  key: WorkflowKey;
  name: string;
  packageBytes: number;
  nativeBytes: number;
  oursFromConfirm: number[];
  oursFromExport: number[];
  /** Per export step, one value per round. */
  oursSteps: Record<string, number[]>;
  native: number[];
  nativeWithoutExtension: number[];
  dependencyCheckShown: boolean;
  readiness: Readiness[];
  readinessWithoutExtension: Readiness[];
}

export interface LongTaskSummary {
  pageLoads: number;
  count: number;
  totalMs: number;
  maxMs: number;
  byAttribution: { attribution: string; count: number; totalMs: number; maxMs: number }[];
  /** Long-animation-frame script time (> 0 ms) by origin: the page's own scripts vs the extension's. */
  loafScriptMs: { page: number; extension: number; other: number };
  extensionScripts: { sourceURL: string; invoker: string; totalMs: number }[];
}

export interface BrowserResults {
  chromium: string;
  rounds: number;
  bundle: { file: string; bytes: number; gzipBytes: number }[];
  workflows: WorkflowBrowserResult[];
  longTasks: { withExtension: LongTaskSummary; withoutExtension: LongTaskSummary };
}

export function bundleSizes(): BrowserResults['bundle'] {
  const files = ['content-scripts/configurations.js', 'background.js'];
  return files.flatMap((file) => {
    const full = path.join(EXTENSION_DIR, file);
    try {
      statSync(full);
    } catch {
      return [];
    }
    const bytes = readFileSync(full);
    return [{ file, bytes: bytes.byteLength, gzipBytes: gzipSync(bytes, { level: 9 }).byteLength }];
  });
}

function readinessOf(probe: PageProbe | null): Readiness | null {
  if (!probe || probe.dcl === null || probe.heading === null) return null;
  return {
    dclToHeading: probe.heading - probe.dcl,
    dclToPanel: probe.panelReady === null ? null : probe.panelReady - probe.dcl,
    headingToPanel: probe.panelReady === null ? null : probe.panelReady - probe.heading,
  };
}

function summarizeLongTasks(probes: PageProbe[]): LongTaskSummary {
  const tasks = probes.flatMap((p) => p.longTasks).filter((t) => t.duration > 50);
  const groups = new Map<string, number[]>();
  for (const task of tasks) {
    const a = task.attribution[0];
    const key = [task.name, a?.containerType, a?.containerName || a?.containerId || a?.containerSrc]
      .filter(Boolean)
      .join(' / ');
    groups.set(key, [...(groups.get(key) ?? []), task.duration]);
  }
  const loafScripts = probes.flatMap((p) => p.loaf.flatMap((frame) => frame.scripts));
  const loafScriptMs = { page: 0, extension: 0, other: 0 };
  const extension = new Map<string, number>();
  for (const script of loafScripts) {
    if (script.sourceURL.startsWith('chrome-extension://')) {
      loafScriptMs.extension += script.duration;
      const key = `${script.sourceURL.replace(/^chrome-extension:\/\/[^/]+/, '')}\u0000${script.invoker}`;
      extension.set(key, (extension.get(key) ?? 0) + script.duration);
    } else if (script.sourceURL.startsWith('http')) loafScriptMs.page += script.duration;
    else loafScriptMs.other += script.duration;
  }
  return {
    pageLoads: probes.length,
    count: tasks.length,
    totalMs: tasks.reduce((sum, t) => sum + t.duration, 0),
    maxMs: tasks.reduce((max, t) => Math.max(max, t.duration), 0),
    byAttribution: [...groups]
      .map(([attribution, durations]) => ({
        attribution,
        count: durations.length,
        totalMs: durations.reduce((s, d) => s + d, 0),
        maxMs: Math.max(...durations),
      }))
      .sort((a, b) => b.totalMs - a.totalMs),
    loafScriptMs,
    extensionScripts: [...extension]
      .map(([key, totalMs]) => {
        const [sourceURL, invoker] = key.split('\u0000') as [string, string];
        return { sourceURL, invoker, totalMs };
      })
      .sort((a, b) => b.totalMs - a.totalMs)
      .slice(0, 5),
  };
}

async function openConfigurations(page: Page, sandboxUrl: string, workflowId: string, expectPanel: boolean) {
  await page.goto(`${sandboxUrl}/workflows/${workflowId}/configurations`);
  await waitForProbe(page, 'heading');
  if (expectPanel) await waitForProbe(page, 'panelReady');
}

export async function runBrowser(options: { quick: boolean }, log: Log): Promise<BrowserResults> {
  const rounds = options.quick ? 1 : 3;
  const sandbox = await startSandbox({ port: 0, jobDelayMs: SANDBOX_JOB_DELAY_MS });
  const results: WorkflowBrowserResult[] = BROWSER_WORKFLOWS.map((w) => ({
    key: w.key,
    name: w.name,
    packageBytes: 0,
    nativeBytes: 0,
    oursFromConfirm: [],
    oursFromExport: [],
    oursSteps: {},
    native: [],
    nativeWithoutExtension: [],
    dependencyCheckShown: false,
    readiness: [],
    readinessWithoutExtension: [],
  }));
  const withProbes: PageProbe[] = [];
  const withoutProbes: PageProbe[] = [];
  let chromiumVersion: string | undefined;
  try {
    // ---- with the extension
    log('Part 2: Chromium with the extension…');
    const browser = await launchWithExtension();
    try {
      chromiumVersion = browser.context.browser()?.version() ?? '';
      const { page, worker } = browser;
      await page.addInitScript({ content: probeSource({ expectPanel: true }) });
      await login(page, sandbox.url, 'editor@sandbox.test');
      for (let round = 0; round < rounds; round++) {
        for (const [index, workflow] of BROWSER_WORKFLOWS.entries()) {
          const result = results[index]!;
          await openConfigurations(page, sandbox.url, workflow.id, true);
          const readiness = readinessOf(await readProbe(page));
          if (readiness) result.readiness.push(readiness);
          const oursFirst = round % 2 === 0;
          for (const which of oursFirst ? ['ours', 'native'] : ['native', 'ours']) {
            if (which === 'ours') {
              const timing = await exportWithPanel(page, worker);
              // A large flow is laid out in the background after its export: let that end before the next
              // export is timed (once per version: later exports find the layout kept).
              if (workflow.key === 'claims') await layoutKept(worker);
              result.oursFromConfirm.push(timing.fromConfirm);
              result.oursFromExport.push(timing.fromExport);
              result.packageBytes = timing.bytes;
              result.dependencyCheckShown ||= timing.asked;
              for (const [label, value] of Object.entries(timing.stepMs))
                (result.oursSteps[label] ??= []).push(value);
            } else {
              const timing = await exportNatively(page, worker);
              result.native.push(timing.ms);
              result.nativeBytes = timing.bytes;
            }
          }
          const probe = await readProbe(page);
          if (probe) withProbes.push(probe);
          log(
            `  round ${round + 1}/${rounds} ${workflow.name}: ours ${result.oursFromConfirm.at(-1)} ms ` +
              `(${result.oursFromExport.at(-1)} ms from Export), native ${result.native.at(-1)} ms, ` +
              `panel usable ${readiness?.dclToPanel?.toFixed(0) ?? '?'} ms after DOMContentLoaded`,
          );
        }
      }
    } finally {
      await browser.context.close();
      rmSync(browser.downloadDir, { recursive: true, force: true });
    }

    // ---- without the extension: the same pages and the native export
    log('Part 2: Chromium without the extension…');
    const executablePath = findChromium() ?? '/usr/lib/chromium/chromium';
    const plain = await chromium.launch({
      executablePath,
      headless: true,
      args: ['--disable-gpu', '--disable-quic', '--no-first-run'],
    });
    try {
      const context = await plain.newContext({ acceptDownloads: true });
      const page = await context.newPage();
      await page.addInitScript({ content: probeSource({ expectPanel: false }) });
      await login(page, sandbox.url, 'editor@sandbox.test');
      for (let round = 0; round < rounds; round++) {
        for (const [index, workflow] of BROWSER_WORKFLOWS.entries()) {
          const result = results[index]!;
          await openConfigurations(page, sandbox.url, workflow.id, false);
          const readiness = readinessOf(await readProbe(page));
          if (readiness) result.readinessWithoutExtension.push(readiness);
          result.nativeWithoutExtension.push((await exportNativelyPlain(page)).ms);
          const probe = await readProbe(page);
          if (probe) withoutProbes.push(probe);
        }
      }
      await context.close();
    } finally {
      await plain.close();
    }
  } finally {
    await sandbox.close();
  }
  return {
    chromium: chromiumVersion ?? '',
    rounds,
    bundle: bundleSizes(),
    workflows: results,
    longTasks: {
      withExtension: summarizeLongTasks(withProbes),
      withoutExtension: summarizeLongTasks(withoutProbes),
    },
  };
}

export const stat = (values: number[]) => ({ median: median(values), p95: p95(values), runs: values.length });
