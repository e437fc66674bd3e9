/**
 * Reading packages: a zip (readPackageZip) or three separately supplied JSON files (readPackageFiles).
 *
 * The zip's central directory is read by this module (it is small and lets every check happen BEFORE any
 * byte is inflated): entry count, unsafe names, encryption, duplicates, declared sizes and ratios. Only the
 * three package files are then extracted; deflated data goes through fflate's streaming `Inflate`, fed in
 * small chunks, so an entry that inflates to more than it declares is stopped as soon as it overflows, and
 * every extracted entry's CRC-32 is checked. Works in browsers, service workers and Node (no Node APIs).
 *
 * Error model (PackageError codes, see errors.ts):
 * - Archive-level faults throw at once, each listing every offending entry in `problems`, checked in this
 *   order: NOT_A_ZIP / CORRUPT_ZIP (no readable table of contents), TOO_LARGE (entry count), UNSAFE_ENTRY,
 *   ENCRYPTED_ENTRY, DUPLICATE_ENTRY, TOO_LARGE (declared sizes and ratios), then while extracting the three
 *   files: CORRUPT_ZIP (bad local header, truncation, bad deflate data, CRC-32 mismatch, unknown method) and
 *   TOO_LARGE (inflates beyond its declared size).
 * - Content-level faults are gathered across ALL files and thrown as ONE PackageError whose `problems` lists
 *   every one (with `file` and `path`); its `code` is the most fundamental one present, in this order:
 *   MISSING_FILE > INVALID_JSON > UNSUPPORTED_SCHEMA_VERSION > SCHEMA_MISMATCH. A file whose schemaVersion
 *   is too new is not schema-checked (its field problems would only be noise).
 *
 * Leniency (each noted in `warnings`): `callflow.json` for the flow file; a bare array in
 * `env_variables.json`; the files inside one top-level folder (a re-zipped unzipped folder); macOS/Windows
 * litter (`__MACOSX/`, `.DS_Store`, `._*`, `Thumbs.db`, `desktop.ini`) and any other extra file ignored;
 * a missing `env_variables.json` read as no variables. `flow_definition.json` and `app_definition.json`
 * are required (the app file carries the workflow's name, inputs and outputs).
 */
import { Inflate } from 'fflate';
import { z } from 'zod';
import { PackageError, type PackageErrorCode, type PackageProblem } from './errors.ts';
import { parseJson } from './json-position.ts';
import { utf16Encoding } from './utf16.ts';
import {
  appDefinitionSchema,
  CURRENT_SCHEMA_VERSION,
  envVariablesSchema,
  FLOW_FILE_ALIASES,
  flowDefinitionSchema,
  formatIssuePath,
  PACKAGE_FILES,
  schemaMajor,
  SUPPORTED_SCHEMA_MAJOR,
  type AppDefinition,
  type EnvVariables,
  type FlowDefinition,
  type PackageContent,
} from './schemas.ts';

export interface ReadLimits {
  /** Entries in the central directory (directories and litter included). */
  maxEntries: number;
  /** Declared (and actual) uncompressed size of one entry, bytes. */
  maxEntryBytes: number;
  /** Sum of the declared uncompressed sizes of all entries, bytes. */
  maxTotalBytes: number;
  /** Uncompressed / compressed, for entries larger than `ratioThresholdBytes`. */
  maxCompressionRatio: number;
  ratioThresholdBytes: number;
}

const MiB = 1024 * 1024;

export const DEFAULT_READ_LIMITS: Readonly<ReadLimits> = Object.freeze({
  maxEntries: 100,
  maxEntryBytes: 64 * MiB,
  maxTotalBytes: 128 * MiB,
  maxCompressionRatio: 200,
  ratioThresholdBytes: 1 * MiB,
});

export interface ReadPackageResult {
  content: PackageContent;
  /** Entry names as found in the zip (or the keys given to readPackageFiles), in their order. */
  files: string[];
  warnings: string[];
}

type Slot = 'app' | 'flow' | 'env';

interface SuppliedFile {
  /** Name shown in messages (the canonical package name, e.g. `callflow.json` when that was supplied). */
  name: string;
  data: Uint8Array | string;
}

// ---------------------------------------------------------------------------------------------------------
// Zip reading

interface CdEntry {
  name: string;
  flags: number;
  method: number;
  crc: number;
  compressedSize: number;
  size: number;
  localOffset: number;
}

const SIG_LOCAL = 0x04034b50;
const SIG_CENTRAL = 0x02014b50;
const SIG_EOCD = 0x06054b50;
const SIG_EOCD64 = 0x06064b50;
const SIG_EOCD64_LOCATOR = 0x07064b50;

/** Reads and validates a package zip. Throws PackageError (see the module comment for the codes). */
export function readPackageZip(bytes: Uint8Array, limits: Partial<ReadLimits> = {}): ReadPackageResult {
  const lim: ReadLimits = { ...DEFAULT_READ_LIMITS, ...limits };
  const warnings: string[] = [];
  const { entries, dataEnd, shift } = readCentralDirectory(bytes, lim);
  checkEntries(entries, lim);

  const layout = resolveLayout(
    entries.map((e) => e.name),
    warnings,
  );
  const supplied: Partial<Record<Slot, SuppliedFile>> = {};
  for (const slot of ['app', 'flow', 'env'] as const) {
    const found = layout[slot];
    if (!found) continue;
    const entry = entries[found.index]!;
    supplied[slot] = { name: found.displayName, data: extractEntry(bytes, entry, shift, dataEnd, lim) };
  }
  const content = validateSuppliedFiles(supplied, warnings);
  return { content, files: entries.map((e) => e.name), warnings };
}

/**
 * Every file of any zip, read with the same care as a package: limits, unsafe paths, encryption and CRC-32 are
 * checked, and each failure is a PackageError with its code. For tools that look inside zips (`porter scan`).
 */
export function readZipEntries(
  bytes: Uint8Array,
  limits: Partial<ReadLimits> = {},
): { name: string; data: Uint8Array }[] {
  const lim: ReadLimits = { ...DEFAULT_READ_LIMITS, ...limits };
  const { entries, dataEnd, shift } = readCentralDirectory(bytes, lim);
  checkEntries(entries, lim);
  return entries
    .filter((entry) => !entry.name.endsWith('/'))
    .map((entry) => ({ name: entry.name, data: extractEntry(bytes, entry, shift, dataEnd, lim) }));
}

function readCentralDirectory(
  bytes: Uint8Array,
  lim: ReadLimits,
): { entries: CdEntry[]; dataEnd: number; shift: number } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const length = bytes.byteLength;
  const looksLikeZip = length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b;

  // End of central directory: the last 22 bytes, or earlier if there is a comment (≤ 65535 bytes).
  let eocd = -1;
  for (let i = length - 22; i >= 0 && i >= length - 22 - 0xffff; i--) {
    if (view.getUint32(i, true) === SIG_EOCD && i + 22 + view.getUint16(i + 20, true) <= length) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) {
    if (!looksLikeZip) throw new PackageError('NOT_A_ZIP', notAZipMessage(bytes));
    throw new PackageError(
      'CORRUPT_ZIP',
      'The zip file is damaged or incomplete (its table of contents is missing; was the download cut short?).',
    );
  }

  let count = view.getUint16(eocd + 10, true);
  let cdSize = view.getUint32(eocd + 12, true);
  let cdOffset = view.getUint32(eocd + 16, true);
  let cdEnd = eocd;
  if (count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) {
    const locator = eocd - 20;
    if (locator >= 0 && view.getUint32(locator, true) === SIG_EOCD64_LOCATOR) {
      const at = readUint64(view, locator + 8);
      if (at + 56 <= length && view.getUint32(at, true) === SIG_EOCD64) {
        count = readUint64(view, at + 32);
        cdSize = readUint64(view, at + 40);
        cdOffset = readUint64(view, at + 48);
        cdEnd = at;
      } else {
        throw corrupt('its Zip64 table of contents is damaged');
      }
    }
  }

  if (count > lim.maxEntries) {
    throw new PackageError(
      'TOO_LARGE',
      `The zip file has ${count} entries; a package has 3 files and at most ${lim.maxEntries} entries are accepted.`,
    );
  }
  const cdStart = cdEnd - cdSize;
  // Data prepended to the zip (self-extracting archives) shifts every offset by the same amount.
  const shift = cdStart - cdOffset;
  if (cdStart < 0 || shift < 0)
    throw corrupt('its table of contents points outside the file (is it truncated?)');

  const decoderUtf8 = new TextDecoder('utf-8', { fatal: true });
  const entries: CdEntry[] = [];
  let p = cdStart;
  for (let index = 0; index < count; index++) {
    if (p + 46 > cdEnd || view.getUint32(p, true) !== SIG_CENTRAL) {
      throw corrupt('its table of contents is damaged');
    }
    const flags = view.getUint16(p + 8, true);
    const method = view.getUint16(p + 10, true);
    const crc = view.getUint32(p + 16, true);
    let compressedSize = view.getUint32(p + 20, true);
    let size = view.getUint32(p + 24, true);
    const nameLength = view.getUint16(p + 28, true);
    const extraLength = view.getUint16(p + 30, true);
    const commentLength = view.getUint16(p + 32, true);
    let localOffset = view.getUint32(p + 42, true);
    const next = p + 46 + nameLength + extraLength + commentLength;
    if (next > cdEnd) throw corrupt('its table of contents is damaged');
    const rawName = bytes.subarray(p + 46, p + 46 + nameLength);
    const name = decodeName(rawName, flags, decoderUtf8);

    if (size === 0xffffffff || compressedSize === 0xffffffff || localOffset === 0xffffffff) {
      // Zip64 extended information extra field (id 0x0001): the values that overflowed, in this order.
      let e = p + 46 + nameLength;
      const extraEnd = e + extraLength;
      while (e + 4 <= extraEnd) {
        const id = view.getUint16(e, true);
        const len = view.getUint16(e + 2, true);
        if (id === 0x0001) {
          let q = e + 4;
          if (size === 0xffffffff && q + 8 <= e + 4 + len) {
            size = readUint64(view, q);
            q += 8;
          }
          if (compressedSize === 0xffffffff && q + 8 <= e + 4 + len) {
            compressedSize = readUint64(view, q);
            q += 8;
          }
          if (localOffset === 0xffffffff && q + 8 <= e + 4 + len) localOffset = readUint64(view, q);
          break;
        }
        e += 4 + len;
      }
    }
    entries.push({ name, flags, method, crc, compressedSize, size, localOffset });
    p = next;
  }
  return { entries, dataEnd: cdStart, shift };
}

function readUint64(view: DataView, at: number): number {
  return view.getUint32(at, true) + view.getUint32(at + 4, true) * 0x1_0000_0000;
}

function decodeName(raw: Uint8Array, flags: number, utf8: TextDecoder): string {
  // Bit 11 says UTF-8. Without it the spec says CP437, but macOS and most modern tools write UTF-8 anyway.
  try {
    return utf8.decode(raw);
  } catch {
    if (flags & 0x800) return new TextDecoder('utf-8').decode(raw);
    return Array.from(raw, (b) => String.fromCharCode(b)).join('');
  }
}

function notAZipMessage(bytes: Uint8Array): string {
  if (bytes.byteLength === 0) return 'The file is empty; a package is a .zip file holding three JSON files.';
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, 16));
  let what = '';
  if (head.startsWith('%PDF')) what = ' It looks like a PDF document.';
  else if (/^\s*[{[]/.test(head)) {
    what =
      ' It looks like a JSON file; to import separate JSON files, choose app_definition.json, flow_definition.json and env_variables.json instead.';
  } else if (bytes[0] === 0x1f && bytes[1] === 0x8b) what = ' It looks like a gzip (.gz) file.';
  else if (head.startsWith('Rar!')) what = ' It looks like a RAR archive.';
  else if (head.startsWith('7z')) what = ' It looks like a 7-Zip archive.';
  else if (/^\s*</.test(head))
    what = ' It looks like an HTML or XML page (a login page saved instead of the download?).';
  return `This is not a zip file.${what} A package is a .zip file holding app_definition.json, flow_definition.json and env_variables.json.`;
}

function corrupt(detail: string, problems: PackageProblem[] = []): PackageError {
  return new PackageError('CORRUPT_ZIP', `The zip file is damaged: ${detail}.`, problems);
}

/** Why a name is unsafe to extract anywhere, or null. Backslashes are read as separators (Windows tools). */
export function unsafeEntryReason(name: string): string | null {
  if (name.length === 0) return 'has an empty name';
  if (name.includes('\0')) return 'has a NUL character in its name';
  const normal = name.replace(/\\/g, '/');
  if (normal.startsWith('/')) return 'is an absolute path';
  if (/^[A-Za-z]:/.test(normal)) return 'is an absolute Windows path (drive letter)';
  if (normal.split('/').some((part) => part === '..')) return 'points outside the package ("..")';
  return null;
}

function checkEntries(entries: CdEntry[], lim: ReadLimits): void {
  const unsafe: PackageProblem[] = [];
  for (const e of entries) {
    const reason = unsafeEntryReason(e.name);
    if (reason) unsafe.push({ file: e.name, message: `"${e.name}" ${reason}` });
  }
  if (unsafe.length) {
    throw new PackageError(
      'UNSAFE_ENTRY',
      `The zip file contains ${unsafe.length === 1 ? 'an entry' : `${unsafe.length} entries`} with an unsafe path (${unsafe
        .map((u) => `"${u.file}"`)
        .join(', ')}); it was not read. Packages only hold files at their root.`,
      unsafe,
    );
  }

  const encrypted = entries.filter((e) => e.flags & 0x1 || e.flags & 0x40 || e.method === 99);
  if (encrypted.length) {
    throw new PackageError(
      'ENCRYPTED_ENTRY',
      `The zip file is password-protected (${encrypted.map((e) => `"${e.name}"`).join(', ')}). Packages are never encrypted; unzip it with its password and zip the three files again without one.`,
      encrypted.map((e) => ({ file: e.name, message: 'is encrypted' })),
    );
  }

  const seen = new Map<string, string>();
  const duplicates: PackageProblem[] = [];
  for (const e of entries) {
    const key = e.name.replace(/\\/g, '/').replace(/\/+$/, '').normalize('NFC').toLowerCase();
    const first = seen.get(key);
    if (first !== undefined) {
      duplicates.push({
        file: e.name,
        message:
          first === e.name
            ? `"${e.name}" appears more than once`
            : `"${e.name}" and "${first}" name the same file`,
      });
    } else seen.set(key, e.name);
  }
  if (duplicates.length) {
    throw new PackageError(
      'DUPLICATE_ENTRY',
      `The zip file holds the same file more than once (${duplicates.map((d) => `"${d.file}"`).join(', ')}), so it is unclear which one to use.`,
      duplicates,
    );
  }

  const tooLarge: PackageProblem[] = [];
  let total = 0;
  for (const e of entries) {
    total += e.size;
    if (e.size > lim.maxEntryBytes) {
      tooLarge.push({
        file: e.name,
        message: `"${e.name}" would unpack to ${formatBytes(e.size)} (limit ${formatBytes(lim.maxEntryBytes)})`,
      });
    } else if (
      e.size > lim.ratioThresholdBytes &&
      e.size / Math.max(1, e.compressedSize) > lim.maxCompressionRatio
    ) {
      tooLarge.push({
        file: e.name,
        message: `"${e.name}" would unpack to ${formatBytes(e.size)} from ${formatBytes(e.compressedSize)} (more than ${lim.maxCompressionRatio}× compression, typical of a zip bomb)`,
      });
    }
  }
  if (total > lim.maxTotalBytes) {
    tooLarge.push({
      message: `the files would unpack to ${formatBytes(total)} in all (limit ${formatBytes(lim.maxTotalBytes)})`,
    });
  }
  if (tooLarge.length) {
    throw new PackageError(
      'TOO_LARGE',
      `The zip file is too large to read safely: ${tooLarge.map((t) => t.message).join('; ')}.`,
      tooLarge,
    );
  }
}

function formatBytes(n: number): string {
  if (n >= MiB) return `${(n / MiB).toFixed(1)} MiB`;
  if (n >= 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${n} bytes`;
}

const JUNK: { test: (name: string) => boolean; label: string }[] = [
  { test: (n) => /(^|\/)__MACOSX(\/|$)/.test(n), label: 'macOS metadata (__MACOSX/)' },
  { test: (n) => /(^|\/)\.DS_Store$/.test(n), label: 'macOS folder settings (.DS_Store)' },
  { test: (n) => /(^|\/)\._[^/]*$/.test(n), label: 'macOS resource forks (._*)' },
  {
    test: (n) => /(^|\/)(Thumbs\.db|desktop\.ini)$/i.test(n),
    label: 'Windows folder settings (Thumbs.db, desktop.ini)',
  },
];

interface Layout {
  app?: { index: number; displayName: string };
  flow?: { index: number; displayName: string };
  env?: { index: number; displayName: string };
}

/** Decides which entries are the three files; ignores litter and extras with warnings. */
function resolveLayout(names: string[], warnings: string[]): Layout {
  const junkCounts = new Map<string, number>();
  const real: { index: number; path: string }[] = [];
  names.forEach((raw, index) => {
    const path = raw.replace(/\\/g, '/');
    if (path.endsWith('/')) return; // directory entry
    const junk = JUNK.find((j) => j.test(path));
    if (junk) {
      junkCounts.set(junk.label, (junkCounts.get(junk.label) ?? 0) + 1);
      return;
    }
    real.push({ index, path });
  });
  for (const [label, count] of junkCounts) {
    warnings.push(`Ignored ${count} ${count === 1 ? 'entry' : 'entries'} of ${label}.`);
  }

  // One folder holding everything, at any depth (the user unzipped, then zipped the folder again).
  const prefix = commonFolder(real.map((r) => r.path));
  if (prefix) {
    warnings.push(
      `The files were inside the folder "${prefix}" instead of at the root of the zip; they were read from there.`,
    );
  }

  const layout: Layout = {};
  const extras: { index: number; rel: string }[] = [];
  for (const r of real) {
    const rel = r.path.slice(prefix.length);
    const slot = slotOfName(rel);
    if (!slot) {
      extras.push({ index: r.index, rel });
      continue;
    }
    if (rel !== PACKAGE_FILES[slot] && rel.toLowerCase() === PACKAGE_FILES[slot]) {
      warnings.push(`Read "${rel}" as ${PACKAGE_FILES[slot]} (the same name in other letter case).`);
    }
    const existing = layout[slot];
    if (existing) {
      throw new PackageError(
        'DUPLICATE_ENTRY',
        `The zip file holds both "${existing.displayName}" and "${rel}", so it is unclear which flow definition to use.`,
        [{ file: rel, message: `"${existing.displayName}" and "${rel}" are the same file under two names` }],
      );
    }
    layout[slot] = { index: r.index, displayName: rel };
    if (slot === 'flow' && rel.toLowerCase() !== PACKAGE_FILES.flow) {
      warnings.push(`Read "${rel}" as ${PACKAGE_FILES.flow} (an older name for the same file).`);
    }
  }
  // A package file alone in a folder of its own (the others at the root, or in other folders) is still taken when
  // it is the only candidate, and said so.
  const ignored: string[] = [];
  for (const extra of extras) {
    const slot = slotOfName(extra.rel.split('/').pop()!);
    const candidates = slot ? extras.filter((e) => slotOfName(e.rel.split('/').pop()!) === slot) : [];
    if (slot && !layout[slot] && candidates.length === 1) {
      layout[slot] = { index: extra.index, displayName: extra.rel };
      warnings.push(
        `Read "${extra.rel}" as ${PACKAGE_FILES[slot]}: package files belong at the root of the zip.`,
      );
    } else ignored.push(names[extra.index]!);
  }
  if (!layout.app && !layout.flow) refuseOtherArchives(extras.map((extra) => extra.rel));
  if (ignored.length) {
    warnings.push(
      `Ignored ${ignored.length === 1 ? 'a file' : `${ignored.length} files`} that ${ignored.length === 1 ? 'is' : 'are'} not part of a package: ${ignored.map((e) => `"${e}"`).join(', ')}.`,
    );
  }
  return layout;
}

/**
 * A zip with no package of its own but packages inside: a bulk archive (one folder per workflow) or a package
 * zipped again. Said as such, rather than "app_definition.json is missing".
 */
function refuseOtherArchives(paths: readonly string[]): void {
  const folders = [
    ...new Set(
      paths
        .filter((path) => path.includes('/') && slotOfName(path.split('/').pop()!))
        .map((path) => path.slice(0, path.lastIndexOf('/') + 1)),
    ),
  ];
  const quoted = (names: string[]) =>
    names
      .slice(0, 3)
      .map((name) => `"${name}"`)
      .join(', ') + (names.length > 3 ? ', …' : '');
  if (folders.length > 1) {
    const message = `This zip holds ${folders.length} packages, one per folder (${quoted(folders)}), as a bulk export does; give Porter one workflow's package: its folder's three files, or that folder zipped on its own.`;
    throw new PackageError('MISSING_FILE', message, [{ message }]);
  }
  const zips = paths.filter((path) => /\.zip$/i.test(path));
  if (zips.length > 0) {
    const message = `This zip holds no package files but ${zips.length === 1 ? 'a zip' : `${zips.length} zips`} (${quoted(zips)}): a package zipped again? Unzip it once and give Porter ${zips.length === 1 ? 'the zip inside' : 'one of the zips inside'}.`;
    throw new PackageError('MISSING_FILE', message, [{ message }]);
  }
}

const FLOW_NAMES: readonly string[] = [PACKAGE_FILES.flow, ...FLOW_FILE_ALIASES];

/** The package file a name stands for, in any letter case (the file systems people zip on often ignore it). */
function slotOfName(name: string): Slot | undefined {
  const lower = name.toLowerCase();
  if (lower === PACKAGE_FILES.app) return 'app';
  if (lower === PACKAGE_FILES.env) return 'env';
  return FLOW_NAMES.includes(lower) ? 'flow' : undefined;
}

/** The names of the zip compression methods other tools write (APPNOTE 4.4.5): only 0 and 8 are read. */
const COMPRESSION_METHOD_NAMES: Record<number, string> = {
  9: 'Deflate64 (method 9)',
  12: 'bzip2 (method 12)',
  14: 'LZMA (method 14)',
  93: 'Zstandard (method 93)',
  95: 'XZ (method 95)',
  98: 'PPMd (method 98)',
};

/** The deepest folder (`a/b/`) that holds every path, or "" when some file is at the root. */
function commonFolder(paths: readonly string[]): string {
  if (paths.length === 0) return '';
  let folders = paths[0]!.split('/').slice(0, -1);
  for (const path of paths.slice(1)) {
    const segments = path.split('/').slice(0, -1);
    let shared = 0;
    while (shared < folders.length && shared < segments.length && folders[shared] === segments[shared])
      shared++;
    folders = folders.slice(0, shared);
  }
  return folders.length ? `${folders.join('/')}/` : '';
}

const INFLATE_CHUNK = 32 * 1024;

function extractEntry(
  bytes: Uint8Array,
  entry: CdEntry,
  shift: number,
  dataEnd: number,
  lim: ReadLimits,
): Uint8Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const at = entry.localOffset + shift;
  if (at + 30 > dataEnd || view.getUint32(at, true) !== SIG_LOCAL) {
    throw corrupt(`the entry "${entry.name}" cannot be found where the table of contents says`, [
      { file: entry.name, message: 'local header missing' },
    ]);
  }
  const start = at + 30 + view.getUint16(at + 26, true) + view.getUint16(at + 28, true);
  const end = start + entry.compressedSize;
  if (end > dataEnd) {
    throw corrupt(`"${entry.name}" is cut short (is the file truncated?)`, [
      { file: entry.name, message: 'truncated' },
    ]);
  }
  const raw = bytes.subarray(start, end);
  let out: Uint8Array;
  if (entry.method === 0) {
    if (entry.compressedSize !== entry.size)
      throw corrupt(`"${entry.name}" has inconsistent sizes`, [
        { file: entry.name, message: 'size mismatch' },
      ]);
    out = raw;
  } else if (entry.method === 8) {
    out = inflateBounded(raw, entry, lim);
  } else {
    const method = COMPRESSION_METHOD_NAMES[entry.method] ?? `method ${entry.method}`;
    throw new PackageError(
      'CORRUPT_ZIP',
      `"${entry.name}" uses a compression method, ${method}, that AFP Porter cannot read; zip the files again with standard settings.`,
      [
        {
          file: entry.name,
          message: `compressed with ${method}, which AFP Porter cannot read: zip it again with standard (deflate) compression`,
        },
      ],
    );
  }
  if (crc32(out) !== entry.crc) {
    throw corrupt(
      `"${entry.name}" does not match its checksum (CRC-32); the file was damaged in transit or on disk`,
      [{ file: entry.name, message: 'CRC-32 mismatch' }],
    );
  }
  return out;
}

function inflateBounded(raw: Uint8Array, entry: CdEntry, lim: ReadLimits): Uint8Array {
  const limit = Math.min(entry.size, lim.maxEntryBytes);
  const out = new Uint8Array(limit);
  let written = 0;
  let overflow = false;
  const inflater = new Inflate((chunk) => {
    if (written + chunk.length > limit) {
      overflow = true;
      return;
    }
    out.set(chunk, written);
    written += chunk.length;
  });
  try {
    for (let p = 0; p < raw.length && !overflow; p += INFLATE_CHUNK) {
      const end = Math.min(raw.length, p + INFLATE_CHUNK);
      inflater.push(raw.subarray(p, end), end === raw.length);
    }
    if (raw.length === 0) inflater.push(new Uint8Array(0), true);
  } catch (cause) {
    throw corrupt(`"${entry.name}" cannot be decompressed (${(cause as Error)?.message ?? 'invalid data'})`, [
      { file: entry.name, message: 'invalid deflate data' },
    ]);
  }
  if (overflow) {
    throw new PackageError(
      'TOO_LARGE',
      `"${entry.name}" unpacks to more than the ${formatBytes(entry.size)} it declares; reading stopped (a zip bomb or a damaged file).`,
      [{ file: entry.name, message: 'inflates beyond its declared size' }],
    );
  }
  if (written !== entry.size) {
    throw corrupt(`"${entry.name}" unpacks to ${written} bytes instead of ${entry.size}`, [
      { file: entry.name, message: 'size mismatch' },
    ]);
  }
  return out;
}

let CRC_TABLE: Int32Array | undefined;

function crcTable(): Int32Array {
  if (CRC_TABLE) return CRC_TABLE;
  // Slicing-by-8: table k (k = 0..7) at [k * 256, k * 256 + 256).
  const table = new Int32Array(8 * 256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c;
  }
  for (let n = 0; n < 256; n++) {
    let c = table[n]!;
    for (let k = 1; k < 8; k++) {
      c = table[c & 0xff]! ^ (c >>> 8);
      table[k * 256 + n] = c;
    }
  }
  CRC_TABLE = table;
  return table;
}

/** CRC-32 (IEEE 802.3), slicing-by-8 (a few hundred MB/s to over 1 GB/s in V8). */
export function crc32(data: Uint8Array, seed = 0): number {
  const t = crcTable();
  let crc = ~seed;
  let i = 0;
  const n = data.length;
  for (const end8 = n - (n % 8); i < end8; i += 8) {
    const lo = (crc ^ (data[i]! | (data[i + 1]! << 8) | (data[i + 2]! << 16) | (data[i + 3]! << 24))) >>> 0;
    const hi = data[i + 4]! | (data[i + 5]! << 8) | (data[i + 6]! << 16) | (data[i + 7]! << 24);
    crc =
      t[1792 + (lo & 0xff)]! ^
      t[1536 + ((lo >>> 8) & 0xff)]! ^
      t[1280 + ((lo >>> 16) & 0xff)]! ^
      t[1024 + (lo >>> 24)]! ^
      t[768 + (hi & 0xff)]! ^
      t[512 + ((hi >>> 8) & 0xff)]! ^
      t[256 + ((hi >>> 16) & 0xff)]! ^
      t[(hi >>> 24) & 0xff]!;
  }
  for (; i < n; i++) crc = t[(crc ^ data[i]!) & 0xff]! ^ (crc >>> 8);
  return ~crc >>> 0;
}

// ---------------------------------------------------------------------------------------------------------
// Separately supplied files

/**
 * Validates separately supplied JSON files (the import dialogs take three files). Keys are file names
 * (a path is reduced to its last part), or the slot names `app`, `flow`, `env`. A file whose name is not
 * recognised (e.g. `flow_definition (1).json`) is placed by its content, with a warning.
 */
export function readPackageFiles(files: Record<string, Uint8Array | string>): ReadPackageResult {
  const warnings: string[] = [];
  const supplied: Partial<Record<Slot, SuppliedFile>> = {};
  const unplaced: { key: string; data: Uint8Array | string }[] = [];
  const flowNames = [PACKAGE_FILES.flow, ...FLOW_FILE_ALIASES] as string[];

  const place = (slot: Slot, name: string, data: Uint8Array | string) => {
    const existing = supplied[slot];
    if (existing) {
      throw new PackageError(
        'DUPLICATE_ENTRY',
        `Two files were given for ${PACKAGE_FILES[slot]}: "${existing.name}" and "${name}".`,
        [{ file: name, message: `another file for ${PACKAGE_FILES[slot]}` }],
      );
    }
    supplied[slot] = { name, data };
  };

  for (const [key, data] of Object.entries(files)) {
    const base = key.split(/[\\/]/).pop() ?? key;
    if (key === 'app' || base === PACKAGE_FILES.app) place('app', PACKAGE_FILES.app, data);
    else if (key === 'env' || base === PACKAGE_FILES.env) place('env', PACKAGE_FILES.env, data);
    else if (key === 'flow') place('flow', PACKAGE_FILES.flow, data);
    else if (flowNames.includes(base)) {
      place('flow', base, data);
      if (base !== PACKAGE_FILES.flow)
        warnings.push(`Read "${base}" as ${PACKAGE_FILES.flow} (an older name for the same file).`);
    } else unplaced.push({ key: base, data });
  }
  for (const { key, data } of unplaced) {
    const slot = sniffSlot(data);
    if (slot && !supplied[slot]) {
      supplied[slot] = { name: key, data };
      warnings.push(`Read "${key}" as ${PACKAGE_FILES[slot]} (recognised by its content).`);
    } else {
      warnings.push(`Ignored "${key}": it is not one of the package files.`);
    }
  }
  const content = validateSuppliedFiles(supplied, warnings);
  return { content, files: Object.keys(files), warnings };
}

function sniffSlot(data: Uint8Array | string): Slot | undefined {
  let text: string;
  try {
    text = typeof data === 'string' ? data : new TextDecoder('utf-8', { fatal: true }).decode(data);
  } catch {
    return undefined;
  }
  const parsed = parseJson(text);
  return parsed.ok ? slotOfValue(parsed.value) : undefined;
}

/** Which package file a parsed JSON value is, by the keys only that file has. */
function slotOfValue(v: unknown): Slot | undefined {
  if (Array.isArray(v)) return 'env';
  if (!v || typeof v !== 'object') return undefined;
  if ('nodes' in v) return 'flow';
  if ('variables' in v) return 'env';
  if ('workflow' in v || 'io' in v) return 'app';
  return undefined;
}

// ---------------------------------------------------------------------------------------------------------
// Shared validation

const SEVERITY: PackageErrorCode[] = [
  'MISSING_FILE',
  'INVALID_JSON',
  'UNSUPPORTED_SCHEMA_VERSION',
  'SCHEMA_MISMATCH',
];

interface CodedProblem extends PackageProblem {
  code: PackageErrorCode;
}

function validateSuppliedFiles(
  supplied: Partial<Record<Slot, SuppliedFile>>,
  warnings: string[],
): PackageContent {
  const problems: CodedProblem[] = [];

  if (!supplied.flow) {
    problems.push({
      code: 'MISSING_FILE',
      file: PACKAGE_FILES.flow,
      message: `${PACKAGE_FILES.flow} is missing (the nodes of the workflow; also accepted as ${FLOW_FILE_ALIASES.join(', ')})`,
    });
  }
  if (!supplied.app) {
    problems.push({
      code: 'MISSING_FILE',
      file: PACKAGE_FILES.app,
      message: `${PACKAGE_FILES.app} is missing (the workflow's name, inputs and outputs)`,
    });
  }

  const app = supplied.app ? checkFile(supplied.app, 'app', appDefinitionSchema, problems) : undefined;
  const flow = supplied.flow ? checkFile(supplied.flow, 'flow', flowDefinitionSchema, problems) : undefined;
  let env: EnvVariables | undefined;
  if (supplied.env)
    env = checkFile(supplied.env, 'env', envVariablesSchema, problems) as EnvVariables | undefined;
  else {
    warnings.push(
      `${PACKAGE_FILES.env} is missing; the package was read as having no environment variables.`,
    );
    env = { schemaVersion: CURRENT_SCHEMA_VERSION, variables: [] };
  }

  if (problems.length) throw aggregate(problems);
  return { app: app as AppDefinition, flow: flow as FlowDefinition, env: env! };
}

/** What each file holds, in words, for a file found in another's place. */
const SLOT_CONTENT: Record<Slot, string> = {
  app: "the workflow's name, inputs and outputs",
  flow: 'the nodes of the workflow',
  env: 'the environment variables',
};

function checkFile<T>(
  file: SuppliedFile,
  slot: Slot,
  schema: z.ZodType<T>,
  problems: CodedProblem[],
): T | undefined {
  let text: string;
  if (typeof file.data === 'string')
    text = file.data.charCodeAt(0) === 0xfeff ? file.data.slice(1) : file.data;
  else if (utf16Encoding(file.data.subarray(0, 512))) {
    problems.push({
      code: 'INVALID_JSON',
      file: file.name,
      message: 'is UTF-16 text; JSON files must be UTF-8: save it again as UTF-8',
    });
    return undefined;
  } else {
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(file.data);
    } catch {
      problems.push({
        code: 'INVALID_JSON',
        file: file.name,
        message: 'is not UTF-8 text (JSON files must be UTF-8)',
      });
      return undefined;
    }
  }
  const parsed = parseJson(text);
  if (!parsed.ok) {
    const { line, column, message } = parsed.error;
    problems.push({
      code: 'INVALID_JSON',
      file: file.name,
      // The place says where; the message only what (every reader prints both: no position said twice).
      path: `line ${line}, column ${column}`,
      message,
    });
    return undefined;
  }
  const value = parsed.value;

  // Version first, so a newer file gets one clear message rather than a list of field problems.
  if (value && typeof value === 'object' && !Array.isArray(value) && 'schemaVersion' in value) {
    const version = (value as { schemaVersion: unknown }).schemaVersion;
    const major = schemaMajor(version);
    if (Number.isFinite(major) && major > SUPPORTED_SCHEMA_MAJOR) {
      problems.push({
        code: 'UNSUPPORTED_SCHEMA_VERSION',
        file: file.name,
        path: 'schemaVersion',
        message: `was made by a newer version of the platform (schema ${String(version)}); this version of AFP Porter reads schema ${SUPPORTED_SCHEMA_MAJOR}.x. Update AFP Porter to read it.`,
      });
      return undefined;
    }
  }

  const result = schema.safeParse(value);
  if (result.success) return result.data;
  // Another file's content in this file's place: one line that says so, not that file's every missing field.
  const holds = Array.isArray(value) ? undefined : slotOfValue(value);
  if (holds && holds !== slot) {
    problems.push({
      code: 'SCHEMA_MISMATCH',
      file: file.name,
      message: `holds ${SLOT_CONTENT[holds]} (what ${PACKAGE_FILES[holds]} holds), not ${SLOT_CONTENT[slot]}: were the files swapped or renamed?`,
    });
    return undefined;
  }
  for (const issue of issuesAsWritten(result.error.issues, value)) {
    problems.push({
      code: 'SCHEMA_MISMATCH',
      file: file.name,
      path: formatIssuePath(issue.path),
      message: issue.message,
    });
  }
  return undefined;
}

interface LooseIssue {
  path: PropertyKey[];
  message: string;
}

/** A bare env array is read as `{variables: [...]}`: its problems are reported at their place in the array. */
function issuesAsWritten(issues: readonly LooseIssue[], input: unknown): LooseIssue[] {
  return issues.map((issue) => ({
    ...issue,
    path: Array.isArray(input) && issue.path[0] === 'variables' ? issue.path.slice(1) : [...issue.path],
  }));
}

function aggregate(problems: CodedProblem[]): PackageError {
  const code = SEVERITY.find((c) => problems.some((p) => p.code === c)) ?? 'SCHEMA_MISMATCH';
  const headline = problems.filter((p) => p.code === code);
  const plain: PackageProblem[] = problems.map(({ code: _code, ...rest }) => rest);
  const others = problems.length - headline.length;
  const files = [...new Set(headline.map((p) => p.file).filter(Boolean))] as string[];
  let message: string;
  switch (code) {
    case 'MISSING_FILE':
      message = `The package is incomplete: ${headline.map((p) => p.message).join('; ')}.`;
      break;
    case 'INVALID_JSON':
      message = `${headline.map((p) => `${p.file} is not valid JSON (${[p.path, p.message].filter(Boolean).join(': ')})`).join('; ')}.`;
      break;
    case 'UNSUPPORTED_SCHEMA_VERSION':
      message = headline.map((p) => `${p.file} ${p.message}`).join(' ');
      break;
    default: {
      const first = headline[0]!;
      message = `The package does not have the expected format: ${headline.length} ${headline.length === 1 ? 'problem' : 'problems'} in ${files.join(' and ')}. First: ${first.file} ${first.path}: ${first.message}.`;
    }
  }
  if (others > 0)
    message += ` There ${others === 1 ? 'is 1 more problem' : `are ${others} more problems`} in the list.`;
  return new PackageError(code, message, plain);
}
