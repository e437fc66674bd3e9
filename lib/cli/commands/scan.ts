import { open, readFile } from 'node:fs/promises';
import { PackageError } from '../../package/errors.ts';
import { parseJson } from '../../package/json-position.ts';
import { fingerprintSecret } from '../../redaction/fingerprint.ts';
import { readZipEntries } from '../../package/zip-read.ts';
import type { ScanFinding, TextScanFinding } from '../../redaction/scan.ts';
import { type Command } from '../command.ts';
import { UsageError } from '../errors.ts';
import {
  BINARY_PROBE_BYTES,
  decodeText,
  type FoundFile,
  fsErrorMessage,
  type PathNote,
  walk,
} from '../files.ts';
import { fingerprintKeyFor } from '../fingerprint-key.ts';
import { forbiddenInJsonFile } from '../../package/forbidden.ts';
import { clean, formatBytes, plural, table } from '../format.ts';
import { printJson, printer } from '../io.ts';

/** Text files larger than this cannot be scanned (a failure); binary ones are skipped whatever their size. */
export const MAX_SCAN_BYTES = 64 * 1024 * 1024;
/** Zip entries inflating to more than this are not inflated (zip bombs): a failure. */
export const MAX_ENTRY_BYTES = 64 * 1024 * 1024;
/** What all the entries of one file (zips inside zips included) may inflate to, together. */
export const MAX_INFLATED_BYTES = 256 * 1024 * 1024;
/** Zips inside zips are opened this deep (a package inside a folder's zip); deeper is a failure. */
export const MAX_ZIP_DEPTH = 3;

export interface Finding {
  file: string;
  /** JSON path, or `line:column` in a text file. */
  path: string;
  rule: string;
  fingerprint: string;
}

export interface Scanners {
  scanJson(value: unknown, file: string): ScanFinding[];
  scanText(text: string, file: string): TextScanFinding[];
  fingerprint(value: string): string;
}

/**
 * What one scan found and what it could not look at. `skipped` is left out on purpose (binary files, links
 * inside folders) and only said; `failed` could not be scanned (an unreadable or encrypted zip, a file too
 * large, a path that cannot be read) and makes the scan fail: it is a CI gate, and fails closed.
 */
export interface ScanState {
  findings: Finding[];
  skipped: PathNote[];
  failed: PathNote[];
  /** Bytes the current top-level file's zip entries may still inflate to. */
  inflateBudget: number;
}

export function newScanState(): ScanState {
  return { findings: [], skipped: [], failed: [], inflateBudget: MAX_INFLATED_BYTES };
}

function looksLikeZip(name: string, bytes: Uint8Array): boolean {
  return (
    /\.zip$/i.test(name) ||
    (bytes[0] === 0x50 &&
      bytes[1] === 0x4b &&
      (bytes[2] === 0x03 || bytes[2] === 0x05) &&
      (bytes[3] === 0x04 || bytes[3] === 0x06))
  );
}

/**
 * Scans one file's bytes into `state`: JSON structurally (plus what a package must never hold), other text
 * as text, a zip entry by entry. Says whether anything was scanned (false: skipped or failed as a whole).
 */
export function scanBytes(
  scanners: Scanners,
  name: string,
  bytes: Uint8Array,
  state: ScanState,
  depth = 0,
): boolean {
  if (looksLikeZip(name, bytes)) return scanZip(scanners, name, bytes, state, depth);
  const decoded = decodeText(bytes);
  if (!decoded.ok) {
    state.skipped.push({ file: name, reason: decoded.reason });
    return false;
  }
  const text = decoded.text;
  if (/\.json$/i.test(name)) {
    // Not valid JSON (or JSON the package reader refuses: too deep, a key written twice): still worth
    // scanning as text, which sees every value, the one a duplicate key hides too.
    const parsed = parseJson(text);
    if (parsed.ok) {
      const value = parsed.value;
      const forbidden = forbiddenInJsonFile(name, value).map((item): Finding => ({
        file: name,
        path: item.path,
        rule: item.rule,
        fingerprint: scanners.fingerprint(item.value),
      }));
      // The structural rule says more than a generic one at the same place (`secret-field` on a push token).
      const taken = new Set(forbidden.map((finding) => finding.path));
      state.findings.push(
        ...forbidden,
        ...scanners
          .scanJson(value, name)
          .filter((finding) => !taken.has(finding.path))
          .map((finding) => ({
            file: finding.file,
            path: finding.path,
            rule: finding.rule,
            fingerprint: finding.fingerprint,
          })),
      );
      return true;
    }
  }
  state.findings.push(
    ...scanners.scanText(text, name).map((finding) => ({
      file: finding.file,
      path: `${finding.line}:${finding.column}`,
      rule: finding.rule,
      fingerprint: finding.fingerprint,
    })),
  );
  return true;
}

function zipFailure(error: unknown): string {
  if (!(error instanceof PackageError)) return 'not a readable zip; its content was not scanned';
  if (error.code === 'ENCRYPTED_ENTRY')
    return 'encrypted (password-protected) zip; its content was not scanned';
  if (error.code === 'NOT_A_ZIP' || error.code === 'CORRUPT_ZIP')
    return `not a readable zip (${error.message.replace(/\.$/, '')}); its content was not scanned`;
  return `${error.message.replace(/\.$/, '')}; its content was not scanned`;
}

function scanZip(
  scanners: Scanners,
  name: string,
  bytes: Uint8Array,
  state: ScanState,
  depth: number,
): boolean {
  if (depth >= MAX_ZIP_DEPTH) {
    state.failed.push({
      file: name,
      reason: `a zip nested more than ${MAX_ZIP_DEPTH} zips deep; not opened`,
    });
    return false;
  }
  let entries: { name: string; data: Uint8Array }[];
  try {
    // Any zip, not only a package: many entries are fine, the size limits still stop zip bombs.
    entries = readZipEntries(bytes, {
      maxEntries: 100_000,
      maxEntryBytes: MAX_ENTRY_BYTES,
      maxTotalBytes: state.inflateBudget,
    });
  } catch (error) {
    state.failed.push({ file: name, reason: zipFailure(error) });
    return false;
  }
  for (const entry of entries) {
    state.inflateBudget -= entry.data.byteLength;
    scanBytes(scanners, `${name}!${entry.name}`, entry.data, state, depth + 1);
  }
  return true;
}

/**
 * Is a file too large to read whole a binary one (skipped), or text or a zip (a failure: either may hold a
 * secret)? Reads its first 8 KB.
 */
async function largeFileIsBinary(file: FoundFile): Promise<boolean> {
  const handle = await open(file.absolute, 'r');
  try {
    const probe = new Uint8Array(BINARY_PROBE_BYTES);
    const { bytesRead } = await handle.read(probe, 0, probe.length, 0);
    const head = probe.subarray(0, bytesRead);
    return !looksLikeZip(file.display, head) && !decodeText(head).ok;
  } finally {
    await handle.close();
  }
}

export const scanCommand: Command = {
  name: 'scan',
  summary: 'look for secrets in files, folders and zips (never prints them)',
  help: `Usage: porter scan <file|folder|zip>... [--json]

Looks for secrets (API keys, tokens, passwords, Authorization headers, private keys, credentials in URLs…)
with the same rules the redaction uses, and for what a package must never hold (a value in a secure
variable, the async push access token, the workflow's API keys, sharing, audit logs, endpoint). JSON files
are scanned structurally (findings name a JSON path), other text files line by line (line:column), zips
entry by entry (file "pkg.zip!entry.json"). UTF-8 and UTF-16 text are read. Folders are walked recursively
(.git and node_modules are skipped; symbolic links inside them are not followed, a link named on the command
line is). Binary files are skipped, with a note on stderr. A finding shows file, path, rule and a
fingerprint, never the secret itself.

What cannot be scanned (an encrypted or damaged zip, a text file over 64 MB, a path that cannot be read)
is a failure: a "porter: cannot scan …" line on stderr, and exit 1 even when nothing was found.

Options:
      --json  print {scanned, filesWithFindings, findings, skipped, failed} as JSON
  -h, --help  show this help

Exit status: 0 nothing found and everything scanned, 1 a secret was found or something could not be
scanned, 2 wrong usage.`,
  options: { json: { type: 'boolean' } },
  async run(args, io) {
    if (args.positionals.length === 0) throw new UsageError('missing <file|folder|zip>', 'scan');
    const { scanJson, scanText } = await import('../../redaction/scan.ts');
    const fingerprintKey = await fingerprintKeyFor(io);
    const scanners: Scanners = {
      scanJson: (value, file) => scanJson(value, file, { fingerprintKey }),
      scanText: (text, file) => scanText(text, file, { fingerprintKey }),
      fingerprint: (value) => fingerprintSecret(value, fingerprintKey),
    };
    const state = newScanState();
    let scanned = 0;
    let withFindings = 0;
    for (const target of args.positionals) {
      const found = await walk(io.cwd, target);
      state.skipped.push(...found.skipped);
      state.failed.push(...found.failed);
      for (const file of found.files) {
        if (file.size > MAX_SCAN_BYTES) {
          let binary = false;
          try {
            binary = await largeFileIsBinary(file);
          } catch {
            // Said below as a failure.
          }
          if (binary) state.skipped.push({ file: file.display, reason: 'binary file, not scanned' });
          else
            state.failed.push({
              file: file.display,
              reason: `larger than ${formatBytes(MAX_SCAN_BYTES)}; not scanned`,
            });
          continue;
        }
        let bytes: Uint8Array;
        try {
          bytes = new Uint8Array(await readFile(file.absolute));
        } catch (error) {
          state.failed.push({ file: file.display, reason: fsErrorMessage(error) });
          continue;
        }
        const before = state.findings.length;
        state.inflateBudget = MAX_INFLATED_BYTES;
        if (scanBytes(scanners, file.display, bytes, state)) scanned += 1;
        if (state.findings.length > before) withFindings += 1;
      }
    }
    const { findings, skipped, failed } = state;
    if (args.values.json) {
      printJson(io, { scanned, filesWithFindings: withFindings, findings, skipped, failed });
    }
    const print = printer(io);
    if (!args.values.json && findings.length > 0) {
      for (const line of table(
        ['FILE', 'PATH', 'RULE', 'FINGERPRINT'],
        findings.map((finding) => [finding.file, finding.path, finding.rule, finding.fingerprint]),
      ))
        print.out(clean(line));
    }
    for (const note of skipped) print.err(clean(`porter: skipped ${note.file}: ${note.reason}`));
    for (const note of failed) print.err(clean(`porter: cannot scan ${note.file}: ${note.reason}`));
    if (!args.values.json) {
      const incomplete = failed.length > 0 ? `; ${plural(failed.length, 'item')} could not be scanned` : '';
      print.out(
        findings.length > 0
          ? `${plural(findings.length, 'possible secret')} found in ${withFindings} of ${plural(scanned, 'file')}${incomplete}.`
          : `No secrets found in ${plural(scanned, 'file')}${incomplete}.`,
      );
    }
    if (failed.length > 0)
      print.err(
        `porter: the scan is incomplete: ${plural(failed.length, 'item')} could not be scanned (see above)`,
      );
    return findings.length > 0 || failed.length > 0 ? 1 : 0;
  },
};
