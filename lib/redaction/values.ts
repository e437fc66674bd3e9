/**
 * What a candidate value looks like: random (entropy, mixed characters), a placeholder (`<your-key>`, `xxxx`),
 * a reference to a variable (`{{context.env.X}}`, `$X`), or an ordinary shape (UUID, path, URL, version, date,
 * colour, word or identifier). The rules ask these questions; none of them knows a provider.
 */

// ---------------------------------------------------------------------------------------------------------

/** Shannon entropy in bits per character. */
export function shannonEntropy(value: string): number {
  if (!value) return 0;
  const counts = new Map<string, number>();
  for (const ch of value) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let entropy = 0;
  const length = value.length;
  for (const count of counts.values()) {
    const p = count / length;
    entropy -= p * Math.log2(p);
  }
  return entropy;
}

export const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const PREFIXED_ID_RE = /^[a-z]{1,8}[-_][0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const HEX_COLOUR_RE = /^#(?:[0-9a-f]{3,4}|[0-9a-f]{6}|[0-9a-f]{8})$/i;
const SEMVER_RE = /^v?\d+\.\d+(?:\.\d+)?(?:[-+][0-9A-Za-z.-]+)?$/;
const ISO_DATE_RE = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;
const PATH_RE = /^(?:\/|\.{1,2}\/|~\/|[A-Za-z]:\\)[^\s]*$/;
export const URL_RE = /^[a-z][a-z0-9+.-]{1,31}:\/\//i;
const EMAIL_RE = /^[^\s@]{1,64}@[^\s@]{1,190}\.[a-z]{2,}$/i;
const MIME_RE = /^(?:application|text|image|audio|video|multipart)\/[\w.+-]+$/i;
const NUMBER_RE = /^[+-]?\d+(?:\.\d+)?$/;
/** Amazon Resource Names identify a resource (a secret's ARN names it; it does not hold it). */
const ARN_RE = /^arn:aws[a-z-]{0,16}:[a-z0-9-]{1,64}:[a-z0-9-]{0,32}:(?:\d{12}|aws)?:[^\s"'`]{1,2048}$/;
/** Whole-value references to a variable instead of a value. */
const REFERENCE_RE =
  /^(?:\$\{[^}]*\}|\$[A-Za-z_][\w.]*|%[A-Za-z_]\w*%|\{\{[^}]*\}\}|\{[\w.]*\}|%\(?\w*\)?s|(?:process\.env|os\.environ|context\.env|env|secrets?|vault)[.[][\w.'"[\]-]*)$/;
/** Words and shapes people type where a secret will go. */
const PLACEHOLDER_WORD_RE =
  /^(?:none|null|nil|undefined|true|false|yes|no|on|off|n\/?a|tbd|todo|fixme|empty|blank|default|string|value|text|secret|password|passwd|token|api[_ -]?key|key|hidden|masked|changed|required|optional|set[_ -]?me|fill[_ -]?me(?:[_ -]?in)?|\w*[_ -]here|test|testing)$/i;
/**
 * A word people start a placeholder with (`your_api_key`, `myToken`, `example-secret`); the rest (group 1)
 * must be words too: `MYvTQu67Qzw1A8Eq35y5` is a token that happens to start with `my`.
 */
const PLACEHOLDER_PREFIX_RE =
  /^(?:your|my|example|sample|dummy|placeholder|redacted|insert|enter|replace|put)[_ -]?(\w*)$/i;
/** Anywhere in a candidate, these mean "not a real value". */
const PLACEHOLDER_PART_RE =
  /^(?:your|insert|enter|replace)[-_ ]|x{4,}|X{4,}|\*{3,}|•{3,}|\.{3}|…|<[^>]*>|example|placeholder|redacted|your[_-]?(?:api|key|token|secret|pass)|dummy|\{\{|\$\{/i;

/** True for placeholders (`<your-key>`, `xxxx`, `****`, `YOUR_API_KEY`, `sk-...EXAMPLE`). */
export function isPlaceholder(value: string): boolean {
  const v = value.trim();
  if (!v) return true;
  if (PLACEHOLDER_WORD_RE.test(v)) return true;
  const prefixed = PLACEHOLDER_PREFIX_RE.exec(v);
  if (prefixed && (prefixed[1] === '' || isWordish(prefixed[1]!))) return true;
  if (PLACEHOLDER_PART_RE.test(v)) return true;
  if (/^(.)\1*$/.test(v)) return true; // one repeated character
  return false;
}

/** True for a whole value that refers to a variable (`{{context.env.X}}`, `${X}`, `process.env.X`, `$X`). */
export function isReference(value: string): boolean {
  return REFERENCE_RE.test(value.trim());
}

/** Typed by hand, never generated: the alphabet, the digits or a keyboard row, in order (8 or more of them). */
export function isSequential(value: string): boolean {
  const lower = value.toLowerCase();
  const runs = [
    'abcdefghijklmnopqrstuvwxyz',
    '0123456789',
    'qwertyuiop',
    'asdfghjkl',
    'zyxwvutsrqponmlkjihgfedcba',
    '9876543210',
  ];
  return runs.some((run) => run.includes(lower) || lower.includes(run.slice(0, Math.max(8, lower.length))));
}

/** Ids and ordinary shapes that look random but are not secrets. */
export function isBenignShape(value: string, options: { allowUuid?: boolean } = {}): boolean {
  const v = value.trim();
  if (!options.allowUuid && (UUID_RE.test(v) || PREFIXED_ID_RE.test(v))) return true;
  return (
    HEX_COLOUR_RE.test(v) ||
    SEMVER_RE.test(v) ||
    ISO_DATE_RE.test(v) ||
    PATH_RE.test(v) ||
    URL_RE.test(v) ||
    EMAIL_RE.test(v) ||
    MIME_RE.test(v) ||
    NUMBER_RE.test(v) ||
    ARN_RE.test(v)
  );
}

/**
 * A value that looks machine-generated: long enough, no whitespace, letters and digits mixed, high enough
 * entropy, and not an id, UUID, path, URL, version, date or colour.
 */
export function looksRandom(
  value: string,
  options: { minLength?: number; allowUuid?: boolean } = {},
): boolean {
  const v = value.trim();
  const minLength = options.minLength ?? 12;
  if (v.length < minLength || /\s/.test(v)) return false;
  if (isPlaceholder(v) || isReference(v) || isBenignShape(v, options)) return false;
  if (options.allowUuid && (UUID_RE.test(v) || PREFIXED_ID_RE.test(v))) return true;
  if (isSequential(v)) return false;
  const hasDigit = /\d/.test(v);
  const hasLetter = /[A-Za-z]/.test(v);
  const entropy = shannonEntropy(v);
  if (/^[0-9a-f]+$/i.test(v)) return hasDigit && hasLetter && v.length >= 16 && entropy >= 2.8;
  if (isWordish(v)) return false;
  if (hasDigit && hasLetter) return entropy >= 3.0;
  // Letters only: camelCase identifiers and words are common; require length and real randomness.
  if (hasLetter) return v.length >= 24 && entropy >= 3.8 && mixedCaseNoise(v);
  return false;
}

const WORDISH_RUN_RE = /[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+|[^A-Za-z\d]+/g;

/** One segment of an identifier: words (`customer`, `Profile`, `API`), short numbers, `v2`-style parts. */
function isWordishSegment(segment: string): boolean {
  if (segment.length > 64) return false;
  const runs = segment.match(WORDISH_RUN_RE) ?? [];
  // Letters and digits alternating three times or more (`t6qtyoc4ds68948d36`) are machine-made, not words.
  let digitRuns = 0;
  for (const run of runs) if (run.charCodeAt(0) >= 48 && run.charCodeAt(0) <= 57) digitRuns++;
  if (digitRuns >= 3 && segment.length >= 12) return false;
  for (let i = 0; i < runs.length; i++) {
    const run = runs[i]!;
    const next = runs[i + 1];
    if (/^\d+$/.test(run)) {
      if (run.length > 8) return false;
    } else if (/^[A-Z]?[a-z]+$/.test(run)) {
      const lowers = /^[A-Z]/.test(run) ? run.length - 1 : run.length;
      if (lowers === 1 && !(run.length === 1 && ((next && /^\d/.test(next)) || runs.length === 1)))
        return false;
    } else if (/^[A-Z]+$/.test(run)) {
      if (run.length === 1 && runs.length > 1 && !(next && /^\d/.test(next))) return false;
    } else {
      return false;
    }
  }
  return runs.length > 0;
}

/** Identifiers made of words and numbers (`customer-profile-v2`, `PAYMENTS_SIGNING_KEY_2024`, `getUser2`). */
export function isWordish(value: string): boolean {
  const segments = value.split(/[-_./:]+/).filter(Boolean);
  return segments.length > 0 && segments.length <= 32 && segments.every(isWordishSegment);
}

/** Letters-only values: random ones switch case far more often than camelCase identifiers do. */
function mixedCaseNoise(value: string): boolean {
  let switches = 0;
  for (let i = 1; i < value.length; i++) {
    const a = value[i - 1]!;
    const b = value[i]!;
    const aUpper = a >= 'A' && a <= 'Z';
    const bUpper = b >= 'A' && b <= 'Z';
    if (aUpper !== bUpper) switches++;
  }
  return switches / value.length > 0.3;
}

/** A value that looks like a password rather than a word of prose or a reference. */
export function passwordLike(core: string): boolean {
  if (isReference(core) || isBenignShape(core) || core.startsWith('{') || core.startsWith('$')) return false;
  // A word ("required", "case-sensitive") is prose; a password has digits, symbols or mixed case.
  if (/^[a-z]+(?:-[a-z]+)*$/.test(core) || (isWordish(core) && !/\d/.test(core))) return false;
  return /[\d!@#%^&*+=?~]/.test(core) || (/[a-z]/.test(core) && /[A-Z]/.test(core));
}

/**
 * A bare token as generators make them, identifier-like or not: 20 (`minLength`) or more letters and digits
 * (`_`, `-` allowed), lower case, upper case and digits all present, in many short runs (an identifier's runs are its
 * words: `customerProfileServiceV2` is 5 runs of 4.8 characters on average; `MWRxpL68QziGemg8694WWDFiy` 9 of
 * 2.8), high entropy, and no placeholder or ordinary shape.
 */
export function tokenShaped(value: string, minLength = 20): boolean {
  if (value.length < minLength || !/^[A-Za-z0-9_-]+$/.test(value)) return false;
  if (!/[a-z]/.test(value) || !/[A-Z]/.test(value) || !/\d/.test(value)) return false;
  if (isPlaceholder(value) || isBenignShape(value) || isSequential(value)) return false;
  const runs = value.match(CASE_RUN_RE) ?? [];
  const characters = runs.reduce((sum, run) => sum + run.length, 0);
  return runs.length >= 6 && characters / runs.length <= 3.5 && shannonEntropy(value) >= 3.5;
}
const CASE_RUN_RE = /[A-Z]?[a-z]+|[A-Z]+|\d+/g;

/** The check of a keyword-anchored token: random, high entropy, not a file name. */
export function highEntropyToken(secret: string): boolean {
  const core = secret.replace(/[.=]+$/, '');
  return (
    looksRandom(core, { minLength: 20 }) &&
    shannonEntropy(core) >= 3.5 &&
    !/^[\w-]+\.(?:json|js|ts|py|txt|csv|html?|xml|ya?ml|md|png|jpe?g|pdf)$/i.test(core)
  );
}
