/**
 * The two shapes a provider rule takes, so that the tables beside this file stay data:
 *
 * - `token`: a format that gives itself away (`ghp_` + 36 characters): matched anywhere, between token
 *   boundaries (`bounded`); a boundary is also a percent-encoded character (`%3Dghp_…` in an encoded URL).
 * - `keyed`: a format only its context gives away (32 hex characters are a Bitbucket secret only after a
 *   `bitbucket…` name): the provider's name, a short rest of identifier, an operator in any syntax people
 *   write (`=`, `:=`, Make's `::=` and `:::=`, `?=`, `:`, `=>`, `||=`, `,` of a setter call or a header, `<-`, the `>`
 *   of an XML element, whitespace in prose, or their percent-encoded forms), an optional quote or escaped quote,
 *   then the value.
 */
import type { Rule } from '../types';
import { isPlaceholder, isReference, shannonEntropy } from '../values';

/** Right boundary of a token. */
export const E = '(?![A-Za-z0-9_-])';

/**
 * Between a name and its value: the rest of the identifier (`_API_KEY`, ` string`, `.secret`), closing
 * quotes or brackets, an operator, opening quotes. Bounded everywhere (linear).
 */
export const ASSIGN =
  '[\\w.\\- ]{0,24}?(?:["\'`\\]]|\\\\{1,3}["\']|%2[27]){0,3}\\s{0,4}' +
  '(?:=|:{1,3}=|\\?=|\\|\\|=|::?|=>|->|<-|,|\\(|>|%3[AaDd]|\\s)' +
  '\\s{0,4}(?:[rRbBuU]?["\'`]|\\\\{1,3}["\']|%2[27]|=|\\s){0,3}';

export const escapeRegex = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

interface Options {
  /** Minimum Shannon entropy of the secret. */
  entropy?: number;
  /** Placeholders of this format. */
  allow?: RegExp;
  /** Regex flags besides `g` and `d` (`i` for a case-insensitive format). */
  flags?: string;
  /** gitleaks rule ids covered (default: the rule's own id). */
  covers?: readonly string[];
  /** Overrides the default check of the value. */
  validate?: (secret: string) => boolean;
  /** Default variable name (default: the id in capitals). */
  label?: string;
  /** For `keyed`: the name part as a regex source (default: the keywords). */
  names?: string;
  priority?: number;
}

const labelOf = (id: string) => id.toUpperCase().replace(/[^A-Z0-9]+/g, '_');

function rule(
  id: string,
  description: string,
  keywords: readonly string[],
  regex: RegExp,
  options: Options,
  defaultCheck: (secret: string) => boolean,
): Rule {
  const check = options.validate ?? defaultCheck;
  return {
    id,
    description,
    label: options.label ?? labelOf(id),
    priority: options.priority ?? 2,
    keywords,
    regex,
    group: 1,
    ...(options.entropy !== undefined ? { entropy: options.entropy } : {}),
    ...(options.allow ? { allow: options.allow } : {}),
    validate: (secret) => check(secret),
    covers: options.covers ?? [id],
  };
}

/** A self-identifying format: `pattern` (a regex source, the whole of it the secret) between token boundaries. */
export function token(
  id: string,
  description: string,
  keywords: readonly string[],
  pattern: string,
  options: Options = {},
): Rule {
  const regex = new RegExp(`(${pattern})${E}`, `g${options.flags ?? ''}`);
  return { ...rule(id, description, keywords, regex, options, () => true), bounded: true };
}

/** A value that needs its context: `value` (a regex source) after one of the provider's names. */
export function keyed(
  id: string,
  description: string,
  keywords: readonly string[],
  value: string,
  options: Options = {},
): Rule {
  const names = options.names ?? keywords.map(escapeRegex).join('|');
  const regex = new RegExp(
    `(?<![A-Za-z0-9])(?:${names})${ASSIGN}(${value})(?![A-Za-z0-9_\\-+/=])`,
    `g${options.flags ?? 'i'}`,
  );
  return rule(id, description, keywords, regex, options, keyedValueLooksSecret);
}

/**
 * The default check of a keyed value (the provider's name and the format already say much): not a
 * placeholder or a reference, varied enough (entropy), and not a word (digits, or upper and lower case).
 * Values of digits only (client ids) pass when long and varied enough.
 */
export function keyedValueLooksSecret(secret: string): boolean {
  if (isPlaceholder(secret) || isReference(secret)) return false;
  if (/^\d+$/.test(secret)) return secret.length >= 10 && shannonEntropy(secret) >= 2.2;
  return shannonEntropy(secret) >= 3 && (/\d/.test(secret) || (/[a-z]/.test(secret) && /[A-Z]/.test(secret)));
}
