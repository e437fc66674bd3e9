/**
 * The types shared by the scanner, its rule tables and its callers: a finding (a span of a scanned string),
 * the hint a caller gives (the key the string sits under), and a rule as data.
 */

export interface SecretFinding {
  /** Stable rule id, e.g. `openai-key`, `auth-header`. */
  rule: string;
  /** Span of the secret inside the scanned text: `text.slice(start, end)`. */
  start: number;
  end: number;
  /**
   * A readable name for the secret taken from its context (the header name, the variable or parameter it is
   * assigned to), when the rule knows one. Never derived from the secret itself.
   */
  label?: string;
}

export interface SecretHint {
  /** The JSON key, header name or variable name the text sits under. */
  key?: string;
}

export interface SecretRuleInfo {
  id: string;
  description: string;
  /** Default label for variable names when the context gives none. */
  label: string;
}

/** A span of a secret relative to a scanned value, with a readable name for it when one is known. */
export interface KeyedSpan {
  start: number;
  end: number;
  label?: string;
}

/**
 * One detection rule, as data: the scanner runs `regex` over a string only when one of `keywords` occurs in it
 * (one keyword automaton for every rule), then checks each candidate (placeholders, `entropy`, `validate`).
 */
export interface Rule {
  /** Stable rule id, reported (`github-token`, `auth-header`, …); several rules may share one. */
  id: string;
  description: string;
  /** Default name of the variable a secret found by this rule is moved to. */
  label: string;
  /** Lower number wins when findings overlap. */
  priority: number;
  /**
   * Lower-case literals, one of which occurs (case-insensitively) in every text the rule can match: the
   * scanner's keyword automaton decides from them which rules run. Never empty, never a line break.
   */
  keywords: readonly string[];
  /**
   * A further cheap condition on the text, asked after the keywords; `lower()` is the text lower-cased
   * (made on the first call, once per text).
   */
  when?: (text: string, lower: () => string) => boolean;
  regex: RegExp;
  /**
   * The match must not start inside a word: the character before it is no letter, digit, `_` or `-`, or ends
   * a `%XX` escape (`%3Dghp_…`). Checked in code, so that the regex starts with its literal prefix (which the
   * regex engine searches for fast) rather than with a lookbehind tried at every position.
   */
  bounded?: boolean;
  /** Capture group holding the secret (0 = whole match; -1: the last value-like group that matched). */
  group?: number;
  /** Capture group holding a readable name for the secret (-1: the first of groups 1, 3, 4 that matched). */
  labelGroup?: number;
  /** Minimum Shannon entropy (bits per character) of the secret. */
  entropy?: number;
  /** Known placeholders and examples of this format: a secret matching it is left alone. */
  allow?: RegExp;
  /**
   * The match is never taken for a placeholder as a whole: a key block or an encoded URL holds words such as
   * `example` beside its secret (an encoded URL's `validate` judges what it holds, placeholders included).
   */
  notPlaceholder?: boolean;
  /** Further checks on a candidate. */
  validate?: (secret: string, match: RegExpExecArray, text: string) => boolean;
  /**
   * A cheaper regex that finds something in every text in which `regex` can match (a necessary condition,
   * never a decision): when it finds nothing, the rule's regex is not run.
   */
  precheck?: RegExp;
  /**
   * Ask `validate` before the placeholder test (both must pass, so the order changes nothing but the time):
   * for rules whose `validate` first classifies a key name and rejects most candidates at once.
   */
  validateFirst?: boolean;
  /**
   * Every match of `regex` starts at most this many characters before a keyword of the rule (the regex itself
   * requires one there, e.g. by a lookahead): the scanner then tries the regex only at those positions, where
   * the keyword automaton found a keyword, instead of at every position of the text. It must never change a
   * finding (the exhaustive scan, which ignores it, is the reference).
   */
  startsNear?: number;
  /**
   * With `startsNear`: whether a match can start at `at` (what the regex's own leading lookbehind asks, in a
   * few character tests): the positions it rules out are never given to the regex. Like `startsNear`, it
   * must never change a finding.
   */
  canStartAt?: (text: string, at: number) => boolean;
  /**
   * With `startsNear`: the characters that alone may stand between a match's start and its keyword (a name
   * that holds the keyword), one character before them aside (a `<` before a name): the scanner then tries
   * only the run of them right before each keyword. Like `startsNear`, it must never change a finding.
   */
  keywordRun?: (code: number) => boolean;
  /** After a candidate `validate` rejects, search again from where its secret began, not after it. */
  resumeAtSecret?: boolean;
  /** Pick the rule id from the match (e.g. url-secret-param vs secret-assignment). */
  ruleFor?: (match: RegExpExecArray, text: string) => string;
  /**
   * Several secrets inside one candidate (the secret values of a Cookie header, the tokens a keyword's
   * lookaheads captured): their spans relative to the candidate, each with an optional label, after each
   * one's own checks; each span is then tested against placeholders on its own.
   */
  spans?: (secret: string, match: RegExpExecArray, text: string) => KeyedSpan[];
  /** The ids of the rules of gitleaks' published rule set that this rule covers (for the coverage test). */
  covers?: readonly string[];
}
