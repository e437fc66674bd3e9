/**
 * Two things `JSON.parse` accepts that a package reader must refuse, found without recursion:
 * - nesting so deep that every recursive walk after it (schema, redaction, scan, diff) would run out of
 *   stack; no workflow comes near the limit;
 * - a key written twice in one object: `JSON.parse` keeps the last value silently, so a secret written
 *   first (`"value": "ghp_…", "value": ""`) would pass every check while other JSON readers keep it.
 */

/** Deeper than any workflow, far below what the recursive walks can take. */
export const MAX_JSON_DEPTH = 512;

export interface JsonShape {
  /** UTF-16 offset of the bracket that opens level MAX_JSON_DEPTH + 1, or -1. */
  tooDeepAt: number;
  /** How many keys the text writes, duplicates included. */
  keys: number;
}

/** Index just past the string whose opening quote is at `start` (or the text's length if unclosed). */
function skipString(text: string, start: number): number {
  for (let quote = text.indexOf('"', start + 1); quote >= 0; quote = text.indexOf('"', quote + 1)) {
    // The quote closes the string unless an odd number of backslashes escapes it.
    let backslashes = 0;
    while (text.charCodeAt(quote - 1 - backslashes) === 0x5c) backslashes++;
    if (backslashes % 2 === 0) return quote + 1;
  }
  return text.length;
}

function nextNonSpace(text: string, from: number): number {
  let i = from;
  for (; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) break;
  }
  return i;
}

/** One pass over the text (meaningful for valid JSON): depth beyond the limit, and the number of keys. */
export function measureJson(text: string): JsonShape {
  let depth = 0;
  let keys = 0;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) i = skipString(text, i) - 1;
    // Outside strings, valid JSON has a colon after each key and nowhere else.
    else if (c === 0x3a) keys++;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > MAX_JSON_DEPTH) return { tooDeepAt: i, keys };
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return { tooDeepAt: -1, keys };
}

/** How many keys the parsed value holds (each object's own keys, after duplicates were merged). */
export function countKeys(value: unknown): number {
  let keys = 0;
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const node = stack.pop();
    if (node === null || typeof node !== 'object') continue;
    if (Array.isArray(node)) {
      for (const item of node) stack.push(item);
      continue;
    }
    const own = Object.keys(node);
    keys += own.length;
    for (const key of own) stack.push((node as Record<string, unknown>)[key]);
  }
  return keys;
}

export interface DuplicateKey {
  key: string;
  /** UTF-16 offsets of the second and of the first occurrence. */
  offset: number;
  firstOffset: number;
}

/** The first key written twice in one object of a valid JSON text, or null. */
export function findDuplicateKey(text: string): DuplicateKey | null {
  // One map per open container (null for an array): key → where it was first written.
  const open: (Map<string, number> | null)[] = [];
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x7b) open.push(new Map());
    else if (c === 0x5b) open.push(null);
    else if (c === 0x7d || c === 0x5d) open.pop();
    else if (c === 0x22) {
      const end = skipString(text, i);
      const keysHere = open[open.length - 1];
      if (keysHere && text.charCodeAt(nextNonSpace(text, end)) === 0x3a) {
        // Decoded, so that "\u0061" and "a" are the same key, as JSON.parse sees them.
        const key = JSON.parse(text.slice(i, end)) as string;
        const firstOffset = keysHere.get(key);
        if (firstOffset !== undefined) return { key, offset: i, firstOffset };
        keysHere.set(key, i);
      }
      i = end - 1;
    }
  }
  return null;
}
