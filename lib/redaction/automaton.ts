/**
 * The keyword automaton: one search over a string for the keywords of every rule, telling which rules can
 * match it. As gitleaks does with Aho–Corasick, a string with none of a rule's keywords is never given to that
 * rule's regex, so adding rules does not add passes over the text.
 *
 * The automaton is V8's own regex engine running one alternation of all keywords laid out as a prefix tree
 * (one branch per first character). `npm run bench` measures it against a published Aho–Corasick package on
 * the same keywords and strings (the search itself is native code; only the hits run JavaScript).
 */
import { escapeRegex } from './rules/define';
import type { Rule } from './types';

/**
 * An alternation of `words` (none empty) as a prefix tree (`a(?:bc|d)|x`) that finds a match at exactly the
 * positions where one of the words starts (the shortest one: a word that ends makes the rest optional).
 */
function prefixTree(words: readonly string[]): string {
  const groups = new Map<string, string[]>();
  for (const word of words) {
    const rest = groups.get(word[0]!);
    if (rest) rest.push(word.slice(1));
    else groups.set(word[0]!, [word.slice(1)]);
  }
  return [...groups]
    .map(([first, rests]) => {
      if (rests.includes('')) return escapeRegex(first);
      return escapeRegex(first) + (rests.length === 1 ? escapeRegex(rests[0]!) : `(?:${prefixTree(rests)})`);
    })
    .join('|');
}

/** The code of an ASCII letter in lower case; any other code as it is. */
const lowerAscii = (code: number) => (code >= 65 && code <= 90 ? code | 32 : code);

/** `text` holds `word` (ASCII, lower case) at `at`, ASCII letters compared without case (as the search does). */
function startsWithFolded(text: string, at: number, word: string): boolean {
  if (at + word.length > text.length) return false;
  for (let i = 0; i < word.length; i++)
    if (lowerAscii(text.charCodeAt(at + i)) !== word.charCodeAt(i)) return false;
  return true;
}

export class KeywordAutomaton {
  /** Finds where a keyword starts (case-insensitively). */
  private readonly search: RegExp;
  /** Keywords by the code of their first character (ASCII, lower case), each with the rules it enables. */
  private readonly byFirst: Array<Array<{ word: string; rules: number[] }> | undefined> = [];
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
    for (const [word, list] of byWord) (this.byFirst[word.charCodeAt(0)] ??= []).push({ word, rules: list });
    this.keywordCount = byWord.size;
    this.marks = new Uint8Array(rules.length);
    this.search = new RegExp(prefixTree([...byWord.keys()]), 'gi');
  }

  /** The indices of the rules whose keywords occur in `text`, ascending (undefined: none). */
  rulesIn(text: string): number[] | undefined {
    const search = this.search;
    const marks = this.marks;
    let active: number[] | undefined;
    search.lastIndex = 0;
    for (let match = search.exec(text); match; match = search.exec(text)) {
      const at = match.index;
      for (const { word, rules } of this.byFirst[lowerAscii(text.charCodeAt(at))] ?? []) {
        if (!startsWithFolded(text, at, word)) continue;
        for (const rule of rules) {
          if (marks[rule]) continue;
          marks[rule] = 1;
          (active ??= []).push(rule);
        }
      }
      // Every keyword starting at every position: the next search starts one character on.
      search.lastIndex = at + 1;
    }
    if (!active) return undefined;
    for (const rule of active) marks[rule] = 0;
    return active.sort((a, b) => a - b);
  }

  /** Where the first keyword at or after `from` starts (-1: none). */
  next(text: string, from = 0): number {
    this.search.lastIndex = from;
    const match = this.search.exec(text);
    return match ? match.index : -1;
  }
}
