/**
 * The fail-closed final check: the finished package is scanned again, as JSON (every string with its key) and
 * as the serialized text that goes into the zip (line by line, only the lines the keyword automaton points
 * at), and searched for every value known to be secret; anything found throws `LEAK_DETECTED`, never quoting
 * a secret. With `write`, what it scanned is what the zip holds. Given the redaction's proofs (proven.ts), the
 * parts proved clean are not scanned again, as JSON or as lines; the search for known values reads everything.
 */
import { canonicalPackageCounted } from '../package/canonical';
import { PackageError, type PackageProblem } from '../package/errors';
import { PACKAGE_FILES, type PackageContent } from '../package/schemas';
import {
  hintPackageSizes,
  serializePackage,
  writeCanonicalJson,
  writePackageFiles,
  type PackageFile,
  type SealTest,
} from '../package/zip-write';
import { fingerprintSecret } from './fingerprint';
import { KNOWN_SECRET_MIN_LENGTH, NeedleSet } from './needles';
import type { ProvenClean } from './proven';
import { scanJsonWith, type ScanFinding, type TextScanFinding } from './scan';
import { findSecrets, nextSecretCandidate, SecretScanMemo } from './scanner';

const FILE = PACKAGE_FILES;

/** How the package files are serialized for the final check (and, by convention, in the zip). */
export function serializePackageFile(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

/**
 * `scanText` for a serialized package file, line by line: in 2-space JSON every string, and every key with
 * its value, sits on one line (line breaks inside strings are escaped), so a secret in the file is a secret
 * in its line. Lines without a candidate for any rule (`nextSecretCandidate`, one native search per chunk)
 * cannot hold a finding and are not scanned; equal lines are scanned once.
 *
 * Fed the file in chunks (as `writeCanonicalJson` gives it: never the whole file as one string); a line cut
 * by a chunk boundary waits for its end. Candidates never contain a line break, so scanning chunk by chunk
 * finds exactly what scanning the whole text would.
 */
class SerializedFileScanner {
  readonly findings: TextScanFinding[] = [];
  private readonly cleanLines = new Set<string>();
  /** Number of the first line of the next text. */
  private line = 1;
  /** An unfinished line at the end of the previous chunk. */
  private carry = '';

  constructor(private readonly file: string) {}

  /**
   * A chunk of sealed members (ChunkSink: proven clean, see proven.ts): its lines are counted, not scanned.
   * A line begun before it is finished with the chunk's first line and scanned; the chunk's unfinished last
   * line waits for the rest of its line (a `,` or a line break) and is scanned with it.
   */
  pushSealed(chunk: string): void {
    let from = 0;
    if (this.carry) {
      const firstBreak = chunk.indexOf('\n');
      if (firstBreak < 0) {
        this.push(chunk);
        return;
      }
      from = firstBreak + 1;
      this.push(chunk.slice(0, from));
    }
    let line = this.line;
    let rest = from;
    for (let nl = chunk.indexOf('\n', from); nl >= 0; nl = chunk.indexOf('\n', nl + 1)) {
      line++;
      rest = nl + 1;
    }
    this.line = line;
    this.carry = chunk.slice(rest);
  }

  push(chunk: string): void {
    let text = this.carry ? this.carry + chunk : chunk;
    const lastBreak = text.lastIndexOf('\n');
    if (lastBreak < 0) {
      this.carry = text;
      return;
    }
    if (lastBreak + 1 < text.length) {
      this.carry = text.slice(lastBreak + 1);
      text = text.slice(0, lastBreak + 1);
    } else this.carry = '';
    this.scanLines(text);
  }

  end(): TextScanFinding[] {
    if (this.carry) this.scanLines(this.carry);
    this.carry = '';
    return this.findings;
  }

  /** `text`: whole lines (the last one may lack its line break only at the end of the file). */
  private scanLines(text: string): void {
    let line = this.line;
    let counted = 0; // line breaks before `counted` are counted in `line`
    for (let at = nextSecretCandidate(text, 0); at >= 0;) {
      const lineStart = text.lastIndexOf('\n', at) + 1;
      let lineEnd = text.indexOf('\n', at);
      if (lineEnd < 0) lineEnd = text.length;
      for (let nl = text.indexOf('\n', counted); nl >= 0 && nl < lineStart; nl = text.indexOf('\n', nl + 1))
        line++;
      counted = lineStart;
      const lineText = text.slice(lineStart, lineEnd);
      if (!this.cleanLines.has(lineText)) {
        const findings = findSecrets(lineText);
        // A copy, not a slice: a slice would keep the whole chunk alive as long as the set.
        if (findings.length === 0) this.cleanLines.add(detached(lineText));
        for (const finding of findings) {
          this.findings.push({
            file: this.file,
            line,
            column: finding.start + 1,
            rule: finding.rule,
            fingerprint: fingerprintSecret(lineText.slice(finding.start, finding.end)),
          });
        }
      }
      at = lineEnd < text.length ? nextSecretCandidate(text, lineEnd + 1) : -1;
    }
    for (let nl = text.indexOf('\n', counted); nl >= 0; nl = text.indexOf('\n', nl + 1)) line++;
    this.line = line;
  }
}

/**
 * A string equal to `text` that shares no memory with the string `text` was sliced from (V8 keeps a slice's
 * parent alive): flattening a fresh concatenation copies it.
 */
const detached = (text: string): string => (text.length < 16 ? text : ` ${text}`.slice(1));

/**
 * The forms in which known secret values may appear in a serialized file (as they are and JSON-escaped),
 * searched for at once (`NeedleSet`); shared by the searches of the three files.
 */
class KnownValueForms {
  readonly set: NeedleSet;
  /** For each form of `set`: the index of its secret. */
  readonly secretOf: number[] = [];
  /** Longest form minus one: how much of the text before a chunk a match may start in. */
  readonly reach: number;
  /** How many secrets are searched for (long enough). */
  readonly count: number;

  constructor(readonly secrets: readonly string[]) {
    const forms: string[] = [];
    secrets.forEach((secret, index) => {
      if (secret.length < KNOWN_SECRET_MIN_LENGTH) return;
      forms.push(secret);
      this.secretOf.push(index);
      const escaped = JSON.stringify(secret).slice(1, -1);
      if (escaped !== secret) {
        forms.push(escaped);
        this.secretOf.push(index);
      }
    });
    this.set = new NeedleSet(forms);
    this.count = new Set(this.secretOf).size;
    let reach = 0;
    for (const form of forms) reach = Math.max(reach, form.length - 1);
    this.reach = reach;
  }
}

/**
 * Searches a file, fed in chunks, for known secret values: `text.includes` of every value in the whole text,
 * without the whole text (the end of the previous chunks is kept for values that straddle a boundary), and
 * in one pass whatever the number of values.
 */
class KnownValueSearch {
  private readonly found: boolean[];
  private tail = '';
  private left: number;

  constructor(private readonly forms: KnownValueForms) {
    this.found = forms.secrets.map(() => false);
    this.left = forms.count;
  }

  push(chunk: string): void {
    if (this.left === 0) return;
    const reach = this.forms.reach;
    if (this.tail) this.mark(this.tail + chunk.slice(0, reach));
    this.mark(chunk);
    this.tail = chunk.length >= reach ? chunk.slice(chunk.length - reach) : (this.tail + chunk).slice(-reach);
  }

  private mark(text: string): void {
    for (const match of this.forms.set.matches(text) ?? []) {
      const secret = this.forms.secretOf[match.index]!;
      if (!this.found[secret]) {
        this.found[secret] = true;
        this.left--;
      }
    }
  }

  /** The secrets found, in the order given (as often as given). */
  matches(): string[] {
    return this.forms.secrets.filter((_, i) => this.found[i]);
  }
}

/**
 * The fail-closed check: scans the finished package as JSON and as serialized text, and searches it for
 * every known secret value. Throws `LEAK_DETECTED` (never quoting a secret) when anything is found.
 */
export function assertNoLeaks(content: PackageContent, knownSecrets: readonly string[] = []): void {
  checkNoLeaks(content, knownSecrets, new SecretScanMemo(), false);
}

const PACKAGE_FILE_ORDER = [FILE.app, FILE.flow, FILE.env] as const;

/**
 * `assertNoLeaks` with a memo of strings `findSecrets` already found clean (the redaction's, when it used
 * `findSecrets`): an exactly-equal string under a key of the same kind is not scanned twice. Everything else
 * in every file is scanned again, structurally and as the serialized text that goes into the zip.
 *
 * With `write`, the text scanned is the package itself: each chunk of each file is scanned and then encoded
 * into the files returned (laid out for `zipFiles`, which then copies nothing), so the bytes that go into the
 * zip are exactly the bytes checked. Without, the files are serialized only to be scanned (chunk by chunk, never
 * whole) and their sizes are left for `serializePackage`.
 */
export function checkNoLeaks(
  content: PackageContent,
  knownSecrets: readonly string[],
  memo: SecretScanMemo,
  write: true,
  proven?: ProvenClean,
): PackageFile[];
export function checkNoLeaks(
  content: PackageContent,
  knownSecrets: readonly string[],
  memo: SecretScanMemo,
  write: false,
  proven?: ProvenClean,
): undefined;
export function checkNoLeaks(
  content: PackageContent,
  knownSecrets: readonly string[],
  memo: SecretScanMemo,
  write: boolean,
  proven?: ProvenClean,
): PackageFile[] | undefined {
  // Every package in one key order, so that versions compare well in git: the text scanned (and the line and
  // column of a finding) is the text of the zip. The files' sizes are counted on the same walk.
  const { content: ordered, sizes } = canonicalPackageCounted(content);
  const values = [ordered.app, ordered.flow, ordered.env];
  if (proven) [content.app, content.flow, content.env].forEach((part, i) => proven.carry(part, values[i]));
  const structural = values.map((value, i) => {
    const out: ScanFinding[] = [];
    scanJsonWith(value, PACKAGE_FILE_ORDER[i]!, undefined, memo, out, proven);
    return out;
  });
  const scanners = PACKAGE_FILE_ORDER.map((file) => new SerializedFileScanner(file));
  const forms = new KnownValueForms(knownSecrets);
  const searches = PACKAGE_FILE_ORDER.map(() => new KnownValueSearch(forms));
  const scanChunk = (index: number, chunk: string, sealed: boolean) => {
    if (sealed) scanners[index]!.pushSealed(chunk);
    else scanners[index]!.push(chunk);
    searches[index]!.push(chunk);
  };
  // A member's text needs no second look when the redaction proved it clean, its key included.
  const seal: SealTest | undefined = proven
    ? (value, key) =>
        proven.has(value, key) && (key === undefined || memo.findSecrets(key, undefined).length === 0)
    : undefined;
  let files: PackageFile[] | undefined;
  if (write) {
    files = writePackageFiles(PACKAGE_FILE_ORDER, values, sizes, scanChunk, seal) ?? undefined;
    if (!files) {
      // Only a value that serializes differently each time gets here: check it, then write it on its own.
      checkNoLeaks(content, knownSecrets, memo, false);
      return serializePackage(ordered);
    }
  } else {
    values.forEach((value, index) =>
      writeCanonicalJson(value, (chunk, sealed) => scanChunk(index, chunk, sealed), seal),
    );
    hintPackageSizes(content, sizes);
  }

  const problems: PackageProblem[] = [];
  PACKAGE_FILE_ORDER.forEach((file, index) => {
    for (const finding of structural[index]!) {
      problems.push({
        file,
        path: finding.path,
        message: `rule ${finding.rule} still matches`,
      });
    }
    for (const finding of scanners[index]!.end()) {
      problems.push({
        file,
        path: `${finding.line}:${finding.column}`,
        message: `rule ${finding.rule} still matches in the serialized file`,
      });
    }
    const known = searches[index]!.matches().length;
    if (known > 0) {
      problems.push({
        file,
        message:
          known === 1
            ? 'a value known to be secret appears in the file'
            : `${known} values known to be secret appear in the file`,
      });
    }
  });
  if (problems.length) {
    throw new PackageError(
      'LEAK_DETECTED',
      `${problems.length} possible secret(s) would remain in the package after redaction`,
      problems,
    );
  }
  return files;
}
