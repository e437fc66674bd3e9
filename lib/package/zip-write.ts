/**
 * Writing packages: three JSON files at the root of a zip, byte-for-byte deterministic.
 *
 * - JSON is `JSON.stringify(value, null, 2)` plus a trailing newline, keys in the order the content has them
 *   (the order of the product's export; we do not sort, so a package reads like the product's own). The same
 *   content object therefore always gives the same bytes.
 * - The zip is written by client-zip (stored, no compression: faster, and JSON packages are small enough),
 *   with every entry's modification time fixed at {@link PACKAGE_TIMESTAMP}.
 *
 * About that timestamp: a zip stores DOS date/time, which has no time zone; client-zip fills it from the
 * Date's LOCAL fields (`getFullYear()`, `getHours()`…). A fixed instant (`new Date(Date.UTC(…))`) would give
 * different bytes in Kolkata and in London. So we build the Date from local fields
 * (`new Date(1980, 0, 1, 12, 0, 0)`), whose local fields read back as exactly 1980-01-01 12:00:00 in every
 * time zone. Noon, not midnight: no time zone has a daylight-saving gap at noon on 1 January 1980, so the
 * local time always exists. 1980-01-01 is the earliest DOS date (what reproducible-build tools use).
 *
 * Memory. A package can be tens of MB, so no file is ever held as one string, and its bytes are written once,
 * straight to where they sit in the zip:
 * - {@link writeCanonicalJson} gives a file's canonical JSON as a sequence of small pieces (runs of members
 *   stringified together, ~64 K characters each), byte-identical to `canonicalJson` once joined.
 * - {@link serializePackage} counts the files' UTF-8 lengths (or takes them from the leak check that just
 *   serialized the same content), allocates ONE buffer of the exact size of the zip and encodes every chunk
 *   into its place there (`TextEncoder.encodeInto`); the files it returns are views into that buffer.
 * - {@link zipFiles}, given such files, lets client-zip fill in the headers around them, in place: the zip is
 *   that buffer, nothing is copied. Any other files are copied once into an exact-size buffer.
 */
import { makeZip, predictLength } from 'client-zip';
import { PACKAGE_FILES, type PackageContent } from './schemas.ts';

/** The local-time fields every entry carries: 1980-01-01 12:00:00 (see the module comment). */
export const PACKAGE_TIMESTAMP_FIELDS = [1980, 0, 1, 12, 0, 0] as const;

function packageTimestamp(): Date {
  const [y, mo, d, h, mi, s] = PACKAGE_TIMESTAMP_FIELDS;
  return new Date(y, mo, d, h, mi, s);
}

export interface PackageFile {
  name: string;
  data: Uint8Array;
}

/** Canonical text of one package file: 2-space indented JSON with a trailing newline. */
export function canonicalJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

// ---------------------------------------------------------------------------------------------------------
// Canonical JSON in chunks
// ---------------------------------------------------------------------------------------------------------

/**
 * Receives the text of a file piece by piece, in order: joined, the pieces are the file. A piece never cuts a
 * string, a number or a line break sequence; it may end in the middle of a line. `sealed`: the piece is the
 * text of whole members that {@link SealTest} vouched for (it starts a line; see there).
 */
export type ChunkSink = (chunk: string, sealed: boolean) => void;

/**
 * Asked about every member of an array or object being written (`key` undefined for an array element): true
 * when its text needs no further look (the leak check: a subtree the redaction proved clean). Sealed members
 * are written in pieces of their own, each starting a line and holding only sealed members' text; every
 * member of a sealed array or object is sealed too.
 */
export type SealTest = (value: unknown, key: string | undefined) => boolean;

const GAP = '  ';
/** The root and its members are always split (a flow's nodes come in batches)… */
const SPLIT_DEPTH = 2;
/** …and, deeper, any array with at least this many elements. */
const SPLIT_LENGTH = 64;
/** Nesting beyond this is never split (each split level is one JS stack frame). */
const MAX_SPLIT_DEPTH = 64;
/** Members are stringified together, in batches of about this many characters (small, short-lived strings). */
const BATCH_CHARS = 65_536;
const MAX_BATCH = 4_096;

type Holder = Record<string, unknown>;

export const hasToJson = (value: unknown): boolean =>
  ((typeof value === 'object' && value !== null) || typeof value === 'bigint') &&
  typeof (value as { toJSON?: unknown }).toJSON === 'function';

/** An array or a plain object whose members JSON.stringify writes one by one, with no toJSON of its own. */
function isSplittable(value: unknown): value is Holder | unknown[] {
  if (typeof value !== 'object' || value === null || hasToJson(value)) return false;
  if (Array.isArray(value)) return true;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** What JSON.stringify leaves out of an object (an array writes `null` instead). */
const isOmitted = (value: unknown): boolean =>
  value === undefined || typeof value === 'function' || typeof value === 'symbol';

/**
 * `level` arrays around a value, as JSON.stringify(…, null, 2) writes them before and after it: the value
 * inside comes out exactly as it would at that nesting level, and is cut out by a slice (no copy).
 */
const wrappers: Array<{ before: number; after: number }> = [];
function wrapperAt(level: number): { before: number; after: number } {
  let wrapper = wrappers[level];
  if (!wrapper) {
    let before = 0;
    let after = 0;
    for (let k = 0; k < level; k++) {
      before += 2 * k + 2; // indentation, '[', '\n'
      after += 2 * k + 2; // '\n', indentation, ']'
    }
    wrapper = { before: before + 2 * level, after };
    wrappers[level] = wrapper;
  }
  return wrapper;
}

function wrap(value: unknown, level: number): unknown {
  let wrapped = value;
  for (let k = 0; k < level; k++) wrapped = [wrapped];
  return wrapped;
}

/**
 * The members of `batch` (an array, or an object with every member written) as JSON.stringify writes them at
 * `level` + 1 inside a container at `level`: from the first member's indentation to the end of the last one.
 */
function membersAt(batch: unknown[] | Holder, level: number): string {
  const text = JSON.stringify(wrap(batch, level), null, 2);
  const { before, after } = wrapperAt(level);
  // Skip the batch's own bracket and line break; drop its line break, indentation and closing bracket.
  return text.slice(before + 2, text.length - after - 2 - 2 * level);
}

/** A value at `level` as JSON.stringify writes it there (not omitted, no toJSON: the caller sees to both). */
function valueAt(value: unknown, level: number): string {
  if (level === 0) return JSON.stringify(value, null, 2);
  const text = JSON.stringify(wrap(value, level), null, 2);
  const { before, after } = wrapperAt(level);
  return text.slice(before, text.length - after);
}

/**
 * A member with toJSON, at `indent`, or undefined when JSON.stringify leaves it out: through a one-member
 * holder, so that toJSON receives the member's real key and its result is not asked for a toJSON again.
 */
function toJsonMemberText(key: string, value: unknown, indent: string): string | undefined {
  const holder: Holder = Object.create(null) as Holder;
  holder[key] = value;
  const wrapped = JSON.stringify(holder, null, 2);
  if (wrapped === '{}') return undefined;
  // `{\n  "key": TEXT\n}`: every line break in TEXT is followed by the holder's two spaces.
  const text = wrapped.slice(4 + JSON.stringify(key).length + 2, -2);
  return text.includes('\n') ? text.replaceAll(`\n${GAP}`, `\n${indent}`) : text;
}

/**
 * Writes `container` (splittable) at nesting `level`, from its opening to its closing bracket, as
 * JSON.stringify(…, null, 2) writes it there. Runs of ordinary members are stringified a batch at a time;
 * members that are big arrays or objects are written the same way, one level down.
 */
function writeContainer(
  container: Holder | unknown[],
  level: number,
  sink: ChunkSink,
  seal: SealTest | undefined,
  sealed: boolean,
): void {
  const isArray = Array.isArray(container);
  const keys = isArray ? null : Object.keys(container);
  const count = isArray ? container.length : keys!.length;
  if (
    count === 0 ||
    level >= MAX_SPLIT_DEPTH ||
    (level >= SPLIT_DEPTH && !isArray) ||
    (level >= SPLIT_DEPTH && count < SPLIT_LENGTH)
  ) {
    sink(valueAt(container, level), false);
    return;
  }
  const indent = GAP.repeat(level + 1);
  let wrote = false;
  const separator = () => {
    sink(wrote ? ',\n' : isArray ? '[\n' : '{\n', false);
    wrote = true;
  };
  let batch: unknown[] | Holder | null = null;
  let batched = 0;
  let batchSize = 8;
  /** Whether the members in `batch` are sealed (a batch never mixes sealed and other members). */
  let batchSealed = false;
  const flush = () => {
    if (!batch) return;
    separator();
    const text = membersAt(batch, level);
    sink(text, batchSealed);
    batchSize = Math.max(
      1,
      Math.min(MAX_BATCH, Math.floor((BATCH_CHARS * batched) / Math.max(1, text.length))),
    );
    batch = null;
    batched = 0;
  };
  for (let i = 0; i < count; i++) {
    const key = isArray ? '' : keys![i]!;
    // Read once, as JSON.stringify does (a getter runs once).
    const value: unknown = isArray ? container[i] : (container as Holder)[key];
    if (!isArray && isOmitted(value)) continue;
    const memberSealed = sealed || (seal !== undefined && seal(value, isArray ? undefined : key));
    const splits =
      isSplittable(value) &&
      level + 1 < MAX_SPLIT_DEPTH &&
      (level + 1 < SPLIT_DEPTH || (Array.isArray(value) && value.length >= SPLIT_LENGTH));
    if (splits || hasToJson(value)) {
      flush();
      const prefix = isArray ? indent : `${indent}${JSON.stringify(key)}: `;
      if (splits) {
        separator();
        sink(prefix, false);
        writeContainer(value as Holder | unknown[], level + 1, sink, seal, memberSealed);
      } else {
        const text = toJsonMemberText(isArray ? String(i) : key, value, indent);
        if (text === undefined && !isArray) continue;
        separator();
        sink(`${prefix}${text ?? 'null'}`, false);
      }
      continue;
    }
    if (batch && batchSealed !== memberSealed) flush();
    batchSealed = memberSealed;
    if (isArray) ((batch ??= []) as unknown[]).push(value);
    else ((batch ??= Object.create(null) as Holder) as Holder)[key] = value;
    if (++batched >= batchSize) flush();
  }
  flush();
  // Every member left out (undefined, functions, symbols): an empty object.
  sink(wrote ? `\n${GAP.repeat(level)}${isArray ? ']' : '}'}` : '{}', false);
}

/**
 * `canonicalJson(value)` in pieces (see {@link ChunkSink}), never the whole file as one string (unless the
 * file is one value that cannot be split): joined, they are byte-identical to `canonicalJson(value)`.
 */
export function writeCanonicalJson(value: unknown, sink: ChunkSink, seal?: SealTest): void {
  if (!isSplittable(value)) {
    sink(canonicalJson(value), false);
    return;
  }
  writeContainer(value, 0, sink, seal, false);
  sink('\n', false);
}

// ---------------------------------------------------------------------------------------------------------
// UTF-8 bytes, written where they sit in the zip
// ---------------------------------------------------------------------------------------------------------

const NON_ASCII = /[\u0080-\uffff]/;

/** Bytes of `text` in UTF-8, as TextEncoder writes it (a lone surrogate becomes U+FFFD, 3 bytes). */
export function utf8Length(text: string): number {
  const first = text.search(NON_ASCII);
  if (first < 0) return text.length;
  let bytes = first;
  for (let i = first; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

/** What JSON.stringify writes as a string's escape, and every character outside printable ASCII. */
// eslint-disable-next-line no-control-regex -- control characters are exactly what JSON escapes
const NEEDS_COUNTING = /["\\\u0000-\u001f\u007f-\uffff]/;

/** UTF-8 bytes of `text` as a JSON string literal (quotes, escapes, well-formed lone surrogates). */
function jsonStringLength(text: string): number {
  if (!NEEDS_COUNTING.test(text)) return text.length + 2;
  let bytes = 2;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 34 || code === 92)
      bytes += 2; // \" \\
    else if (code < 0x20)
      bytes += code === 8 || code === 9 || code === 10 || code === 12 || code === 13 ? 2 : 6;
    else if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 4;
      i++;
    } else if (code >= 0xd800 && code <= 0xdfff)
      bytes += 6; // a lone surrogate: \udxxx
    else bytes += 3;
  }
  return bytes;
}

/**
 * UTF-8 bytes of a JSON leaf as JSON.stringify writes it (a string, a number, a boolean, null); `undefined` for
 * what it leaves out of an object (undefined, a function, a symbol); -1 for anything else (an object, a bigint).
 */
export function jsonLeafLength(value: unknown): number | undefined {
  switch (typeof value) {
    case 'string':
      return jsonStringLength(value);
    case 'number':
      return Number.isFinite(value) ? String(value).length : 4;
    case 'boolean':
      return value ? 4 : 5;
    case 'undefined':
    case 'function':
    case 'symbol':
      return undefined;
    case 'object':
      return value === null ? 4 : -1;
    default:
      return -1;
  }
}

/**
 * Bytes a member of length `length` adds inside a container at nesting `level`: a line break's indentation,
 * the member (an object's with its key), and one of the line breaks and commas `jsonContainerLength` counts.
 */
export const jsonMemberLength = (key: string | undefined, length: number, level: number): number =>
  2 * (level + 1) + (key === undefined ? 0 : jsonStringLength(key) + 2) + length;

/**
 * Bytes of a container at nesting `level` from its `members` members' `jsonMemberLength`s: `{` or `[`, per
 * member a line break and a comma but after the last, then a line break, the closing indentation and the
 * bracket. Empty: `{}` / `[]`.
 */
export const jsonContainerLength = (memberBytes: number, members: number, level: number): number =>
  members === 0 ? 2 : memberBytes + 2 + 2 * members + 2 * level;

/**
 * UTF-8 bytes of `JSON.stringify(value, null, 2)` for a value at nesting `level`, counted without writing it;
 * -1 for anything but plain JSON data (toJSON, a class instance, a bigint: the caller writes those to count).
 * `undefined` for a member JSON.stringify leaves out.
 */
function jsonLength(value: unknown, level: number): number | undefined {
  if (typeof value !== 'object' || value === null) return jsonLeafLength(value);
  if (!isSplittable(value)) return -1;
  let bytes = 0;
  let members = 0;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const length = jsonLength(value[i], level + 1);
      if (length === -1) return -1;
      bytes += jsonMemberLength(undefined, length ?? 4, level); // an array writes `null` for what an object leaves out
      members++;
    }
  } else {
    for (const key of Object.keys(value)) {
      const length = jsonLength(value[key], level + 1);
      if (length === undefined) continue;
      if (length === -1) return -1;
      bytes += jsonMemberLength(key, length, level);
      members++;
    }
  }
  return jsonContainerLength(bytes, members, level);
}

/** UTF-8 length of `canonicalJson(value)`, without ever holding it whole (counted, not written, for JSON data). */
export function canonicalJsonLength(value: unknown): number {
  const counted = jsonLength(value, 0);
  if (counted !== undefined && counted >= 0) return counted + 1;
  let length = 0;
  writeCanonicalJson(value, (chunk) => {
    length += utf8Length(chunk);
  });
  return length;
}

/** What client-zip writes around a stored entry of known size (below 4 GiB: no zip64). */
const LOCAL_HEADER = 30;
const DATA_DESCRIPTOR = 16;
const CENTRAL_HEADER = 46;
const END_OF_CENTRAL_DIRECTORY = 22;

interface ZipLayout {
  names: string[];
  /** Where each file's data starts in the zip, and its length. */
  offsets: number[];
  sizes: number[];
  total: number;
}

/** The layout client-zip will give these entries, or null if it is not the simple one (checked by predictLength). */
function zipLayout(names: readonly string[], sizes: readonly number[]): ZipLayout | null {
  const encoder = new TextEncoder();
  const offsets: number[] = [];
  let at = 0;
  let central = 0;
  for (let i = 0; i < names.length; i++) {
    const nameLength = encoder.encode(names[i]).length;
    offsets.push(at + LOCAL_HEADER + nameLength);
    at += LOCAL_HEADER + nameLength + sizes[i]! + DATA_DESCRIPTOR;
    central += CENTRAL_HEADER + nameLength;
  }
  const total = at + central + END_OF_CENTRAL_DIRECTORY;
  const predicted = predictLength(names.map((name, i) => ({ name, size: sizes[i]! })));
  if (BigInt(total) !== predicted || total >= 0xffffffff) return null;
  return { names: [...names], offsets, sizes: [...sizes], total };
}

/**
 * Buffers made by {@link writePackageFiles} whose gaps zipFiles may fill with headers: only ours, and only
 * once (a second zipFiles of the same files copies, so two zips never share memory).
 */
const zipReady = new WeakMap<ArrayBufferLike, ZipLayout>();

/** Receives every chunk of file `index`, before it is encoded into the package (`sealed`: see ChunkSink). */
export type ChunkObserver = (index: number, chunk: string, sealed: boolean) => void;

/**
 * The files (`values[i]` as `names[i]`, in order) written as canonical JSON into one buffer laid out as their
 * zip, given their exact UTF-8 `sizes`; `observe` sees every chunk just before it is encoded. Returns null
 * (and leaves nothing behind) when a file's bytes do not come to its size (a wrong size hint, a value that
 * changed since it was measured) or the zip would not have the simple layout.
 */
export function writePackageFiles(
  names: readonly string[],
  values: readonly unknown[],
  sizes: readonly number[],
  observe?: ChunkObserver,
  seal?: SealTest,
): PackageFile[] | null {
  const layout = zipLayout(names, sizes);
  if (!layout) return null;
  const bytes = new Uint8Array(layout.total);
  const encoder = new TextEncoder();
  for (let i = 0; i < values.length; i++) {
    let at = layout.offsets[i]!;
    const end = at + layout.sizes[i]!;
    let fits = true;
    writeCanonicalJson(
      values[i],
      (chunk, sealed) => {
        observe?.(i, chunk, sealed);
        if (!fits) return;
        const { read, written } = encoder.encodeInto(chunk, bytes.subarray(at, end));
        if (read !== chunk.length) fits = false;
        at += written;
      },
      seal,
    );
    if (!fits || at !== end) return null;
  }
  zipReady.set(bytes.buffer, layout);
  return names.map((name, i) => ({
    name,
    data: bytes.subarray(layout.offsets[i], layout.offsets[i]! + layout.sizes[i]!),
  }));
}

const FILE_NAMES = [PACKAGE_FILES.app, PACKAGE_FILES.flow, PACKAGE_FILES.env];
const filesOf = (content: PackageContent): unknown[] => [content.app, content.flow, content.env];

/**
 * UTF-8 sizes of the three files of a content object, as a check that has just serialized it measured them:
 * spares serializePackage its counting pass. Only a hint: a wrong one is caught while writing (the size must
 * come out exact) and the files are then measured again.
 * @internal for redact.ts
 */
const sizeHints = new WeakMap<PackageContent, readonly number[]>();
export function hintPackageSizes(content: PackageContent, sizes: readonly number[]): void {
  if (sizes.length === FILE_NAMES.length) sizeHints.set(content, [...sizes]);
}

/**
 * The three files, in the fixed order app, flow, env, as UTF-8 bytes. The bytes of all three are views into
 * one buffer laid out as their zip, so {@link zipFiles} of them (in this order) copies nothing.
 */
export function serializePackage(content: PackageContent): PackageFile[] {
  const values = filesOf(content);
  const hint = sizeHints.get(content);
  const files =
    (hint && writePackageFiles(FILE_NAMES, values, hint)) ||
    writePackageFiles(FILE_NAMES, values, values.map(canonicalJsonLength));
  if (files) return files;
  // A value that serializes differently each time (a getter, a toJSON): one string per file, as it comes.
  const encoder = new TextEncoder();
  return FILE_NAMES.map((name, i) => ({ name, data: encoder.encode(canonicalJson(values[i])) }));
}

/** True when `files` are exactly the not yet zipped output of writePackageFiles, in its order. */
function inPlaceLayout(files: readonly PackageFile[]): ZipLayout | null {
  const buffer = files[0]?.data.buffer;
  const layout = buffer && zipReady.get(buffer);
  if (!layout || buffer.byteLength !== layout.total || files.length !== layout.names.length) return null;
  const matches = files.every(
    (file, i) =>
      file.name === layout.names[i] &&
      file.data.buffer === buffer &&
      file.data.byteOffset === layout.offsets[i] &&
      file.data.byteLength === layout.sizes[i],
  );
  return matches ? layout : null;
}

/**
 * client-zip's stream written into `out`; with `layout`, `out` already holds the files' data at their places
 * and only the chunks around them are written (false if client-zip puts anything where the data is: nothing
 * has been overwritten then, and the caller copies instead).
 */
async function streamZip(
  entries: Array<{ name: string; lastModified: Date; input: Uint8Array; mode: number }>,
  out: Uint8Array,
  layout: ZipLayout | null,
): Promise<boolean> {
  const reader = makeZip(entries, { buffersAreUTF8: true }).getReader();
  let offset = 0;
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      const end = offset + value.byteLength;
      if (end > out.byteLength) throw new Error('the zip came out longer than predicted');
      if (layout && value.buffer === out.buffer && value.byteOffset === offset) {
        // A file's data, already in place.
      } else {
        if (layout && layout.offsets.some((start, i) => offset < start + layout.sizes[i]! && start < end))
          return false;
        out.set(value, offset);
      }
      offset = end;
    }
  } finally {
    reader.releaseLock();
  }
  if (offset !== out.byteLength) throw new Error('the zip came out shorter than predicted');
  return true;
}

/** Zips already serialised files (root only) with the fixed timestamp. */
export async function zipFiles(files: readonly PackageFile[]): Promise<Uint8Array> {
  const lastModified = packageTimestamp();
  const entries = files.map((file) => {
    if (!file.name || /[/\\]/.test(file.name))
      throw new Error(`package files live at the root: "${file.name}"`);
    return { name: file.name, lastModified, input: file.data, mode: 0o644 };
  });
  const layout = inPlaceLayout(files);
  if (layout) {
    const buffer = files[0]!.data.buffer;
    zipReady.delete(buffer);
    const out = new Uint8Array(buffer, 0, layout.total);
    if (await streamZip(entries, out, layout)) return out;
  }
  // One exact-size buffer; every chunk is copied in once.
  const total = Number(predictLength(files.map((file) => ({ name: file.name, size: file.data.byteLength }))));
  const out = new Uint8Array(total);
  await streamZip(entries, out, null);
  return out;
}

/** The package as zip bytes; the same content always gives the same bytes. */
export async function writePackageZip(content: PackageContent): Promise<Uint8Array> {
  return zipFiles(serializePackage(content));
}
