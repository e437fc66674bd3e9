import { unzipSync } from 'fflate';
import { readFile } from 'node:fs/promises';
import { cliFingerprintKey } from '../fingerprint-key.ts';
import type { ScanFinding, TextScanFinding } from '../../package/redact.ts';
import { type Command } from '../command.ts';
import { UsageError } from '../errors.ts';
import { fsErrorMessage, walk } from '../files.ts';
import { clean, plural, table } from '../format.ts';
import { printJson, printer } from '../io.ts';

/** Files larger than this are skipped (and said so). */
export const MAX_SCAN_BYTES = 64 * 1024 * 1024;
/** Zip entries inflating to more than this are skipped (zip bombs). */
export const MAX_ENTRY_BYTES = 64 * 1024 * 1024;

export interface Finding {
  file: string;
  /** JSON path, or `line:column` in a text file. */
  path: string;
  rule: string;
  fingerprint: string;
}

function looksBinary(bytes: Uint8Array): boolean {
  const probe = bytes.subarray(0, 8192);
  return probe.includes(0);
}

function isZip(name: string, bytes: Uint8Array): boolean {
  return (
    /\.zip$/i.test(name) || (bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04)
  );
}

/** Scans one file's bytes: JSON structurally, other text as text, a zip entry by entry. */
export interface Scanners {
  scanJson(value: unknown, file: string): ScanFinding[];
  scanText(text: string, file: string): TextScanFinding[];
}

export function scanBytes(
  scanners: Scanners,
  name: string,
  bytes: Uint8Array,
  skipped: string[],
  depth = 0,
): Finding[] {
  const { scanJson, scanText } = scanners;
  if (isZip(name, bytes) && depth < 2) {
    let entries: Record<string, Uint8Array>;
    try {
      entries = unzipSync(bytes, {
        filter: (entry) => {
          if (entry.originalSize > MAX_ENTRY_BYTES) {
            skipped.push(`${name}!${entry.name}: larger than ${MAX_ENTRY_BYTES} bytes`);
            return false;
          }
          return !entry.name.endsWith('/');
        },
      });
    } catch (error) {
      skipped.push(
        `${name}: not a readable zip (${error instanceof Error ? error.message : 'unknown error'})`,
      );
      return [];
    }
    return Object.keys(entries)
      .sort()
      .flatMap((entry) => scanBytes(scanners, `${name}!${entry}`, entries[entry]!, skipped, depth + 1));
  }
  if (looksBinary(bytes)) return [];
  const text = new TextDecoder('utf-8').decode(bytes);
  if (/\.json$/i.test(name)) {
    try {
      const value: unknown = JSON.parse(text);
      return scanJson(value, name).map((finding) => ({
        file: finding.file,
        path: finding.path,
        rule: finding.rule,
        fingerprint: finding.fingerprint,
      }));
    } catch {
      // Not valid JSON: still worth scanning as text.
    }
  }
  return scanText(text, name).map((finding) => ({
    file: finding.file,
    path: `${finding.line}:${finding.column}`,
    rule: finding.rule,
    fingerprint: finding.fingerprint,
  }));
}

export const scanCommand: Command = {
  name: 'scan',
  summary: 'look for secrets in files, folders and zips (never prints them)',
  help: `Usage: porter scan <file|folder|zip>... [--json]

Looks for secrets (API keys, tokens, passwords, Authorization headers, private keys, credentials in URLs…)
with the same rules the redaction uses. JSON files are scanned structurally (findings name a JSON path),
other text files line by line (findings name line:column), zips entry by entry (file "pkg.zip!entry.json").
Folders are walked recursively (.git and node_modules are skipped; symbolic links are not followed; binary
files are skipped). A finding shows file, path, rule and a fingerprint, never the secret itself.

Options:
      --json  print {findings, skipped} as JSON
  -h, --help  show this help

Exit status: 0 nothing found, 1 a secret was found (or a path could not be read), 2 wrong usage.`,
  options: { json: { type: 'boolean' } },
  async run(args, io) {
    if (args.positionals.length === 0) throw new UsageError('missing <file|folder|zip>', 'scan');
    const { scanJson, scanText } = await import('../../package/redact.ts');
    const fingerprintKey = await cliFingerprintKey(io.env);
    const scanners: Scanners = {
      scanJson: (value, file) => scanJson(value, file, { fingerprintKey }),
      scanText: (text, file) => scanText(text, file, { fingerprintKey }),
    };
    const findings: Finding[] = [];
    const skipped: string[] = [];
    let scanned = 0;
    for (const target of args.positionals) {
      for (const file of await walk(io.cwd, target)) {
        if (file.size > MAX_SCAN_BYTES) {
          skipped.push(`${file.display}: larger than ${MAX_SCAN_BYTES} bytes`);
          continue;
        }
        let bytes: Uint8Array;
        try {
          bytes = new Uint8Array(await readFile(file.absolute));
        } catch (error) {
          skipped.push(`${file.display}: ${fsErrorMessage(error)}`);
          continue;
        }
        scanned += 1;
        findings.push(...scanBytes(scanners, file.display, bytes, skipped));
      }
    }
    if (args.values.json) {
      printJson(io, { scanned, findings, skipped });
    } else {
      const print = printer(io);
      if (findings.length > 0) {
        for (const line of table(
          ['FILE', 'PATH', 'RULE', 'FINGERPRINT'],
          findings.map((finding) => [finding.file, finding.path, finding.rule, finding.fingerprint]),
        ))
          print.out(clean(line));
      }
      for (const line of skipped) print.err(clean(`porter: skipped ${line}`));
      print.out(
        findings.length > 0
          ? `${plural(findings.length, 'possible secret')} found in ${plural(scanned, 'file')}.`
          : `No secrets found in ${plural(scanned, 'file')}.`,
      );
    }
    return findings.length > 0 ? 1 : 0;
  },
};
