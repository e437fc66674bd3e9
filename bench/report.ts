/** Statistics and plain-text tables for the benchmark output. */

export function median(values: readonly number[]): number {
  return quantile(values, 0.5);
}

/** Nearest-rank p95 (with few samples this is the maximum, which is what a p95 of 3 runs honestly is). */
export function p95(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(0.95 * sorted.length) - 1)]!;
}

export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const at = (sorted.length - 1) * q;
  const lo = Math.floor(at);
  const hi = Math.ceil(at);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (at - lo);
}

export const MB = 1_000_000;
export const mb = (bytes: number, digits = 2) => (bytes / MB).toFixed(digits);
export const ms = (value: number) =>
  Number.isFinite(value)
    ? value >= 100
      ? value.toFixed(0)
      : value >= 10
        ? value.toFixed(1)
        : value.toFixed(2)
    : '–';
export const ratio = (value: number) =>
  Number.isFinite(value) ? `${value >= 10 ? value.toFixed(1) : value.toFixed(2)}x` : '–';
export const pct = (value: number) => (Number.isFinite(value) ? `${(value * 100).toFixed(0)}%` : '–');
export const mark = (ok: boolean | undefined) => (ok === undefined ? '?' : ok ? '✓' : '✗');

export type Cell = string | number;

/**
 * An aligned plain-text table: first column left-aligned, the others right-aligned, a title above and a one-line
 * "what this means" below.
 */
export function table(title: string, headers: string[], rows: Cell[][], meaning: string): string {
  const text = rows.map((row) => row.map((cell) => String(cell)));
  const width = (i: number) => Math.max(headers[i]!.length, ...text.map((row) => [...(row[i] ?? '')].length));
  const widths = headers.map((_, i) => width(i));
  const pad = (cell: string, i: number) => {
    const gap = ' '.repeat(Math.max(0, widths[i]! - [...cell].length));
    return i === 0 ? cell + gap : gap + cell;
  };
  const line = (cells: string[]) => cells.map(pad).join('  ').trimEnd();
  return [
    title,
    line(headers),
    widths.map((w) => '-'.repeat(w)).join('  '),
    ...text.map(line),
    `→ ${meaning}`,
    '',
  ].join('\n');
}
