/**
 * The keyword automaton: one pass over a string for the keywords of every rule, telling which rules can match
 * it. As gitleaks does with Aho–Corasick, a string with none of a rule's keywords is never given to that
 * rule's regex, so adding rules does not add passes over the text.
 *
 * It is an Aho–Corasick automaton compiled to a dense table (a DFA): the characters the keywords use (ASCII
 * letters folded to lower case) are numbered, every other character is one class, and each step is one
 * lookup, `state = next[state × classes + class]`, so the pass costs the same whatever the number of
 * keywords. `npm run bench` measures it against a published Aho–Corasick package on the same keywords and
 * strings.
 */
import { sortSmall } from '../sort-small';
import type { Rule } from './types';

/** The rules a text holds keywords of, and for the positional ones where those keywords start. */
export interface KeywordHits {
  /** Rule indices, ascending. */
  rules: number[];
  /** For each positional rule with a hit: the start of every keyword of it, ascending, each once. */
  starts: Map<number, number[]>;
}

/** Highest character code given a class of its own (keywords are printable ASCII). */
const ASCII_END = 128;

export class KeywordAutomaton {
  /** Class of each ASCII code (folded); 0 for every character no keyword holds. */
  private readonly classOf = new Uint8Array(ASCII_END);
  private readonly classes: number;
  /**
   * The transition table, `states × classes`, holding the next state's row (`state × classes`), or, for a
   * state at which a keyword ends, `-1 - row`: the loop tests one sign instead of looking up what ends there.
   */
  private table = new Int32Array(0);
  /**
   * Per state at which a keyword ends (by its ending number): the rules enabled by the keywords ending there
   * (its own and its suffixes'); while building, per state.
   */
  private rulesAt: Array<Int32Array | undefined> = [];
  /** The same: for the keywords ending there, pairs of (group of positional rules, keyword length). */
  private startsAt: Array<Int32Array | undefined> = [];
  /** The same: the length of the longest keyword ending there. */
  private longestAt = new Uint16Array(0);
  /** The same: the state's row in the table. */
  private rowOf = new Int32Array(0);
  /** The positional rules (`Rule.startsNear`) of each group: rules with the very same keywords share one. */
  private readonly groups: number[][] = [];
  /** Scratch marks of the rules seen in the current text (cleared after each). */
  private readonly marks: Uint8Array;
  readonly keywordCount: number;

  constructor(readonly rules: readonly Rule[]) {
    const byWord = new Map<string, number[]>();
    rules.forEach((rule, index) => {
      if (!rule.keywords.length) throw new Error(`rule ${rule.id}: no keyword`);
      for (const word of rule.keywords) {
        if (!/^[\x20-\x7e]+$/.test(word) || word !== word.toLowerCase())
          throw new Error(
            `rule ${rule.id}: keyword ${JSON.stringify(word)} must be printable ASCII, lower case`,
          );
        const list = byWord.get(word);
        if (list) list.push(index);
        else byWord.set(word, [index]);
      }
    });
    this.keywordCount = byWord.size;
    this.marks = new Uint8Array(rules.length);

    let classes = 1;
    for (const word of byWord.keys())
      for (let i = 0; i < word.length; i++) {
        const code = word.charCodeAt(i);
        if (this.classOf[code] === 0) this.classOf[code] = classes++;
      }
    // Upper-case letters are their lower-case letter's class.
    for (let code = 65; code <= 90; code++) this.classOf[code] = this.classOf[code | 32]!;
    this.classes = classes;

    // Positional rules with the same keyword list get the same starts: one group.
    const groupOf = new Map<readonly string[], number>();
    const positionalGroup = (index: number): number | undefined => {
      const rule = rules[index]!;
      if (rule.startsNear === undefined) return undefined;
      let group = groupOf.get(rule.keywords);
      if (group === undefined) {
        group = this.groups.length;
        groupOf.set(rule.keywords, group);
        this.groups.push([]);
      }
      if (!this.groups[group]!.includes(index)) this.groups[group]!.push(index);
      return group;
    };

    // The trie of the keywords, then its failure links breadth first (Aho–Corasick), filling the table.
    const children: Array<Map<number, number>> = [new Map()];
    const own: Array<{ length: number; rules: number[]; starts: number[] } | undefined> = [undefined];
    for (const [word, list] of byWord) {
      let state = 0;
      for (let i = 0; i < word.length; i++) {
        const cls = this.classOf[word.charCodeAt(i)]!;
        let next = children[state]!.get(cls);
        if (next === undefined) {
          next = children.length;
          children.push(new Map());
          own.push(undefined);
          children[state]!.set(cls, next);
        }
        state = next;
      }
      const groups = new Set<number>();
      for (const index of list) {
        const group = positionalGroup(index);
        if (group !== undefined) groups.add(group);
      }
      own[state] = {
        length: word.length,
        rules: list,
        starts: [...groups].flatMap((group) => [group, word.length]),
      };
    }
    const count = children.length;
    const next = new Int32Array(count * classes);
    const fail = new Int32Array(count);
    const longest = (this.longestAt = new Uint16Array(count));
    const queue: number[] = [];
    for (const [cls, child] of children[0]!) {
      next[cls] = child;
      queue.push(child);
    }
    for (let head = 0; head < queue.length; head++) {
      const state = queue[head]!;
      const suffix = fail[state]!;
      const mine = own[state];
      longest[state] = mine ? mine.length : longest[suffix]!;
      const rulesHere = new Set([...(mine?.rules ?? []), ...(this.rulesAt[suffix] ?? [])]);
      if (rulesHere.size) {
        this.rulesAt[state] = Int32Array.from(rulesHere);
        const startsHere = [...(mine?.starts ?? []), ...(this.startsAt[suffix] ?? [])];
        if (startsHere.length) this.startsAt[state] = Int32Array.from(startsHere);
      }
      const row = state * classes;
      const failRow = suffix * classes;
      for (let cls = 0; cls < classes; cls++) {
        const child = children[state]!.get(cls);
        if (child === undefined) next[row + cls] = next[failRow + cls]!;
        else {
          next[row + cls] = child;
          fail[child] = next[failRow + cls]!;
          queue.push(child);
        }
      }
    }
    // States at which a keyword ends are numbered apart (their "ending" number): the tables below are
    // indexed by it, so the loop never divides a row by the number of classes.
    const ending = new Int32Array(count).fill(-1);
    const rowOf: number[] = [];
    const rulesAt: Int32Array[] = [];
    const startsAt: Array<Int32Array | undefined> = [];
    const longestAt: number[] = [];
    for (let state = 0; state < count; state++) {
      const rulesHere = this.rulesAt[state];
      if (!rulesHere) continue;
      ending[state] = rowOf.length;
      rowOf.push(state * classes);
      rulesAt.push(rulesHere);
      startsAt.push(this.startsAt[state]);
      longestAt.push(longest[state]!);
    }
    this.rulesAt = rulesAt;
    this.startsAt = startsAt;
    this.longestAt = Uint16Array.from(longestAt);
    this.rowOf = Int32Array.from(rowOf);
    this.table = next.map((state) => (ending[state]! >= 0 ? -1 - ending[state]! : state * classes));
  }

  /** The indices of the rules whose keywords occur in `text`, ascending (undefined: none). */
  rulesIn(text: string): number[] | undefined {
    return this.hits(text)?.rules;
  }

  /**
   * The rules whose keywords occur in `text` (undefined: none) and, for the rules with `startsNear`, where
   * each of their keywords starts.
   */
  hits(text: string): KeywordHits | undefined {
    // Everything the loop reads is a local: V8 then keeps the inner loop (one lookup per character, left
    // only where a keyword ends) as tight as a bare table walk, about 2.5x faster than through `this`.
    const { table, classOf, marks, rowOf, rulesAt, startsAt } = this;
    const length = text.length;
    let found: number[] | undefined;
    let starts: number[][] | undefined;
    let row = 0;
    for (let at = 0; ; at++) {
      let entry = 0;
      for (; at < length; at++) {
        const code = text.charCodeAt(at);
        entry = table[row + (code < ASCII_END ? classOf[code]! : 0)]!;
        if (entry < 0) break;
        row = entry;
      }
      if (at >= length) break;
      const end = -1 - entry;
      row = rowOf[end]!;
      const rules = rulesAt[end]!;
      for (let i = 0; i < rules.length; i++) {
        const rule = rules[i]!;
        if (marks[rule]) continue;
        marks[rule] = 1;
        (found ??= []).push(rule);
      }
      const pairs = startsAt[end];
      if (pairs === undefined) continue;
      starts ??= this.groups.map(() => []);
      for (let i = 0; i < pairs.length; i += 2) starts[pairs[i]!]!.push(at - pairs[i + 1]! + 1);
    }
    if (!found) return undefined;
    for (const rule of found) marks[rule] = 0;
    sortSmall(found);
    const byRule = new Map<number, number[]>();
    starts?.forEach((list, group) => {
      if (list.length === 0) return;
      // Keywords are found where they end: a longer one ending later may start earlier.
      sortSmall(list);
      let kept = 1;
      for (let i = 1; i < list.length; i++) if (list[i] !== list[kept - 1]) list[kept++] = list[i]!;
      list.length = kept;
      for (const rule of this.groups[group]!) byRule.set(rule, list);
    });
    return { rules: found, starts: byRule };
  }

  /**
   * The start of the first keyword to end at or after `from` (-1: none); it starts at or after `from`. Any
   * span of `text` without a line break that holds a keyword holds the one this finds from the span's start.
   */
  next(text: string, from = 0): number {
    const { table, classOf } = this;
    const length = text.length;
    let row = 0;
    for (let at = from; at < length; at++) {
      const code = text.charCodeAt(at);
      const entry = table[row + (code < ASCII_END ? classOf[code]! : 0)]!;
      if (entry >= 0) row = entry;
      else return at - this.longestAt[-1 - entry]! + 1;
    }
    return -1;
  }
}
