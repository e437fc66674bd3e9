/**
 * `npm run bench` (scripts/bench.mjs starts this with --expose-gc): prints tables, asserts nothing, and writes the
 * same results to bench/results/latest.json.
 *
 *   --core-only      Parts 1 and 3 only (validate + redact + zip, memory, read back; the scanner, porter's start)
 *   --browser-only   Part 2 only (Chromium with the built extension)
 *   --import-only    Part 4 only (the import: check + preview, and the whole import beside the native one)
 *   --bulk-only      Part 5 only (bulk export of 20 and 200 generated workflows, in Node and in the extension)
 *   --quick          fewer iterations and rounds (about a minute and a half)
 *   --out FILE       write the JSON elsewhere
 */
import { execSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCore, type CoreResults } from './core.ts';
import { runBrowser, type BrowserResults } from './browser.ts';
import { runScanner, type ScannerResults } from './scanner.ts';
import { browserTables, coreTables, scannerTables, targetTable, type Target } from './tables.ts';
import { importTables, runImport, type ImportResults } from './import.ts';
import { bulkTables, runBulk, type BulkResults } from './bulk.ts';
import { bulkBrowserTables, runBulkBrowser, type BulkBrowserResults } from './bulk-browser.ts';
import { libraryTables, runLibrary, type LibraryResults } from './library.ts';

const args = process.argv.slice(2);
const flag = (name: string) => args.includes(name);
const option = (name: string) => {
  const at = args.indexOf(name);
  return at >= 0 ? args[at + 1] : undefined;
};
const ONLY = ['--core-only', '--browser-only', '--import-only', '--bulk-only', '--library-only'];
const known = new Set([...ONLY, '--quick', '--out', '--no-build']);
const unknown = args.filter((arg, i) => arg.startsWith('--') && !known.has(arg) && args[i - 1] !== '--out');
if (unknown.length) {
  console.error(
    `unknown option(s): ${unknown.join(' ')}\nusage: npm run bench -- [${ONLY.join(' | ')}] [--quick] [--no-build] [--out FILE]`,
  );
  process.exit(2);
}
const quick = flag('--quick');
const only = ONLY.filter(flag);
const doCore = only.length === 0 || flag('--core-only');
const doBrowser = only.length === 0 || flag('--browser-only');
const doImport = only.length === 0 || flag('--import-only');
const doBulk = only.length === 0 || flag('--bulk-only');
const libraryOnly = flag('--library-only');
const out =
  option('--out') ?? path.join(path.dirname(fileURLToPath(import.meta.url)), 'results', 'latest.json');
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc)
  console.error('note: run with --expose-gc (npm run bench does) so runs start from a collected heap.');

const log = (line: string) => console.error(line);
const started = Date.now();
const git = (command: string) => {
  try {
    return execSync(`git ${command}`, { stdio: ['ignore', 'pipe', 'ignore'] })
      .toString()
      .trim();
  } catch {
    return '';
  }
};
const meta = {
  date: new Date().toISOString(),
  commit: git('rev-parse --short HEAD'),
  dirtyFiles: git('status --porcelain').split('\n').filter(Boolean).length,
  node: process.version,
  cpu: os.cpus()[0]?.model ?? '',
  cores: os.availableParallelism?.() ?? os.cpus().length,
  memoryGB: +(os.totalmem() / 1e9).toFixed(1),
  loadAverageAtStart: os.loadavg().map((n) => +n.toFixed(2)),
  loadAverageAtEnd: [] as number[],
  quick,
  durationSeconds: 0,
};
log(
  `AFP Porter benchmarks: node ${meta.node}, ${meta.cores} cores (${meta.cpu}), load average ${meta.loadAverageAtStart.join(' ')}` +
    (quick ? ', --quick' : ''),
);

let core: CoreResults | null = null;
let scanner: ScannerResults | null = null;
let browser: BrowserResults | null = null;
let browserError: string | null = null;
let bulk: BulkResults | null = null;
const targets: Target[] = [];
const printed: string[] = [];

if (doCore) {
  core = await runCore({ quick }, log);
  const { text, targets: t } = coreTables(core);
  printed.push('PART 1: THE CORE\n', text);
  targets.push(...t);
}
if (doBrowser) {
  try {
    browser = await runBrowser({ quick }, log);
    const { text, targets: t } = browserTables(browser);
    printed.push('PART 2: THE BROWSER\n', text);
    targets.push(...t);
  } catch (error) {
    browserError = (error as Error).stack ?? String(error);
    log(`Part 2 failed: ${browserError}`);
    printed.push(`PART 2: THE BROWSER\n\nnot measured: ${(error as Error).message}\n`);
  }
}
if (doCore) {
  scanner = await runScanner({ quick }, log);
  const { text, targets: t } = scannerTables(scanner);
  printed.push('PART 3: THE SCANNER\n', text);
  targets.push(...t);
}
let imports: ImportResults | null = null;
if (doImport) {
  try {
    imports = await runImport({ quick }, log);
    printed.push('PART 4: THE IMPORT\n', importTables(imports));
  } catch (error) {
    log(`Part 4 failed: ${(error as Error).stack ?? String(error)}`);
    printed.push(`PART 4: THE IMPORT\n\nnot measured: ${(error as Error).message}\n`);
  }
}
let bulkBrowser: BulkBrowserResults | null = null;
if (doBulk) {
  bulk = await runBulk({ quick }, log);
  const { text, targets: t } = bulkTables(bulk);
  printed.push('PART 5: BULK EXPORT\n', text);
  targets.push(...t);
  // In the built extension too, unless the launcher found no Chromium (it then passes --core-only).
  if (!flag('--core-only')) {
    try {
      bulkBrowser = await runBulkBrowser({ quick }, log);
      const { text: inBrowser, targets: more } = bulkBrowserTables(bulkBrowser);
      printed.push(inBrowser);
      targets.push(...more);
    } catch (error) {
      log(`Part 5 in the browser failed: ${(error as Error).stack ?? String(error)}`);
      printed.push(`Bulk export in the extension: not measured: ${(error as Error).message}\n`);
    }
  }
}
let library: LibraryResults | null = null;
if (doCore || doBrowser || libraryOnly) {
  try {
    library = await runLibrary({ quick, browser: doBrowser || libraryOnly }, log);
    const { text, targets: t } = libraryTables(library);
    printed.push('PART 6: THE LIBRARY\n', text);
    targets.push(...t);
  } catch (error) {
    log(`Part 6 failed: ${(error as Error).stack ?? String(error)}`);
    printed.push(`PART 6: THE LIBRARY\n\nnot measured: ${(error as Error).message}\n`);
  }
}
printed.push(targetTable(targets));

meta.loadAverageAtEnd = os.loadavg().map((n) => +n.toFixed(2));
meta.durationSeconds = Math.round((Date.now() - started) / 1000);
const footer =
  `Run: ${meta.date}, commit ${meta.commit}${meta.dirtyFiles ? ` + ${meta.dirtyFiles} changed file(s)` : ''}, ` +
  `${meta.durationSeconds} s, load average ${meta.loadAverageAtStart.join(' ')} → ${meta.loadAverageAtEnd.join(' ')} on ${meta.cores} cores.`;
console.log(`\n${printed.join('\n')}\n${footer}`);

mkdirSync(path.dirname(out), { recursive: true });
const json = JSON.stringify(
  {
    meta,
    core,
    scanner,
    browser,
    browserError,
    imports,
    bulk,
    bulkBrowser,
    library,
    targets,
    tables: printed.join('\n'),
  },
  null,
  2,
);
// Formatted like the rest of the tree, so `prettier --check .` stays clean wherever the file ends up.
const formatted = await import('prettier')
  .then(async (prettier) => prettier.format(json, { ...(await prettier.resolveConfig(out)), filepath: out }))
  .catch(() => `${json}\n`);
writeFileSync(out, formatted);
log(`results written to ${path.relative(process.cwd(), out)}`);
