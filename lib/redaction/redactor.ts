/**
 * Redaction: turns a raw version record (platform-contract.md §6, secrets included) into the three package
 * files (§7) with nothing secret left, and reports what it did without ever repeating a secret.
 *
 * 1. Structure: only `app`, `flow` and `env` travel; the workflow endpoint, API keys, sharing and audit logs
 *    are left out; secure env values are blanked; the async push access token is removed.
 * 2. Content: every string of app and flow (keys and values, known or unknown fields) and the non-secure env
 *    values are scanned (`findSecrets`). An inline secret span is replaced by `{{context.env.NAME}}`, NAME a new
 *    secure env variable with an empty value and notes that say where it was found. A secret typed into a
 *    non-secure env variable makes that variable secure and blank. Values known to be secret (secure env
 *    values, the push token, API keys) are replaced wherever they appear, secure env values by a reference
 *    to their own variable. Then, when something was detected, one more walk (the sweep) replaces every
 *    other copy of each distinctive detected secret by the reference to its variable (one secret, one
 *    variable), wherever the context did not give the copy away. Variable names never take a label (or
 *    node name) with anything secret or random-looking in it.
 * 3. Fail closed: the finished package is scanned again (as JSON and as serialized text, plus one search for
 *    every known secret value and every distinctive detected one); anything found throws
 *    `PackageError('LEAK_DETECTED')`. What the walk proved clean with `findSecrets` is not scanned twice
 *    (proven.ts); everything it changed is.
 */
import { PackageError, type PackageProblem } from '../package/errors';
import {
  PACKAGE_FILES,
  appDefinitionSchema,
  envVariablesSchema,
  flowDefinitionSchema,
  formatIssuePath,
  rawVersionRecordSchema,
  type AppDefinition,
  type EnvVariable,
  type EnvVariables,
  type FlowDefinition,
  type PackageContent,
  type RawVersionRecord,
} from '../package/schemas';
import type { PackageFile } from '../package/zip-write';
import { fingerprintSecret } from './fingerprint';
import { classifyKey, itemHint, memberHint, normalizeKey, numberAsSecretText, pairName } from './keys';
import { checkNoLeaks } from './leak-check';
import { KNOWN_SECRET_MIN_LENGTH, NeedleSet } from './needles';
import { ProvenClean } from './proven';
import { child, isPlainObject, NO_FINDINGS, pathOf, pathText, type PathNode, type Segment } from './paths';
import { defaultLabelForRule, findSecrets, hintFor, SecretScanMemo } from './scanner';
import type { SecretFinding, SecretHint } from './types';
import { isWordish, looksRandom } from './values';

export { KNOWN_SECRET_MIN_LENGTH } from './needles';
export type { ScanFinding, TextScanFinding } from './scan';
export type PackageFileName = (typeof PACKAGE_FILES)[keyof typeof PACKAGE_FILES];

/** `'(not exported)'` marks parts of the raw record that never reach the package (endpoint, API keys, …). */
export type ReportFile = PackageFileName | '(not exported)';

export interface RedactionItem {
  file: ReportFile;
  /** JSON path inside the file, e.g. `nodes[3].config.headers[0].value`; a key is marked `… (key)`. */
  path: string;
  /** Rule id (`auth-header`, `secure-env`, `workflow-api-keys`, `secret-copy` for a copy of a secret found elsewhere, …). */
  rule: string;
  action: 'removed' | 'blanked' | 'replaced';
  /**
   * What now stands where the secret was: for `replaced`, the reference
   * (`{{context.env.PORTER_API0001_AUTHORIZATION}}`); for `blanked`, BLANKED_KEPT_SECURE (`"" (kept secure)`)
   * or BLANKED_MADE_SECURE (`"" (made secure)`): the value is empty, the variable secure. Never a reference
   * for a blanked value.
   */
  replacement?: string;
  /** The env variable that must receive the value after import. */
  variable?: string;
  /**
   * 16 hex characters of HMAC-SHA-256 of the secret under the installation's key: same secret, same
   * fingerprint; or `low-entropy, not fingerprinted` for a guessable value (see fingerprint.ts).
   */
  fingerprint?: string;
  /** Name of the flow node the item is in. */
  nodeName?: string;
  /** For structural removals: how many entries were left out. */
  count?: number;
}

/** An env variable whose value the user must supply after import. */
export interface VariableToSupply {
  name: string;
  /** true: created by the redaction; false: an existing variable that is (now) secure and blank. */
  created: boolean;
  rule: string;
  fingerprint?: string;
  /** How many places in the package refer to it because of the redaction. */
  occurrences: number;
}

export interface RedactionReport {
  items: RedactionItem[];
  variables: VariableToSupply[];
}

export interface RedactionResult {
  content: PackageContent;
  report: RedactionReport;
  /**
   * Only with `{ files: true }`: the package's three files (app, flow, env) exactly as the final leak check
   * scanned them, laid out for `zipFiles` (which then writes the zip around them without copying them).
   */
  files?: PackageFile[];
}

/** A result with the files (`{ files: true }`). */
export type RedactionResultWithFiles = RedactionResult & { files: PackageFile[] };

export type SecretDetector = (text: string, hint?: SecretHint) => SecretFinding[];

export interface RedactOptions {
  /**
   * The detector used while redacting (default `findSecrets`). The final leak check always uses
   * `findSecrets`, whatever is passed here; tests use this to prove that the check fails closed.
   */
  detector?: SecretDetector;
  /** Key for fingerprints (default: a fixed string, so fingerprints are stable everywhere). */
  fingerprintKey?: string;
  /**
   * Also return the package's files (`result.files`), serialized once, by the final leak check: what it
   * scanned is what goes into the zip (`zipFiles(result.files)`). Without it, the check only scans.
   */
  files?: boolean;
}

/** Options that ask for the files. */
export type RedactOptionsWithFiles = RedactOptions & { files: true };

/** Rule of a report item for a copy of a secret that was detected somewhere else in the record. */
export const SECRET_COPY_RULE = 'secret-copy';

/** What a blanked value became, as the report shows it: `""`, and the variable is (still or now) secure. */
export const BLANKED_KEPT_SECURE = '"" (kept secure)';
export const BLANKED_MADE_SECURE = '"" (made secure)';

/**
 * A run of letters and digits that looks machine-made: letters and digits alternate (`AKIA6FTV4HNLNH3QXM2U`,
 * `9f8e7d6c5b4a`), `looksRandom` says so, or it is long and no word or identifier.
 */
function isRandomRun(token: string): boolean {
  if (token.length < 6) return false;
  if (token.length >= 8 && (token.match(/\d+/g)?.length ?? 0) >= 3) return true;
  // For a word or identifier that is not hex, `looksRandom` is false: spare it its entropy.
  if (!/^[0-9a-f]+$/i.test(token) && isWordish(token)) return false;
  return token.length >= 12 || looksRandom(token, { minLength: 8 });
}

/**
 * A label from the context (variable, key, parameter or header name; node name; URL scheme) that may become
 * part of a variable name, which travels in clear in env_variables.json, in every reference and in the report:
 * nothing in it the scanner flags, and no random-looking run (`secret_AKIA6FTV4HNLNH3QXM2U`).
 */
function isSafeLabel(label: string): boolean {
  if (findSecrets(label).length > 0) return false;
  return !label.split(/[^A-Za-z0-9]+/).some(isRandomRun);
}

/**
 * A detected secret distinctive enough to be looked for everywhere (every copy replaced, any copy left in the
 * finished package a leak): at least KNOWN_SECRET_MIN_LENGTH long, and not shaped like a word or identifier
 * that ordinary text, keys, URLs and references hold too (`postgres`, `changeme123`, or a variable's name
 * under a password field: `POSTGRES_PASSWORD_PROD`), unless it has a random-looking run all the same.
 */
function isDistinctiveSecret(value: string): boolean {
  if (value.length < KNOWN_SECRET_MIN_LENGTH) return false;
  return !isWordish(value) || value.split(/[^A-Za-z0-9]+/).some(isRandomRun);
}

const REPORT_FILE_ORDER: readonly ReportFile[] = [
  '(not exported)',
  PACKAGE_FILES.app,
  PACKAGE_FILES.flow,
  PACKAGE_FILES.env,
];

interface Scope {
  readonly file: PackageFileName;
  /** Middle part of generated variable names: node name, `APP`, `FLOW`, `ENV`. */
  readonly naming: string;
  readonly nodeName?: string;
}

/**
 * The scope of a flow node: its name names the variables made for it and is reported, unless it is not a safe
 * label (something the scanner flags, a random-looking run): then `NODE0003` names them and no name is
 * reported. Worked out on first use: most nodes never need it.
 */
class NodeScope implements Scope {
  readonly file = PACKAGE_FILES.flow;
  private resolved: { naming: string; nodeName?: string } | undefined;

  constructor(
    private readonly rawName: string,
    private readonly index: number,
  ) {}

  private resolve(): { naming: string; nodeName?: string } {
    if (!this.resolved) {
      const safeName = this.rawName && isSafeLabel(this.rawName) ? this.rawName : '';
      this.resolved = {
        naming: toName(safeName, 24) || `NODE${String(this.index + 1).padStart(4, '0')}`,
        ...(safeName ? { nodeName: safeName } : {}),
      };
    }
    return this.resolved;
  }

  get naming(): string {
    return this.resolve().naming;
  }

  get nodeName(): string | undefined {
    return this.resolve().nodeName;
  }
}

interface KnownSecret {
  value: string;
  rule: string;
  /** Existing variable the value belongs to; references point there instead of a new variable. */
  variable?: string;
  label: string;
}

interface VariableRecord {
  name: string;
  rule: string;
  fingerprint: string;
  created: boolean;
  occurrences: number;
  first: { file: PackageFileName; path: string; nodeName?: string };
}

/** A span to replace: a detector finding, a known value, or a copy of a secret detected elsewhere. */
type Found = SecretFinding & {
  /** Existing variable the value belongs to (a known value). */
  variable?: string;
  /** The new variable of a secret detected elsewhere (a copy, in the sweep). */
  record?: VariableRecord;
};

/** `Claims: "Tier-1" ✓` → `CLAIMS_TIER_1`. */
function toName(text: string, max: number): string {
  const ascii = text.normalize('NFKD').replace(/[\u0300-\u036f]/g, '');
  const name = normalizeKey(ascii).toUpperCase().slice(0, max).replace(/_+$/, '');
  return name;
}

class Redactor {
  readonly items: RedactionItem[] = [];
  private readonly bySecret = new Map<string, VariableRecord>();
  private readonly records: VariableRecord[] = [];
  private readonly names: Set<string>;
  private readonly known: KnownSecret[];
  /** The known values, searched for at once (undefined: none long enough). */
  private readonly knownSet: NeedleSet | undefined;
  /** During the sweep: the detected secrets whose copies are replaced, and their variables. */
  private copies: { set: NeedleSet; records: VariableRecord[] } | undefined;
  private readonly detector: SecretDetector;
  private readonly fingerprintKey: string | undefined;
  /**
   * Strings `findSecrets` found clean, shared with the final check; only when `findSecrets` is the detector
   * (a custom detector's answers are never remembered, so the final check stays independent of it).
   */
  readonly memo: SecretScanMemo | undefined;
  /**
   * The arrays and objects the first walk returned unchanged with nothing found in them; only when
   * `findSecrets` is the detector (then the final check trusts them, see proven.ts).
   */
  readonly proven: ProvenClean | undefined;

  constructor(existingNames: Iterable<string>, known: KnownSecret[], options: RedactOptions) {
    this.names = new Set(existingNames);
    this.known = known
      .filter((entry) => entry.value.length >= KNOWN_SECRET_MIN_LENGTH)
      .sort((a, b) => b.value.length - a.value.length || (a.value < b.value ? -1 : 1));
    this.knownSet = this.known.length ? new NeedleSet(this.known.map((entry) => entry.value)) : undefined;
    this.detector = options.detector ?? findSecrets;
    this.memo = this.detector === findSecrets ? new SecretScanMemo() : undefined;
    this.proven = this.memo ? new ProvenClean() : undefined;
    this.fingerprintKey = options.fingerprintKey;
  }

  fingerprint(secret: string): string {
    return fingerprintSecret(secret, this.fingerprintKey);
  }

  /**
   * Findings of the detector and of the known secrets, merged, sorted, non-overlapping; during the sweep, the
   * copies of detected secrets instead.
   */
  private findings(text: string, hintKey: string | undefined): Found[] {
    if (this.copies) return this.copyFindings(text, this.copies);
    // Allocated only when something is found (the walk asks about every string of the package).
    let all: Array<Found & { knownLength?: number }> | undefined;
    const known = this.knownSet?.matches(text);
    if (known) {
      all = known.map(({ index, start, end }) => {
        const entry = this.known[index]!;
        return {
          rule: entry.rule,
          start,
          end,
          variable: entry.variable,
          label: entry.label,
          knownLength: entry.value.length,
        };
      });
    }
    const detected = this.memo ? this.memo.findSecrets(text, hintKey) : this.detector(text, hintFor(hintKey));
    if (!all && detected.length === 0) return NO_FINDINGS;
    all ??= [];
    for (const finding of detected) {
      if (finding.end > finding.start && finding.start >= 0 && finding.end <= text.length)
        all.push({ ...finding });
    }
    if (all.length <= 1) return all;
    all.sort((a, b) => a.start - b.start || (b.knownLength ?? 0) - (a.knownLength ?? 0));
    const merged: Found[] = [];
    for (const finding of all) {
      const last = merged[merged.length - 1];
      if (last && finding.start < last.end) {
        if (finding.end > last.end) {
          // The span grew beyond a known value: it is a different secret now, so a new variable.
          last.end = finding.end;
          delete last.variable;
          if (
            last.rule === 'secure-env-value' ||
            last.rule === 'push-access-token' ||
            last.rule === 'workflow-api-key'
          )
            last.rule = finding.rule;
        }
        if (!last.label && finding.label) last.label = finding.label;
        continue;
      }
      merged.push({ ...finding });
    }
    return merged;
  }

  private variableFor(
    secret: string,
    finding: SecretFinding,
    hintKey: string | undefined,
    scope: Scope,
    path: string,
  ): VariableRecord {
    const existing = this.bySecret.get(secret);
    if (existing) {
      existing.occurrences++;
      return existing;
    }
    // Labels from the context go into the variable's name, which travels in clear: only safe ones.
    const fromContext = finding.label !== undefined && isSafeLabel(finding.label) ? finding.label : undefined;
    let label: string | undefined;
    if (finding.rule === 'url-credentials') {
      const scheme = fromContext ? toName(fromContext, 20) : '';
      label = !scheme || /^(?:HTTPS?|FTPS?|WSS?)$/.test(scheme) ? 'URL_PASSWORD' : `${scheme}_PASSWORD`;
    } else {
      label =
        fromContext ??
        (hintKey !== undefined && classifyKey(hintKey) && isSafeLabel(hintKey) ? hintKey : undefined) ??
        defaultLabelForRule(finding.rule);
    }
    const labelName = toName(label, 40) || 'SECRET';
    const base = `PORTER_${scope.naming}_${labelName}`;
    let name = base;
    for (let n = 2; this.names.has(name); n++) name = `${base}_${n}`;
    this.names.add(name);
    const record: VariableRecord = {
      name,
      rule: finding.rule,
      fingerprint: this.fingerprint(secret),
      created: true,
      occurrences: 1,
      first: { file: scope.file, path, nodeName: scope.nodeName },
    };
    this.bySecret.set(secret, record);
    this.records.push(record);
    return record;
  }

  /**
   * Replaces every secret span of `text` by a reference; records one report item per span. The item path is
   * `parent` + `last` (put into words only when there is something to report). A key (`key`) is reported at
   * its object's path (`parent`) plus the redacted key (`'tree'`), or as the redacted key alone (`'top'`):
   * that depends on the redacted key, so it is filled in at the end.
   */
  redactString(
    text: string,
    hintKey: string | undefined,
    parent: PathNode | null,
    last: Segment | undefined,
    scope: Scope,
    key?: 'tree' | 'top',
  ): string {
    let current = text;
    const firstItem = this.items.length;
    const firstRecord = this.records.length;
    let itemPath = '';
    for (let pass = 0; pass < 3; pass++) {
      const findings = this.findings(current, hintKey);
      if (findings.length === 0) break;
      if (pass === 0 && !key) itemPath = pathText(parent, last);
      const items: RedactionItem[] = [];
      let out = '';
      let cursor = 0;
      for (const finding of findings) {
        const secret = current.slice(finding.start, finding.end);
        let variable: string;
        let fingerprint: string;
        if (finding.record) {
          finding.record.occurrences++;
          variable = finding.record.name;
          fingerprint = finding.record.fingerprint;
        } else if (finding.variable) {
          variable = finding.variable;
          fingerprint = this.fingerprint(secret);
          this.countExisting(variable, finding.rule, fingerprint);
        } else {
          const record = this.variableFor(secret, finding, hintKey, scope, itemPath);
          variable = record.name;
          fingerprint = record.fingerprint;
        }
        const replacement = `{{context.env.${variable}}}`;
        out += current.slice(cursor, finding.start) + replacement;
        cursor = finding.end;
        items.push({
          file: scope.file,
          path: itemPath,
          rule: finding.rule,
          action: 'replaced',
          replacement,
          variable,
          fingerprint,
          ...(scope.nodeName !== undefined ? { nodeName: scope.nodeName } : {}),
        });
      }
      out += current.slice(cursor);
      this.items.push(...items);
      current = out;
    }
    if (key && this.items.length > firstItem) {
      // A key: its path is only known once the key itself is redacted (the original may be the secret).
      const finalPath = key === 'top' ? `${current} (key)` : `${pathText(parent, current)} (key)`;
      for (let i = firstItem; i < this.items.length; i++) this.items[i]!.path = finalPath;
      for (let i = firstRecord; i < this.records.length; i++) this.records[i]!.first.path = finalPath;
    }
    return current;
  }

  /** The copies of detected secrets in `text`, leftmost and longest first, non-overlapping. */
  private copyFindings(text: string, copies: { set: NeedleSet; records: VariableRecord[] }): Found[] {
    const matches = copies.set.matches(text);
    if (!matches) return NO_FINDINGS;
    matches.sort((a, b) => a.start - b.start || b.end - a.end);
    const out: Found[] = [];
    let end = 0;
    for (const match of matches) {
      if (match.start < end) continue;
      const record = copies.records[match.index]!;
      out.push({ rule: SECRET_COPY_RULE, start: match.start, end: match.end, record });
      end = match.end;
    }
    return out;
  }

  /**
   * Starts the sweep: from now on the walk (`redactTree`, `redactString`) replaces only the copies of the
   * secrets detected so far, each by the reference to its own variable (one secret, one variable), wherever
   * the context did not give them away. Only distinctive secrets (`isDistinctiveSecret`) are swept for.
   * Returns them (none: no sweep needed; the walk stays as it was).
   */
  startSweep(): string[] {
    const swept = [...this.bySecret].filter(([secret]) => isDistinctiveSecret(secret));
    if (swept.length === 0) return [];
    this.copies = {
      set: new NeedleSet(swept.map(([secret]) => secret)),
      records: swept.map(([, record]) => record),
    };
    return swept.map(([secret]) => secret);
  }

  /**
   * Ends the sweep. Paths and node names in the report and in the new variables' notes were put into words
   * before the sweep: a copy in a key or node name there is replaced by its reference, as in the package.
   */
  endSweep(): void {
    const copies = this.copies;
    if (!copies) return;
    const scrub = (text: string): string => {
      const findings = this.copyFindings(text, copies);
      if (findings.length === 0) return text;
      let out = '';
      let cursor = 0;
      for (const finding of findings) {
        out += `${text.slice(cursor, finding.start)}{{context.env.${finding.record!.name}}}`;
        cursor = finding.end;
      }
      return out + text.slice(cursor);
    };
    for (const item of this.items) {
      item.path = scrub(item.path);
      if (item.nodeName !== undefined) item.nodeName = scrub(item.nodeName);
    }
    for (const record of this.records) {
      record.first.path = scrub(record.first.path);
      if (record.first.nodeName !== undefined) record.first.nodeName = scrub(record.first.nodeName);
    }
    this.copies = undefined;
  }

  /** The report items, by file (what is not exported, then app, flow, env), each file's in order of finding. */
  reportItems(): RedactionItem[] {
    const rank = (file: ReportFile) => REPORT_FILE_ORDER.indexOf(file);
    return [...this.items].sort((a, b) => rank(a.file) - rank(b.file));
  }

  private readonly existingUse = new Map<string, VariableToSupply>();
  private countExisting(name: string, rule: string, fingerprint: string): void {
    const entry = this.existingUse.get(name);
    if (entry) entry.occurrences++;
    else this.existingUse.set(name, { name, created: false, rule, fingerprint, occurrences: 1 });
  }

  /** Registers an existing variable that is blank after redaction (secure values, secrets made secure). */
  noteBlankVariable(name: string, rule: string, fingerprint: string | undefined): void {
    if (!this.existingUse.has(name))
      this.existingUse.set(name, { name, created: false, rule, fingerprint, occurrences: 0 });
  }

  /**
   * `value` with every string (keys too) redacted. Copy on write: an array or object in which nothing changed
   * is returned as is (never modified), so only the branches that lead to a redaction are new.
   */
  redactTree(
    value: unknown,
    parent: PathNode | null,
    segment: Segment | undefined,
    hintKey: string | undefined,
    scope: Scope,
  ): unknown {
    // A path node is made only for arrays and objects (the parent of their members), not for every string.
    if (typeof value === 'string') return this.redactString(value, hintKey, parent, segment, scope);
    if (typeof value === 'number') {
      // A secret written as a number becomes the reference to its variable (a string).
      const text = numberAsSecretText(value, hintKey);
      if (text === undefined) return value;
      const redacted = this.redactString(text, hintKey, parent, segment, scope);
      return redacted === text ? value : redacted;
    }
    // Proven: nothing found (no report item) while walking it, in the first walk (the sweep only looks for
    // copies, so it proves nothing).
    const proving = this.proven !== undefined && this.copies === undefined;
    const items = this.items.length;
    const entered = proving ? this.proven!.enter() : 0;
    if (Array.isArray(value)) {
      const path = segment === undefined ? parent : child(parent, segment);
      let out: unknown[] | undefined;
      for (let index = 0; index < value.length; index++) {
        const item: unknown = value[index];
        const next = this.redactTree(item, path, index, itemHint(value, index, hintKey), scope);
        if (out) out.push(next);
        else if (next !== item) {
          out = value.slice(0, index);
          out.push(next);
        }
      }
      if (out) return out;
      if (proving && this.items.length === items) this.proven!.prove(value, hintKey, entered);
      return value;
    }
    if (isPlainObject(value)) {
      const path = segment === undefined ? parent : child(parent, segment);
      const pair = pairName(value);
      const keys = Object.keys(value);
      let entries: Array<[string, unknown]> | undefined;
      for (let k = 0; k < keys.length; k++) {
        const key = keys[k]!;
        const original = value[key];
        const newKey = this.redactString(key, undefined, path, undefined, scope, 'tree');
        const hint = memberHint(key, pair);
        const next = this.redactTree(original, path, newKey, hint, scope);
        if (entries) entries.push([newKey, next]);
        else if (newKey !== key || next !== original) {
          entries = keys.slice(0, k).map((before): [string, unknown] => [before, value[before]]);
          entries.push([newKey, next]);
        }
      }
      if (entries) return Object.fromEntries(entries);
      if (proving && this.items.length === items) this.proven!.prove(value, hintKey, entered);
      return value;
    }
    return value;
  }

  /** Variables to declare in env_variables.json, in order of first use. */
  newVariables(): EnvVariable[] {
    return this.records.map((record) => ({
      name: record.name,
      value: '',
      secure: true,
      notes:
        `Added by AFP Porter: a secret (rule ${record.rule}, fingerprint ${record.fingerprint}) was found in ` +
        `${record.first.file} at ${record.first.path}` +
        (record.first.nodeName ? ` (node ${record.first.nodeName})` : '') +
        (record.occurrences > 1 ? ` and in ${record.occurrences - 1} more place(s)` : '') +
        ` and replaced by {{context.env.${record.name}}}. Supply its value after import.`,
    }));
  }

  variablesToSupply(): VariableToSupply[] {
    const created = this.records.map((record) => ({
      name: record.name,
      created: true,
      rule: record.rule,
      fingerprint: record.fingerprint,
      occurrences: record.occurrences,
    }));
    return [...this.existingUse.values(), ...created];
  }
}

// ---------------------------------------------------------------------------------------------------------
// Pieces shared by redactVersion and redactPackage
// ---------------------------------------------------------------------------------------------------------

const FILE = PACKAGE_FILES;

/** A non-empty string, or undefined (missing, null — some records have null descriptions —, ""). */
const filled = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value : undefined;

/**
 * `app.workflow` and `app.version` as app_definition.json holds them (platform-contract.md §7:
 * `workflow: {name, description}`, `version: {id, name, description, createdAt}`).
 *
 * The record's `app` is the content of app_definition.json (§6; the platform lays the workflow's and
 * version's details over it): its values are kept as they are, extra keys included. Only a field it leaves
 * empty (missing, null or "") is taken from the record's own `workflow` / `version`, which describe the same
 * workflow and version. A field empty in both: the workflow's description is `""`, a version field is as the
 * app had it, a null one left out. `record` is absent for a package (`redactPackage`): then only nulls go.
 */
function withWorkflowAndVersion(app: AppDefinition, record?: RawVersionRecord): AppDefinition {
  const workflow: Record<string, unknown> = { ...app.workflow };
  const fromWorkflow = record?.workflow as Record<string, unknown> | undefined;
  for (const field of ['name', 'description']) {
    const value = filled(workflow[field]) ?? filled(fromWorkflow?.[field]);
    if (value !== undefined) workflow[field] = value;
  }
  if (typeof workflow.description !== 'string') workflow.description = '';
  const version: Record<string, unknown> = { ...app.version };
  const fromVersion = record?.version as Record<string, unknown> | undefined;
  for (const field of ['id', 'name', 'description', 'createdAt']) {
    const value = filled(version[field]) ?? filled(fromVersion?.[field]);
    if (value !== undefined) version[field] = value;
    else if (version[field] === null) delete version[field];
  }
  return {
    ...app,
    workflow: workflow as AppDefinition['workflow'],
    version: version as AppDefinition['version'],
  };
}

function removePushToken(app: AppDefinition, redactor: Redactor): { app: AppDefinition; token?: string } {
  const push = app.execution?.async?.push;
  if (!push || !('accessToken' in push)) return { app };
  const token = push.accessToken;
  const { accessToken: _removed, ...rest } = push;
  const copy: AppDefinition = {
    ...app,
    execution: { ...app.execution, async: { ...app.execution!.async!, push: rest } },
  };
  // A token read as none (null in the record) leaves nothing to report.
  if (typeof token === 'string')
    redactor.items.push({
      file: FILE.app,
      path: 'execution.async.push.accessToken',
      rule: 'push-access-token',
      action: 'removed',
      ...(token ? { fingerprint: redactor.fingerprint(token) } : {}),
    });
  return { app: copy, token };
}

/** The scope of each node of `flow` (see `NodeScope`). */
function nodeScopes(flow: FlowDefinition): Scope[] {
  return flow.nodes.map((node: unknown, index) => {
    const rawName = isPlainObject(node) && typeof node.name === 'string' ? node.name : '';
    return new NodeScope(rawName, index);
  });
}

/** `scopes`: `nodeScopes` of the flow as it was before any redaction (the sweep walks a redacted flow). */
function redactFlow(flow: FlowDefinition, redactor: Redactor, scopes: readonly Scope[]): FlowDefinition {
  const entries: Array<[string, unknown]> = [];
  for (const [key, value] of Object.entries(flow)) {
    if (key === 'nodes' && Array.isArray(value)) {
      const nodesPath = child(null, 'nodes');
      const nodes = value.map((node: unknown, index) =>
        redactor.redactTree(node, nodesPath, index, undefined, scopes[index]!),
      );
      entries.push(['nodes', nodes]);
    } else {
      const scope: Scope = { file: FILE.flow, naming: 'FLOW' };
      const newKey = redactor.redactString(key, undefined, null, undefined, scope, 'top');
      entries.push([newKey, redactor.redactTree(value, null, newKey, key, scope)]);
    }
  }
  return Object.fromEntries(entries) as FlowDefinition;
}

interface EnvDecision {
  variable: EnvVariable;
  /** A non-secure variable whose value is a secret: made secure and blank. */
  makeSecure?: { rule: string; fingerprint: string };
}

function decideEnv(
  env: EnvVariables,
  detector: SecretDetector,
  fingerprintKey: string | undefined,
): EnvDecision[] {
  return env.variables.map((variable) => {
    if (variable.secure || !variable.value) return { variable };
    const findings = detector(variable.value, { key: variable.name });
    if (findings.length === 0) return { variable };
    return {
      variable,
      makeSecure: { rule: findings[0]!.rule, fingerprint: fingerprintSecret(variable.value, fingerprintKey) },
    };
  });
}

function knownFromEnv(decisions: EnvDecision[]): KnownSecret[] {
  const known: KnownSecret[] = [];
  for (const { variable, makeSecure } of decisions) {
    if (variable.secure && variable.value) {
      known.push({
        value: variable.value,
        rule: 'secure-env-value',
        variable: variable.name,
        label: variable.name,
      });
    } else if (makeSecure) {
      known.push({
        value: variable.value,
        rule: makeSecure.rule,
        variable: variable.name,
        label: variable.name,
      });
    }
  }
  return known;
}

function redactEnv(env: EnvVariables, decisions: EnvDecision[], redactor: Redactor): EnvVariables {
  const scope: Scope = { file: FILE.env, naming: 'ENV' };
  const variables = decisions.map(({ variable, makeSecure }, index): EnvVariable => {
    const base: Segment[] = ['variables', index];
    const variablePath = child(child(null, 'variables'), index);
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(variable)) {
      if (key === 'name' || key === 'secure') out[key] = value;
      // A null value or notes (some records have them) is no value: "" in the package, like a missing one.
      else if (key === 'value')
        out[key] =
          variable.secure || makeSecure || typeof value !== 'string'
            ? ''
            : redactor.redactString(value, variable.name, variablePath, 'value', scope);
      else if (key === 'notes' && value === null) out[key] = '';
      else out[key] = redactor.redactTree(value, variablePath, key, key, scope);
    }
    if (variable.secure && variable.value) {
      redactor.items.push({
        file: FILE.env,
        path: pathOf([...base, 'value']),
        rule: 'secure-env',
        action: 'blanked',
        replacement: BLANKED_KEPT_SECURE,
        variable: variable.name,
        fingerprint: redactor.fingerprint(variable.value),
      });
      redactor.noteBlankVariable(variable.name, 'secure-env', redactor.fingerprint(variable.value));
    }
    if (makeSecure) {
      out.secure = true;
      const note =
        `AFP Porter made this variable secure and removed its value: it looked like a secret ` +
        `(rule ${makeSecure.rule}, fingerprint ${makeSecure.fingerprint}). Supply its value after import.`;
      out.notes = typeof out.notes === 'string' && out.notes ? `${out.notes} ${note}` : note;
      redactor.items.push({
        file: FILE.env,
        path: pathOf([...base, 'value']),
        rule: makeSecure.rule,
        action: 'blanked',
        replacement: BLANKED_MADE_SECURE,
        variable: variable.name,
        fingerprint: makeSecure.fingerprint,
      });
      redactor.noteBlankVariable(variable.name, makeSecure.rule, makeSecure.fingerprint);
    }
    return out as EnvVariable;
  });
  return { ...env, variables };
}

/**
 * The sweep over the env variables: every field but the name and `secure` (notes, unknown keys) has its copies
 * replaced by references. A value holding a copy is blanked and made secure instead, like any secret value: the
 * platform does not resolve references inside variable values.
 */
function sweepEnv(variables: EnvVariable[], redactor: Redactor, detected: readonly string[]): EnvVariable[] {
  const scope: Scope = { file: FILE.env, naming: 'ENV' };
  return variables.map((variable, index) => {
    const variablePath = child(child(null, 'variables'), index);
    let out: Record<string, unknown> | undefined;
    const copied = variable.secure ? undefined : detected.find((secret) => variable.value.includes(secret));
    if (copied !== undefined) {
      const fingerprint = redactor.fingerprint(copied);
      const note =
        `AFP Porter made this variable secure and removed its value: it holds a secret found elsewhere in the ` +
        `workflow (fingerprint ${fingerprint}). Supply its value after import.`;
      out = {
        ...variable,
        value: '',
        secure: true,
        notes: variable.notes ? `${variable.notes} ${note}` : note,
      };
      redactor.items.push({
        file: FILE.env,
        path: pathOf(['variables', index, 'value']),
        rule: 'secret-copy',
        action: 'blanked',
        replacement: BLANKED_MADE_SECURE,
        variable: variable.name,
        fingerprint,
      });
      redactor.noteBlankVariable(variable.name, 'secret-copy', fingerprint);
    }
    for (const [key, value] of Object.entries(out ?? variable)) {
      if (key === 'name' || key === 'secure' || (copied !== undefined && key === 'value')) continue;
      const next = redactor.redactTree(value, variablePath, key, key, scope);
      if (next !== value) (out ??= { ...variable })[key] = next;
    }
    return (out ?? variable) as EnvVariable;
  });
}

function finish(
  app: AppDefinition,
  flow: FlowDefinition,
  env: EnvVariables,
  decisions: EnvDecision[],
  redactor: Redactor,
  knownValues: string[],
  withFiles: boolean,
): RedactionResult {
  const appScope: Scope = { file: FILE.app, naming: 'APP' };
  const scopes = nodeScopes(flow);
  let appOut = redactor.redactTree(app, null, undefined, undefined, appScope) as AppDefinition;
  let flowOut = redactFlow(flow, redactor, scopes);
  const envOut = redactEnv(env, decisions, redactor);
  // A secret detected in one place (by its context) is a secret everywhere: one more walk, only when some
  // secret was detected, replaces its other copies by the same reference (one combined search per string).
  const detected = redactor.startSweep();
  if (detected.length) {
    appOut = redactor.redactTree(appOut, null, undefined, undefined, appScope) as AppDefinition;
    flowOut = redactFlow(flowOut, redactor, scopes);
    envOut.variables = sweepEnv(envOut.variables, redactor, detected);
    redactor.endSweep();
  }
  envOut.variables = [...envOut.variables, ...redactor.newVariables()];
  const content: PackageContent = { app: appOut, flow: flowOut, env: envOut };
  const memo = redactor.memo ?? new SecretScanMemo();
  // The final check looks for the known values and for every distinctive secret detected on the way.
  const secrets = detected.length ? [...new Set([...knownValues, ...detected])] : knownValues;
  const report = (): RedactionReport => ({
    items: redactor.reportItems(),
    variables: redactor.variablesToSupply(),
  });
  const proven = redactor.proven;
  if (withFiles)
    return { content, report: report(), files: checkNoLeaks(content, secrets, memo, true, proven) };
  checkNoLeaks(content, secrets, memo, false, proven);
  return { content, report: report() };
}

// ---------------------------------------------------------------------------------------------------------
// Public API
// ---------------------------------------------------------------------------------------------------------

interface LooseIssue {
  code?: string;
  path: PropertyKey[];
  message: string;
  errors?: LooseIssue[][];
}

/** Every issue, with union branches opened up (minus "expected array/object" at a branch's root). */
function flattenIssues(
  issues: readonly LooseIssue[],
  base: PropertyKey[] = [],
): Array<{ path: PropertyKey[]; message: string }> {
  const out: Array<{ path: PropertyKey[]; message: string }> = [];
  for (const issue of issues) {
    const path = [...base, ...issue.path];
    if (issue.code === 'invalid_union' && issue.errors?.length) {
      const branches = issue.errors.map((branch) =>
        branch.filter((inner) => !(inner.code === 'invalid_type' && inner.path.length === 0)),
      );
      const useful = branches.filter((branch) => branch.length > 0);
      if (useful.length) {
        for (const branch of useful) out.push(...flattenIssues(branch, path));
        continue;
      }
    }
    out.push({ path, message: issue.message });
  }
  const seen = new Set<string>();
  return out.filter((issue) => {
    const key = `${formatIssuePath(issue.path)}\u0000${issue.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

const FILE_BY_PART: Record<string, PackageFileName> = { app: FILE.app, flow: FILE.flow, env: FILE.env };

function schemaError(what: string, problems: PackageProblem[]): PackageError {
  return new PackageError(
    'SCHEMA_MISMATCH',
    `${what} does not match the expected format (${problems.length} problem${problems.length === 1 ? '' : 's'}): ` +
      problems.map((problem) => `${problem.path}: ${problem.message}`).join('; '),
    problems,
  );
}

/**
 * Validates a raw version record and returns the redacted package with its report (and, with
 * `{ files: true }`, its files: see {@link RedactOptions.files}).
 * @throws PackageError SCHEMA_MISMATCH (every offending path) or LEAK_DETECTED (fail closed).
 */
export async function redactVersion(
  raw: unknown,
  options: RedactOptionsWithFiles,
): Promise<RedactionResultWithFiles>;
export async function redactVersion(raw: unknown, options?: RedactOptions): Promise<RedactionResult>;
export async function redactVersion(raw: unknown, options: RedactOptions = {}): Promise<RedactionResult> {
  const parsed = rawVersionRecordSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = flattenIssues(parsed.error.issues as unknown as LooseIssue[]).map(
      (issue): PackageProblem => {
        const first = issue.path[0];
        const file = typeof first === 'string' ? FILE_BY_PART[first] : undefined;
        return { ...(file ? { file } : {}), path: formatIssuePath(issue.path), message: issue.message };
      },
    );
    throw schemaError('The version record', problems);
  }
  return redactValidatedVersion(parsed.data, options);
}

/**
 * `redactVersion` of a record that has just been validated with `rawVersionRecordSchema` (pass its
 * `parsed.data`): skips the second validation (its time, and the copy of the record it makes).
 * @throws PackageError LEAK_DETECTED (fail closed).
 */
export async function redactValidatedVersion(
  record: RawVersionRecord,
  options: RedactOptionsWithFiles,
): Promise<RedactionResultWithFiles>;
export async function redactValidatedVersion(
  record: RawVersionRecord,
  options?: RedactOptions,
): Promise<RedactionResult>;
export async function redactValidatedVersion(
  record: RawVersionRecord,
  options: RedactOptions = {},
): Promise<RedactionResult> {
  const detector = options.detector ?? findSecrets;

  // Structural: what never travels.
  const structural: RedactionItem[] = [];
  const workflow = record.workflow;
  if (workflow.endpoint !== undefined) {
    structural.push({
      file: '(not exported)',
      path: 'workflow.endpoint',
      rule: 'workflow-endpoint',
      action: 'removed',
    });
  }
  const lists = [
    ['apiKeys', 'workflow-api-keys'],
    ['sharing', 'sharing'],
    ['auditLogs', 'audit-logs'],
  ] as const;
  for (const [field, rule] of lists) {
    const list = workflow[field];
    // An empty list held nothing: it is not counted as redacted.
    if (list !== undefined && list.length > 0)
      structural.push({
        file: '(not exported)',
        path: `workflow.${field}`,
        rule,
        action: 'removed',
        count: list.length,
      });
  }

  // Values known to be secret, wherever they might reappear.
  const decisions = decideEnv(record.env, detector, options.fingerprintKey);
  const known = knownFromEnv(decisions);
  const pushToken = record.app.execution?.async?.push?.accessToken;
  if (pushToken) known.push({ value: pushToken, rule: 'push-access-token', label: 'PUSH_ACCESS_TOKEN' });
  for (const entry of workflow.apiKeys ?? []) {
    if (typeof entry === 'string') {
      known.push({ value: entry, rule: 'workflow-api-key', label: 'WORKFLOW_API_KEY' });
      continue;
    }
    if (!isPlainObject(entry)) continue;
    for (const [key, value] of Object.entries(entry)) {
      if (typeof value === 'string' && (key === 'key' || key === 'value' || classifyKey(key))) {
        known.push({ value, rule: 'workflow-api-key', label: 'WORKFLOW_API_KEY' });
      }
    }
  }

  const redactor = new Redactor(
    record.env.variables.map((variable) => variable.name),
    known,
    options,
  );
  redactor.items.push(...structural);

  const { app } = removePushToken(withWorkflowAndVersion(record.app, record), redactor);
  return finish(
    app,
    record.flow,
    record.env,
    decisions,
    redactor,
    known.map((entry) => entry.value),
    options.files === true,
  );
}

/**
 * Redacts a package that already exists (e.g. the platform's native export): secure values blanked, push
 * token removed, inline secrets replaced by secure variables.
 * @throws PackageError SCHEMA_MISMATCH or LEAK_DETECTED.
 */
export async function redactPackage(
  content: PackageContent,
  options: RedactOptionsWithFiles,
): Promise<RedactionResultWithFiles>;
export async function redactPackage(
  content: PackageContent,
  options?: RedactOptions,
): Promise<RedactionResult>;
export async function redactPackage(
  content: PackageContent,
  options: RedactOptions = {},
): Promise<RedactionResult> {
  const problems: PackageProblem[] = [];
  const parts = [
    ['app', appDefinitionSchema],
    ['flow', flowDefinitionSchema],
    ['env', envVariablesSchema],
  ] as const;
  const parsed: Record<string, unknown> = {};
  for (const [part, schema] of parts) {
    const result = schema.safeParse((content as unknown as Record<string, unknown>)[part]);
    if (result.success) parsed[part] = result.data;
    else {
      for (const issue of flattenIssues(result.error.issues as unknown as LooseIssue[])) {
        problems.push({
          file: FILE_BY_PART[part],
          path: formatIssuePath(issue.path),
          message: issue.message,
        });
      }
    }
  }
  if (problems.length) throw schemaError('The package', problems);
  const app = parsed.app as AppDefinition;
  const flow = parsed.flow as FlowDefinition;
  const env = parsed.env as EnvVariables;
  const detector = options.detector ?? findSecrets;
  const decisions = decideEnv(env, detector, options.fingerprintKey);
  const known = knownFromEnv(decisions);
  const pushToken = app.execution?.async?.push?.accessToken;
  if (pushToken) known.push({ value: pushToken, rule: 'push-access-token', label: 'PUSH_ACCESS_TOKEN' });
  const redactor = new Redactor(
    env.variables.map((variable) => variable.name),
    known,
    options,
  );
  const { app: appWithoutToken } = removePushToken(withWorkflowAndVersion(app), redactor);
  return finish(
    appWithoutToken,
    flow,
    env,
    decisions,
    redactor,
    known.map((entry) => entry.value),
    options.files === true,
  );
}
