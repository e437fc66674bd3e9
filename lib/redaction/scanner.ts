/**
 * The scanner: `findSecrets(text, hint)` returns the spans of `text` that are secrets, so a caller can replace
 * only that span (`Bearer sk-…` → the token, `postgres://u:p@h` → `p`). `hint.key` is the JSON key or header
 * name the string sits under; it enables whole-value rules (a `password` field holds a password).
 *
 * One pass per string: the keyword automaton says which rules can match (most strings of a workflow hold no
 * keyword at all and end there); only those rules' regexes run, each linear (bounded quantifiers, no nested
 * repetition). `{{…}}` / `${…}` references are never secrets; placeholders are ignored; a token is replaced
 * whole (a `.xxx` or `%2B…` tail included). No Node-only APIs: runs in a service worker and in Node.
 */
import { KeywordAutomaton } from './automaton';
import {
  decodePercentWithOffsets,
  GENERIC_RULES,
  isNeutralHeaderName,
  judgeKeyedSpans,
  neutralHeaderSpans,
} from './heuristics';
import { classifyKey, type KeyKind } from './keys';
import { NO_FINDINGS } from './paths';
import { PROVIDER_RULES } from './rules/index';
import type { KeyedSpan, Rule, SecretFinding, SecretHint, SecretRuleInfo } from './types';
import { isPlaceholder, shannonEntropy } from './values';

export type { SecretFinding, SecretHint, SecretRuleInfo } from './types';
// The scanner's public surface, as lib/package/secrets had it: the judgements callers ask about on their own.
export { judgeKeyedValue } from './heuristics';
export {
  classifyKey,
  itemHint,
  memberHint,
  normalizeKey,
  numberAsSecretText,
  pairName,
  type KeyKind,
} from './keys';
export { isBenignShape, isPlaceholder, isReference, isWordish, looksRandom, shannonEntropy } from './values';

/**
 * The secrets of a percent-encoded `value`, found in its decoded text (as a URL component, and as a form value
 * when it holds a `+`) by every rule, as spans of `value` itself: only the secret goes, the rest of what was
 * encoded (`Bearer%20`, the URL around a token) stays.
 */
function encodedSecretSpans(value: string): KeyedSpan[] {
  const spans: KeyedSpan[] = [];
  for (const plusIsSpace of value.includes('+') ? [false, true] : [false]) {
    const decoded = decodePercentWithOffsets(value, plusIsSpace);
    if (!decoded || decoded.text === value) continue;
    for (const finding of findSecrets(decoded.text))
      spans.push({
        start: decoded.at[finding.start]!,
        end: decoded.at[finding.end]!,
        ...(finding.label !== undefined && { label: finding.label }),
      });
  }
  return spans;
}

/**
 * A URL percent-encoded whole (`https%3A%2F%2Fhooks.slack.com%2F…`: a callback parameter, an encoded request): the
 * provider and URL rules look for `://`, which the encoding hides, so it is read decoded. Here rather than with
 * the heuristics: it scans what it decodes with every rule (`findSecrets`).
 */
const ENCODED_URL_RULE: Rule = {
  id: 'encoded-url-secret',
  description: 'URL percent-encoded whole that holds a secret once decoded (a webhook, a token in its query)',
  label: 'SECRET_URL',
  priority: 8,
  keywords: ['%3a%2f%2f'],
  notPlaceholder: true,
  // A literal `&`, `"`, space or `%` not starting an escape ends it: each is encoded inside an encoded URL.
  regex: /[a-z][a-z0-9+.-]{0,31}%3a%2f%2f(?:[A-Za-z0-9._~!$'()*+,;=:@/-]|%[0-9A-Fa-f]{2}){1,4096}/gi,
  spans: encodedSecretSpans,
};

/**
 * A query parameter's value percent-encoded (`?cfg=apiVersion%3A%20v1%0Akind%3A%20Secret…`, `?q=curl+-u+…`): a
 * command, a config or code snippet put into a URL, which the rules cannot read through its escapes: read decoded.
 */
const ENCODED_QUERY_VALUE_RULE: Rule = {
  id: 'encoded-query-secret',
  description:
    'Query parameter value percent-encoded that holds a secret once decoded (a command, a snippet)',
  label: 'SECRET_PARAM',
  priority: 8,
  keywords: ['%'],
  notPlaceholder: true,
  // A value: from after `?`, `&` or `=` to the next raw `&`, `=`, `#`, quote or space; one with an escape.
  regex:
    /(?<=[?&=])(?=[A-Za-z0-9._~!$'()*+,;:@/-]*%[0-9A-Fa-f]{2})(?:[A-Za-z0-9._~!$'()*+,;:@/-]|%[0-9A-Fa-f]{2}){8,8192}/g,
  spans: encodedSecretSpans,
};

/** Every rule: the provider tables, then the generic heuristics. */
export const RULES: readonly Rule[] = [
  ...PROVIDER_RULES,
  ...GENERIC_RULES,
  ENCODED_URL_RULE,
  ENCODED_QUERY_VALUE_RULE,
];

/** A rule set made ready to scan with: its automaton, the priority of each id. */
interface RuleSet {
  rules: readonly Rule[];
  automaton: KeywordAutomaton;
  /** Every rule's index. */
  all: number[];
  priority: Map<string, number>;
}

function ruleSet(rules: readonly Rule[]): RuleSet {
  const priority = new Map<string, number>();
  for (const rule of rules) if (!priority.has(rule.id)) priority.set(rule.id, rule.priority);
  priority.set('secret-field', 7);
  priority.set('url-secret-param', 6);
  return { rules, automaton: new KeywordAutomaton(rules), all: rules.map((_, index) => index), priority };
}

const DEFAULT = ruleSet(RULES);
const AUTOMATON = DEFAULT.automaton;

/** How many distinct keywords the automaton holds (for the bench and the docs). */
export const KEYWORD_COUNT = AUTOMATON.keywordCount;

/**
 * `findSecrets` with further rules after the built-in ones: the bench measures what each added rule costs
 * (one automaton for all keywords, so it should cost next to nothing where its keywords do not occur).
 */
export function createScanner(
  extraRules: readonly Rule[],
): (text: string, hint?: SecretHint) => SecretFinding[] {
  const set = ruleSet([...RULES, ...extraRules]);
  return (text, hint) => scan(set, text, hint, true);
}

/** The rules, for documentation and reports (one entry per id). */
export const SECRET_RULES: readonly SecretRuleInfo[] = (() => {
  const seen = new Map<string, SecretRuleInfo>();
  for (const rule of RULES) {
    if (!seen.has(rule.id))
      seen.set(rule.id, { id: rule.id, description: rule.description, label: rule.label });
  }
  seen.set('secret-field', {
    id: 'secret-field',
    description: 'Whole value of a field named like a password, secret, API key or access token',
    label: 'SECRET',
  });
  return [...seen.values()];
})();

const LABELS = new Map(SECRET_RULES.map((info) => [info.id, info.label]));

export function defaultLabelForRule(rule: string): string {
  return LABELS.get(rule) ?? 'SECRET';
}

// ---------------------------------------------------------------------------------------------------------
// The scanner
// ---------------------------------------------------------------------------------------------------------

const TEMPLATE_RE = /\{\{[^{}]{0,512}\}\}|\$\{[^{}]{0,256}\}/g;

function templateRanges(text: string): Array<[number, number]> {
  if (!text.includes('{{') && !text.includes('${')) return [];
  const ranges: Array<[number, number]> = [];
  TEMPLATE_RE.lastIndex = 0;
  for (let m = TEMPLATE_RE.exec(text); m; m = TEMPLATE_RE.exec(text))
    ranges.push([m.index, m.index + m[0].length]);
  return ranges;
}

/**
 * The index of the first range that ends after `position` (`ranges.length` when none), by binary search:
 * template ranges come from one global search, so they are disjoint and sorted by start and by end.
 */
function firstEndingAfter(ranges: ReadonlyArray<[number, number]>, position: number): number {
  let low = 0;
  let high = ranges.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (ranges[middle]![1] > position) high = middle;
    else low = middle + 1;
  }
  return low;
}

function groupSpan(
  match: RegExpExecArray,
  group: number,
): { index: number; start: number; end: number } | null {
  const indices = match.indices;
  if (!indices) return null;
  if (group >= 0) {
    const pair = indices[group];
    return pair ? { index: group, start: pair[0], end: pair[1] } : null;
  }
  // -1: the last value-like group that matched (groups after the label group)
  for (let i = indices.length - 1; i >= 1; i--) {
    const pair = indices[i];
    if (pair && match[i] !== undefined && i >= 2) return { index: i, start: pair[0], end: pair[1] };
  }
  return null;
}

const regexCache = new WeakMap<RegExp, RegExp>();
const stickyCache = new WeakMap<RegExp, RegExp>();
/** `regex` with match indices (`d`); `sticky`: also matching only where `lastIndex` points (`y`). */
function withIndices(regex: RegExp, sticky = false): RegExp {
  const cache = sticky ? stickyCache : regexCache;
  let cached = cache.get(regex);
  if (!cached) {
    const flags = new Set([...regex.flags, 'd', ...(sticky ? 'y' : '')]);
    cached = new RegExp(regex.source, [...flags].join(''));
    cache.set(regex, cached);
  }
  return cached;
}

/** Finds the next match of a rule's regex at or after `from` (null: none); the match ends at `regex.lastIndex`. */
type MatchFrom = (from: number) => RegExpExecArray | null;

/** Every position of the text, as `regex.exec` searches. */
function matchAnywhere(regex: RegExp, text: string): MatchFrom {
  return (from) => {
    regex.lastIndex = from;
    return regex.exec(text);
  };
}

/**
 * The same matches as `matchAnywhere` for a rule whose matches all start at most `near` characters before one
 * of its keywords (`Rule.startsNear`), `starts` the keywords' positions: the sticky regex is tried only at
 * those positions, in order, so the first one that matches is the leftmost match.
 */
function matchNear(
  sticky: RegExp,
  text: string,
  starts: readonly number[],
  near: number,
  canStartAt: ((text: string, at: number) => boolean) | undefined,
  keywordRun: ((code: number) => boolean) | undefined,
): MatchFrom {
  // Keywords before this one lie wholly before any later `from` (which only grows): never looked at again.
  let cursor = 0;
  return (from) => {
    while (cursor < starts.length && starts[cursor]! < from) cursor++;
    let at = from;
    for (let i = cursor; i < starts.length; i++) {
      const keyword = starts[i]!;
      let first = Math.max(at, keyword - near);
      if (keywordRun) {
        // A start before the run cannot reach this keyword, nor (the run ends here) any later one.
        let run = keyword;
        while (run > first && keywordRun(text.charCodeAt(run - 1))) run--;
        first = Math.max(first, run - 1);
      }
      for (let position = first; position <= keyword; position++) {
        if (canStartAt && !canStartAt(text, position)) continue;
        sticky.lastIndex = position;
        const match = sticky.exec(text);
        if (match) return match;
      }
      at = keyword + 1;
    }
    return null;
  };
}

/**
 * Where the next keyword of any rule starts in `text` at or after `from` (-1: none). A line (or any part of a
 * text cut at line breaks) without one holds no finding of a text rule: keywords never hold a line break.
 */
export function nextSecretCandidate(text: string, from = 0): number {
  return AUTOMATON.next(text, from);
}

/** True when position `at` of `text` continues a word (so a token cannot start there), a `%XX` escape aside. */
function insideWord(text: string, at: number): boolean {
  if (at === 0) return false;
  const before = text.charCodeAt(at - 1);
  const wordChar =
    (before >= 48 && before <= 57) || // 0-9
    (before >= 65 && before <= 90) || // A-Z
    (before >= 97 && before <= 122) || // a-z
    before === 95 || // _
    before === 45; // -
  return wordChar && !(at >= 3 && text[at - 3] === '%' && /^[0-9A-Fa-f]{2}$/.test(text.slice(at - 2, at)));
}

/** The rules whose keywords occur in `text`, by one `includes` per keyword (the automaton's reference). */
function naiveRulesIn(set: RuleSet, text: string): number[] | undefined {
  const lower = text.toLowerCase();
  const active = set.all.filter((index) => set.rules[index]!.keywords.some((word) => lower.includes(word)));
  return active.length ? active : undefined;
}

/** What continues a token: word characters, an encoded `+` or `/`, a `.` before more of it; `=` padding. */
const TOKEN_TAIL_RE = /(?:[A-Za-z0-9_-]|%2[BbFf]|\.(?=[A-Za-z0-9]))*(?:=|%3[Dd]){0,2}/y;
const TOKEN_CHAR_RE = /[A-Za-z0-9_\-+/=]/;

/** The end of the token a span ending at `end` belongs to (`end` when the span ends at a boundary). */
function wholeTokenEnd(text: string, end: number): number {
  if (end >= text.length || end === 0 || !TOKEN_CHAR_RE.test(text[end - 1]!)) return end;
  TOKEN_TAIL_RE.lastIndex = end;
  const tail = TOKEN_TAIL_RE.exec(text);
  return tail ? end + tail[0].length : end;
}

/** A whole value that is one `{{…}}` / `${…}` reference: every finding inside it would be dropped. */
const WHOLE_TEMPLATE_RE = /^(?:\{\{[^{}]{0,512}\}\}|\$\{[^{}]{0,256}\})$/;

/**
 * Finds the secrets in `text`. Spans never overlap and come sorted by position.
 */
export function findSecrets(text: string, hint?: SecretHint): SecretFinding[] {
  return scan(DEFAULT, text, hint, true);
}

/**
 * `findSecrets` without any of its shortcuts (the whole-reference test, the keyword automaton, the
 * prechecks): each rule whose keywords occur, found by a plain `includes` per keyword, runs on the whole
 * text. The reference the shortcuts are tested against.
 */
export function findSecretsExhaustive(text: string, hint?: SecretHint): SecretFinding[] {
  return scan(DEFAULT, text, hint, false);
}

function scan(set: RuleSet, text: string, hint: SecretHint | undefined, fast: boolean): SecretFinding[] {
  if (typeof text !== 'string' || text.length < 4) return [];
  const first = text.charCodeAt(0);
  if (fast && (first === 123 || first === 36) && WHOLE_TEMPLATE_RE.test(text)) return [];
  const found: Array<SecretFinding & { priority: number; from?: number }> = [];
  const hintKey = hint?.key;

  if (hintKey) {
    const keyed = judgeKeyedSpans(hintKey, text);
    if (keyed) {
      const priority = set.priority.get(keyed.rule) ?? 7;
      for (const span of keyed.spans)
        found.push({
          rule: keyed.rule,
          start: span.start,
          end: span.end,
          label: span.label ?? hintKey,
          priority,
        });
    }
  }

  const hits = text.length >= 8 && fast ? set.automaton.hits(text) : undefined;
  const active = text.length >= 8 ? (fast ? hits?.rules : naiveRulesIn(set, text)) : undefined;
  if (active) {
    // Lower-cased only for a rule that asks: most conditions read the text as it is.
    let lower: string | undefined;
    const lowerCased = () => (lower ??= text.toLowerCase());
    for (const index of active) {
      const rule = set.rules[index]!;
      if (rule.when && !rule.when(text, lowerCased)) continue;
      if (fast && rule.precheck && !rule.precheck.test(text)) continue;
      const starts = rule.startsNear !== undefined ? hits?.starts.get(index) : undefined;
      const regex = withIndices(rule.regex, starts !== undefined);
      const matchFrom = starts
        ? matchNear(regex, text, starts, rule.startsNear!, rule.canStartAt, rule.keywordRun)
        : matchAnywhere(regex, text);
      // No cap on the number of matches: this is also the fail-closed final check, so it never stops early.
      // Every regex is global and linear; each turn starts past the previous match (an empty match moves one
      // character on), so the loop ends after at most text.length + 1 turns.
      let resume: number;
      for (let match = matchFrom(0); match; match = matchFrom(resume)) {
        resume = regex.lastIndex > match.index ? regex.lastIndex : match.index + 1;
        const span = groupSpan(match, rule.group ?? 0);
        if (!span || span.end <= span.start) continue;
        if (rule.bounded && insideWord(text, match.index)) continue;
        const secret = text.slice(span.start, span.end);
        if (rule.validateFirst && rule.validate && !rule.validate(secret, match, text)) {
          // What was taken for a value may be the next name (`var clientSecret = …`): look again from there.
          if (rule.resumeAtSecret) resume = Math.max(match.index + 1, span.start);
          continue;
        }
        if (!rule.notPlaceholder && !rule.spans && isPlaceholder(secret)) continue;
        if (rule.allow?.test(secret)) continue;
        if (rule.entropy !== undefined && shannonEntropy(secret) < rule.entropy) continue;
        if (!rule.validateFirst && rule.validate && !rule.validate(secret, match, text)) continue;
        let label: string | undefined;
        if (rule.labelGroup === -1) label = match[1] ?? match[3] ?? match[4];
        else if (rule.labelGroup !== undefined) label = match[rule.labelGroup];
        const id = rule.ruleFor ? rule.ruleFor(match, text) : rule.id;
        const priority = set.priority.get(id) ?? rule.priority;
        const from = match.index;
        if (rule.spans) {
          for (const part of rule.spans(secret, match, text)) {
            const start = span.start + part.start;
            const end = span.start + part.end;
            if (isPlaceholder(text.slice(start, end))) continue;
            found.push({ rule: id, start, end, label: part.label ?? label, priority, from });
          }
          continue;
        }
        if (id === 'secret-assignment' || id === 'url-secret-param') {
          // Keep a scheme word ("Bearer ") and surrounding spaces, replace only the credential (each secret
          // value of a Cookie on its own).
          const keyed = judgeKeyedSpans(label ?? '', secret);
          if (keyed) {
            for (const part of keyed.spans)
              found.push({
                rule: id,
                start: span.start + part.start,
                end: span.start + part.end,
                label: part.label ?? label,
                priority,
                from,
              });
            continue;
          }
        }
        found.push({ rule: id, start: span.start, end: span.end, label, priority, from });
      }
    }
  }
  if (found.length === 0 && hintKey) {
    const header = neutralHeaderSpans(hintKey, text);
    if (header)
      for (const span of header.spans)
        found.push({ rule: header.rule, start: span.start, end: span.end, label: hintKey, priority: 5 });
  }
  if (found.length === 0) return [];

  // Drop findings inside {{…}} / ${…} references.
  const templates = templateRanges(text);
  const kept = templates.length
    ? found.filter((f) => {
        const overlap = templates[firstEndingAfter(templates, f.start)];
        if (overlap && overlap[0] < f.end) return false;
        if (f.from === undefined) return true;
        const around = templates[firstEndingAfter(templates, f.from)];
        return !(around && around[0] <= f.from);
      })
    : found;

  // A token is replaced whole: a span that stops where the token goes on (`.xxx`, `%2B…`) grows to its end.
  for (const finding of kept)
    if (finding.rule !== 'private-key-pem') finding.end = wholeTokenEnd(text, finding.end);

  // Merge overlapping findings: union of spans, the most specific rule, a contextual label.
  kept.sort((a, b) => a.start - b.start || a.priority - b.priority);
  const merged: Array<SecretFinding & { priority: number }> = [];
  for (const finding of kept) {
    const last = merged[merged.length - 1];
    if (last && finding.start < last.end) {
      if (finding.priority < last.priority) {
        last.rule = finding.rule;
        last.priority = finding.priority;
      }
      last.end = Math.max(last.end, finding.end);
      if (!last.label && finding.label) last.label = finding.label;
      continue;
    }
    merged.push({ ...finding });
  }
  // A union may have grown into a template; clip it back rather than swallow the reference.
  return merged
    .map(({ rule, start, end, label }) => {
      // Templates ending at or before `start` cannot overlap (`start` only grows).
      for (let i = firstEndingAfter(templates, start); i < templates.length; i++) {
        const [s, e] = templates[i]!;
        if (s >= end) break;
        if (start < e) {
          if (s > start) end = Math.min(end, s);
          else start = Math.max(start, e);
        }
      }
      return label ? { rule, start, end, label } : { rule, start, end };
    })
    .filter((f) => f.end > f.start);
}

/**
 * Longer strings are scanned, not remembered: hashing a string for the set costs about as much as the keyword
 * pass over it, and long texts (prompts, code) rarely repeat exactly; keys and enum-like values do.
 * Claims Flow 2000: 3.0 MB of strings, 2.6 MB of them unique; the memo cost more than it saved above ~64.
 */
const MEMO_MAX_LENGTH = 64;

/** The hint of a key, made only for a string that is scanned (most strings a walk meets are answered from memory). */
export const hintFor = (key: string | undefined): SecretHint | undefined =>
  key === undefined ? undefined : { key };

/**
 * Remembers the strings in which `findSecrets` found nothing, per kind of hint key: `findSecrets(text, {key})`
 * depends on the key only through `classifyKey(key)` and whether it is a neutral header name (a finding's label
 * aside, and a clean result has none),
 * and it is a pure function, so an exactly-equal string under a key of the same kind needs no second scan.
 * Fed only by `findSecrets` itself (never by another detector), so a memoised answer is the real answer.
 */

export class SecretScanMemo {
  /**
   * By kind of key; a neutral `X-…` header name (kind null, yet `findSecrets` judges a token-shaped value under
   * it, `neutralHeaderSpans`) is a kind of its own, so that a value clean under `description` is not taken
   * for clean under `X-Partner`.
   */
  private readonly clean = new Map<KeyKind | 'neutral-header' | null, Set<string>>();
  /** The set of each hint key asked about (so a key is classified once, not once per string under it). */
  private readonly byHint = new Map<string | undefined, Set<string>>();

  private setFor(hintKey: string | undefined): Set<string> {
    let set = this.byHint.get(hintKey);
    if (set) return set;
    const kind =
      classifyKey(hintKey) ??
      (hintKey !== undefined && isNeutralHeaderName(hintKey) ? 'neutral-header' : null);
    set = this.clean.get(kind);
    if (!set) {
      set = new Set();
      this.clean.set(kind, set);
    }
    // Bounded like classifyKey's cache: hint keys can be anything (pair names are values).
    if (this.byHint.size >= 5000) this.byHint.clear();
    this.byHint.set(hintKey, set);
    return set;
  }

  /**
   * `findSecrets`, answered from memory for strings already found clean: short ones too (an object's keys,
   * enum-like values), which a walk meets over and over.
   */
  findSecrets(text: string, hintKey: string | undefined): SecretFinding[] {
    if (text.length > MEMO_MAX_LENGTH) return findSecrets(text, hintFor(hintKey));
    if (text.length < 4) return NO_FINDINGS;
    const set = this.setFor(hintKey);
    // One shared empty answer, not a new array for every string the walks meet again.
    if (set.has(text)) return NO_FINDINGS;
    const findings = findSecrets(text, hintFor(hintKey));
    if (findings.length === 0) set.add(text);
    return findings;
  }
}
