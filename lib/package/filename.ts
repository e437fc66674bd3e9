/**
 * File names for packages: `<Workflow Name>.zip`, safe on Windows, macOS, Linux, FAT/exFAT and accepted by
 * `chrome.downloads.download({ filename })`, while still reading as the workflow's name.
 *
 * One function serves both the CLI (writes to disk) and the extension (downloads API), because Chrome's
 * rules (net::IsSafePortablePathComponent + base::i18n::IsFilenameLegal) are a superset of the file
 * systems' rules:
 * - nowhere: `"*:<>?/\|`, control characters (Cc), format characters (Cf: ZWJ, BOM, bidi overrides,
 *   soft hyphen…), non-characters (U+FDD0–FDEF, U+xFFFE/xFFFF), lone surrogates;
 * - not at the start or end: white space, `.` and `~`;
 * - not a Windows device name (CON, PRN, AUX, NUL, COM0–9, LPT0–9, with superscript digits too, CLOCK$),
 *   with or without an extension, and not desktop.ini / thumbs.db.
 *
 * Replacements (chosen to stay readable): `/ \ | :` → ` - `, `"` → `'`, `< > * ?` → `_`, control
 * characters → space, format characters and non-characters dropped, runs of white space → one space,
 * runs of ` - ` separators → one. Leading/trailing spaces, dots, `~` and `-` are trimmed (a leading `-` would
 * read as an option on a command line). Text is NFC-normalised. The stem is capped at
 * {@link MAX_STEM_BYTES} UTF-8 bytes, cut on a grapheme (or at least code point) boundary. Empty → `workflow`.
 */

/** Maximum length of the name before `.zip`, in UTF-8 bytes (file systems allow 255 bytes per name). */
export const MAX_STEM_BYTES = 120;
export const FALLBACK_STEM = 'workflow';

const SEPARATORS = /[/\\|:]/g;
const WILDCARDS = /[<>*?]/g;
// Cc = control, Cf = format (ZWJ, BOM, RLO…), non-characters, lone surrogates (Cs), unassigned-private use is fine.
const CONTROL = /\p{Cc}/gu;
const DROPPED =
  /[\p{Cf}\p{Cs}\uFDD0-\uFDEF\uFFFE\uFFFF\u{1FFFE}\u{1FFFF}\u{2FFFE}\u{2FFFF}\u{3FFFE}\u{3FFFF}\u{4FFFE}\u{4FFFF}\u{5FFFE}\u{5FFFF}\u{6FFFE}\u{6FFFF}\u{7FFFE}\u{7FFFF}\u{8FFFE}\u{8FFFF}\u{9FFFE}\u{9FFFF}\u{AFFFE}\u{AFFFF}\u{BFFFE}\u{BFFFF}\u{CFFFE}\u{CFFFF}\u{DFFFE}\u{DFFFF}\u{EFFFE}\u{EFFFF}\u{FFFFE}\u{FFFFF}\u{10FFFE}\u{10FFFF}]/gu;
const WHITESPACE = /[\s\p{White_Space}]+/gu;
const DASH_RUNS = / -(?: -)+ /g;
const EDGES = /^[\s.~-]+|[\s.~-]+$/gu;

const RESERVED = /^(con|prn|aux|nul|clock\$|com[0-9¹²³]|lpt[0-9¹²³])$/i;
const RESERVED_WHOLE = /^(desktop\.ini|thumbs\.db)$/i;

/** `Banking Assistant` → `Banking Assistant.zip`. */
export function packageFileName(workflowName: string): string {
  return `${safeFileStem(workflowName)}.zip`;
}

/**
 * The sanitised name without extension. Exported for callers that need another extension
 * (`safeFileStem(name) + '.json'`).
 */
export function safeFileStem(name: string, maxBytes = MAX_STEM_BYTES): string {
  let stem = String(name ?? '').normalize('NFC');
  stem = stem
    .replace(SEPARATORS, ' - ')
    .replace(/"/g, "'")
    .replace(WILDCARDS, '_')
    .replace(CONTROL, ' ')
    .replace(DROPPED, '')
    .replace(WHITESPACE, ' ')
    .replace(DASH_RUNS, ' - ')
    .replace(EDGES, '')
    .normalize('NFC');
  stem = truncateUtf8(stem, maxBytes).replace(EDGES, '');
  if (!stem) return FALLBACK_STEM;
  const firstPart = stem.split('.')[0]!.replace(/[ .]+$/, '');
  if (RESERVED.test(firstPart)) {
    const dot = stem.indexOf('.');
    stem = dot < 0 ? `${firstPart}_` : `${firstPart}_${stem.slice(dot)}`;
  }
  if (RESERVED_WHOLE.test(stem)) stem = `${stem}_`;
  return stem;
}

/** Cuts `text` to at most `maxBytes` UTF-8 bytes, never inside a grapheme cluster (or a code point). */
export function truncateUtf8(text: string, maxBytes: number): string {
  if (utf8Length(text) <= maxBytes) return text;
  const pieces = graphemes(text);
  let out = '';
  let bytes = 0;
  for (const piece of pieces) {
    const size = utf8Length(piece);
    if (bytes + size > maxBytes) break;
    out += piece;
    bytes += size;
  }
  return out;
}

function graphemes(text: string): Iterable<string> {
  const Segmenter = (Intl as { Segmenter?: typeof Intl.Segmenter }).Segmenter;
  if (Segmenter) {
    const segmenter = new Segmenter(undefined, { granularity: 'grapheme' });
    return Array.from(segmenter.segment(text), (s) => s.segment);
  }
  return Array.from(text); // code points
}

export function utf8Length(text: string): number {
  let bytes = 0;
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    bytes += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
  }
  return bytes;
}

/**
 * True when `fileName` (one path component, with extension) is accepted by every target: the rules
 * listed at the top of this file. Used by tests and by callers that receive a name from elsewhere.
 */
export function isPortableFileName(fileName: string): boolean {
  if (!fileName || fileName !== fileName.normalize('NFC')) return false;
  if (/["*/:<>?\\|]/.test(fileName)) return false;
  if (/[\p{Cc}\p{Cf}\p{Cs}\uFDD0-\uFDEF]/u.test(fileName)) return false;
  for (const ch of fileName) if ((ch.codePointAt(0)! & 0xfffe) === 0xfffe) return false;
  if (/^[\s.~]|[\s.~]$/u.test(fileName)) return false;
  if (utf8Length(fileName) > 255) return false;
  const firstPart = fileName.split('.')[0]!.replace(/[ .]+$/, '');
  if (RESERVED.test(firstPart) || RESERVED_WHOLE.test(fileName)) return false;
  return true;
}
