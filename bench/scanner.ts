/**
 * Part 3: the scanner on its own (lib/redaction). Its speed on clean workflow text and on text dense with
 * keywords, its keyword automaton against a published Aho–Corasick package on the same keywords and texts, the
 * cost of each added rule (added rules have keywords that do not occur: the automaton should make them free),
 * the size of the rule set against gitleaks' published one, and how fast `porter` starts (built and from the
 * sources). Every time is the median of several rounds in this process; nothing is asserted.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import AhoCorasick from 'modern-ahocorasick';
import { KeywordAutomaton } from '../lib/redaction/automaton.ts';
import { token } from '../lib/redaction/rules/define.ts';
import { PROVIDER_RULES } from '../lib/redaction/rules/index.ts';
import { createScanner, findSecrets, KEYWORD_COUNT, RULES } from '../lib/redaction/scanner.ts';
import type { Rule } from '../lib/redaction/types.ts';
import { median } from './report.ts';

const ROOT = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');

/** gitleaks' published rule set (config/gitleaks.toml) holds this many rules; tests/unit/redaction checks coverage. */
export const GITLEAKS_RULE_COUNT = 222;

export interface Rate {
  bytes: number;
  strings: number;
  ms: number;
  mbPerSecond: number;
}

export interface ScannerResults {
  providerRules: number;
  allRules: number;
  ruleIds: number;
  keywords: number;
  gitleaksRules: number;
  /** gitleaks rule ids named in the `covers` of our rules. */
  gitleaksCovered: number;
  clean: Rate;
  dense: Rate;
  automaton: { ours: Rate; ahoCorasick: Rate };
  /** Scan time of the clean text with N added rules. */
  addedRules: Array<{ added: number; ms: number }>;
  /** (time with the most added rules − time with none) ÷ rules added, in microseconds per MB of text. */
  microsPerRulePerMb: number;
  cliStart: { built: number; sources: number; bareNode: number; runs: number };
}

type Log = (line: string) => void;

let seed = 20260;
const random = () => {
  seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
  return seed / 2 ** 32;
};
const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;

const WORDS = (
  'claim adjuster policy customer review approve document upload photo damage estimate repair vehicle ' +
  'roof water window payment invoice route escalate notify summary branch region status pending step ' +
  'queue handle case file note reply assess cover limit date amount total check verify export import'
).split(' ');

/** Strings as a workflow holds them: descriptions, prompts, names, URLs, ids; no keyword of any rule. */
function cleanStrings(bytes: number): string[] {
  const out: string[] = [];
  let total = 0;
  while (total < bytes) {
    const n = 3 + Math.floor(random() * 30);
    const text = Array.from({ length: n }, () => pick(WORDS)).join(' ');
    out.push(text);
    total += text.length;
  }
  return out;
}

/** Strings full of keywords, assignments and token prefixes, with placeholders where secrets would be. */
function denseStrings(bytes: number): string[] {
  const lines = [
    'api_key = "YOUR_API_KEY_HERE" and token: <token>',
    'Authorization: Bearer {{context.env.TOKEN}}',
    'password=${DB_PASSWORD}&secret_key=<secret>',
    'const accessToken = process.env.ACCESS_TOKEN; // auth session key',
    'curl -H "x-api-key: $KEY" https://api.example.com?sig={{sig}}',
    'ghp_ sk- xoxb- AKIA glpat- hf_ npm_ eyJ are prefixes; see the credentials page',
    'client_secret: "********" # rotated by the vault',
  ];
  const out: string[] = [];
  let total = 0;
  while (total < bytes) {
    const text = `${pick(lines)} ${pick(WORDS)} ${pick(lines)}`;
    out.push(text);
    total += text.length;
  }
  return out;
}

const now = () => performance.now();

function time(rounds: number, run: () => void): number {
  const times: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const t = now();
    run();
    times.push(now() - t);
  }
  return median(times);
}

function rate(strings: string[], ms: number): Rate {
  const bytes = strings.reduce((sum, s) => sum + s.length, 0);
  return { bytes, strings: strings.length, ms, mbPerSecond: bytes / 1e6 / (ms / 1000) };
}

/** A rule no text here holds a keyword of (`zq7k0001_` + 32 characters). */
const addedRule = (i: number): Rule =>
  token(
    `added-${i}`,
    'bench rule',
    [`zq7k${String(i).padStart(4, '0')}_`],
    `zq7k${String(i).padStart(4, '0')}_[A-Za-z0-9]{32}`,
  );

function cliStart(runs: number): ScannerResults['cliStart'] {
  const bin = path.join(ROOT, 'bin', 'porter.mjs');
  execFileSync(process.execPath, [path.join(ROOT, 'scripts', 'build-cli.mjs')], { stdio: 'ignore' });
  const once = (args: string[], env: NodeJS.ProcessEnv) => {
    const t = now();
    execFileSync(process.execPath, args, { stdio: 'ignore', env });
    return now() - t;
  };
  const series = (args: string[], env: NodeJS.ProcessEnv, n: number) =>
    median(Array.from({ length: n }, () => once(args, env)));
  return {
    built: series([bin, '--help'], process.env, runs),
    sources: series([bin, '--help'], { ...process.env, PORTER_FROM_SOURCES: '1' }, Math.max(3, runs >> 1)),
    bareNode: series(['-e', '0'], process.env, runs),
    runs,
  };
}

export async function runScanner(options: { quick: boolean }, log: Log): Promise<ScannerResults> {
  const rounds = options.quick ? 3 : 7;
  const size = options.quick ? 2_000_000 : 4_000_000;
  const clean = cleanStrings(size);
  const dense = denseStrings(size / 4);
  log(`Part 3: the scanner (${RULES.length} rules, ${KEYWORD_COUNT} keywords), ${rounds} rounds…`);
  const scanAll = (strings: string[], scan: (text: string) => unknown) => () => {
    for (const text of strings) scan(text);
  };
  const cleanMs = time(rounds, scanAll(clean, findSecrets));
  const denseMs = time(rounds, scanAll(dense, findSecrets));
  log(`  clean ${cleanMs.toFixed(0)} ms, dense ${denseMs.toFixed(0)} ms`);

  // The keyword pre-filter alone: ours and a published Aho–Corasick automaton, same keywords, same strings.
  const automaton = new KeywordAutomaton(RULES);
  const keywords = [...new Set(RULES.flatMap((rule) => rule.keywords))];
  const aho = new AhoCorasick(keywords);
  const mixed = [...clean.slice(0, clean.length >> 2), ...dense];
  const oursMs = time(
    rounds,
    scanAll(mixed, (text) => automaton.rulesIn(text)),
  );
  const ahoMs = time(
    rounds,
    scanAll(mixed, (text) => aho.search(text.toLowerCase())),
  );
  log(`  automaton: ours ${oursMs.toFixed(0)} ms, modern-ahocorasick ${ahoMs.toFixed(0)} ms`);

  const steps = options.quick ? [0, 100, 200] : [0, 50, 100, 200, 400];
  // Interleaved: every round scans with each rule count in turn, so the machine's drift (GC, other load)
  // falls on all counts alike instead of on whichever count ran last.
  const scanners = steps.map((added) => createScanner(Array.from({ length: added }, (_, i) => addedRule(i))));
  const samples = steps.map(() => [] as number[]);
  for (let round = 0; round < rounds; round++)
    scanners.forEach((scan, i) => samples[i]!.push(time(1, scanAll(clean, scan))));
  const addedRules = steps.map((added, i) => ({ added, ms: median(samples[i]!) }));
  const first = addedRules[0]!;
  const last = addedRules[addedRules.length - 1]!;
  const cleanMb = rate(clean, 1).bytes / 1e6;
  const microsPerRulePerMb = ((last.ms - first.ms) * 1000) / (last.added - first.added) / cleanMb;
  log(`  added rules: ${addedRules.map((r) => `${r.added} → ${r.ms.toFixed(0)} ms`).join(', ')}`);

  log('  porter start time (bundle, then sources through tsx)…');
  const start = cliStart(options.quick ? 5 : 11);

  return {
    providerRules: PROVIDER_RULES.length,
    allRules: RULES.length,
    ruleIds: new Set(RULES.map((rule) => rule.id)).size,
    keywords: KEYWORD_COUNT,
    gitleaksRules: GITLEAKS_RULE_COUNT,
    gitleaksCovered: new Set(RULES.flatMap((rule) => rule.covers ?? [])).size,
    clean: rate(clean, cleanMs),
    dense: rate(dense, denseMs),
    automaton: { ours: rate(mixed, oursMs), ahoCorasick: rate(mixed, ahoMs) },
    addedRules,
    microsPerRulePerMb,
    cliStart: start,
  };
}
