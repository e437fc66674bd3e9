/** Plain-text tables and sizes for the terminal. */

export { formatBytes } from '../format.ts';

/** Left-aligned columns separated by two spaces; the last column is not padded. */
export function table(headers: string[], rows: string[][]): string[] {
  const all = [headers, ...rows];
  const widths = headers.map((_, column) => Math.max(...all.map((row) => [...(row[column] ?? '')].length)));
  return all.map((row) =>
    row
      .map((cell, column) =>
        column === row.length - 1
          ? cell
          : cell + ' '.repeat(Math.max(0, (widths[column] ?? 0) - [...cell].length)),
      )
      .join('  ')
      .trimEnd(),
  );
}

export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

/**
 * One line of what we print from a package or the platform, safe for a terminal: control characters become `?`
 * (no escape sequence reaches it), a line break inside a value is shown as `\n` (a value cannot forge a line of
 * its own), and the invisible characters that reorder or hide text (bidi controls, zero-width characters) are
 * shown by their code point (`<U+202E>`), so a name reads as what it is.
 */
export function clean(text: string): string {
  return (
    text
      .replace(/\r?\n|\r/g, (lineBreak) => (lineBreak === '\r' ? '\\r' : '\\n'))
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, '?')
      .replace(
        /[\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g,
        (char) => `<U+${char.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}>`,
      )
  );
}
