/**
 * Fixed strings searched for all at once (the known secret values of a record, the copies of detected ones),
 * in one pass whatever their number.
 */

/** Known secrets shorter than this are not searched for (a 1-character value would match everywhere). */
export const KNOWN_SECRET_MIN_LENGTH = 6;

export interface NeedleMatch {
  /** Index of the needle in the set. */
  index: number;
  start: number;
  end: number;
}

/** Up to this many needles, one native `indexOf` per needle beats any combined search. */
const FEW_NEEDLES = 8;
/** Length of the grams sampled by `NeedleSet` (no needle is shorter: KNOWN_SECRET_MIN_LENGTH). */
const GRAM = 4;
/** The gram table has 2^GRAM_BITS bits. */
const GRAM_BITS = 18;

/** Hash of the GRAM characters of `text` at `at`. */
function gramHash(text: string, at: number): number {
  let hash = text.charCodeAt(at);
  hash = Math.imul(hash, 0x01000193) ^ text.charCodeAt(at + 1);
  hash = Math.imul(hash, 0x01000193) ^ text.charCodeAt(at + 2);
  hash = Math.imul(hash, 0x01000193) ^ text.charCodeAt(at + 3);
  return Math.imul(hash, 0x9e3779b1);
}

/**
 * Fixed strings (each at least KNOWN_SECRET_MIN_LENGTH long) searched for all at once, in one pass whatever
 * their number. A few: one native `indexOf` each. More: a sampled-gram filter (as in Wu–Manber) — with `width`
 * the shortest needle's length, every occurrence of a needle covers `width - GRAM + 1` consecutive gram
 * positions of the text, so looking at one gram every `width - GRAM + 1` characters sees a gram of every
 * occurrence's first `width` characters; a table of the hashes of all those grams of all needles rules out
 * nearly every sampled position at once, and needles are compared only where a gram is theirs. The cost is
 * about one gram hash per `width - GRAM + 1` characters of text, where `includes` per needle is one scan of the
 * text per needle.
 */
export class NeedleSet {
  private readonly width: number;
  private readonly stride: number;
  private readonly table: Int32Array | undefined;
  /** Gram hash → pairs (needle index, offset of the gram in the needle). */
  private readonly byGram = new Map<number, number[]>();

  constructor(readonly needles: readonly string[]) {
    let width = needles.length ? Number.MAX_SAFE_INTEGER : 0;
    for (const needle of needles) width = Math.min(width, needle.length);
    this.width = width;
    this.stride = width - GRAM + 1;
    if (needles.length <= FEW_NEEDLES || width < GRAM) return;
    const table = (this.table = new Int32Array(1 << (GRAM_BITS - 5)));
    needles.forEach((needle, index) => {
      for (let offset = 0; offset + GRAM <= width; offset++) {
        const hash = gramHash(needle, offset);
        const slot = hash >>> (32 - GRAM_BITS);
        table[slot >>> 5]! |= 1 << (slot & 31);
        const list = this.byGram.get(hash);
        if (list) list.push(index, offset);
        else this.byGram.set(hash, [index, offset]);
      }
    });
  }

  /**
   * Every occurrence of every needle in `text`, sorted by start (undefined: none); occurrences of one needle
   * never overlap each other (the search for it resumes after a match, as `indexOf` from the match's end).
   */
  matches(text: string): NeedleMatch[] | undefined {
    if (this.width === 0 || text.length < this.width) return undefined;
    let out: NeedleMatch[] | undefined;
    if (!this.table) {
      for (let index = 0; index < this.needles.length; index++) {
        const needle = this.needles[index]!;
        for (let at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + needle.length))
          (out ??= []).push({ index, start: at, end: at + needle.length });
      }
      return out && out.sort(byStartThenIndex);
    }
    const table = this.table;
    const last = text.length - GRAM;
    for (let at = 0; at <= last; at += this.stride) {
      const hash = gramHash(text, at);
      const slot = hash >>> (32 - GRAM_BITS);
      if ((table[slot >>> 5]! & (1 << (slot & 31))) === 0) continue;
      const pairs = this.byGram.get(hash);
      if (!pairs) continue;
      for (let i = 0; i < pairs.length; i += 2) {
        const index = pairs[i]!;
        const start = at - pairs[i + 1]!;
        const needle = this.needles[index]!;
        if (start >= 0 && text.startsWith(needle, start))
          (out ??= []).push({ index, start, end: start + needle.length });
      }
    }
    if (!out) return undefined;
    out.sort(byStartThenIndex);
    // One needle's occurrences: each after the previous one's end (like `indexOf` from the match's end).
    const until = new Map<number, number>();
    return out.filter((match) => {
      if ((until.get(match.index) ?? 0) > match.start) return false;
      until.set(match.index, match.end);
      return true;
    });
  }
}

const byStartThenIndex = (a: NeedleMatch, b: NeedleMatch) => a.start - b.start || a.index - b.index;
