/**
 * A pure, fast secret scanner for the strings of a workflow (keys, values, code, URLs, prompts, headers).
 *
 * `findSecrets(text, hint)` returns the spans of `text` that are secrets, so a caller can replace only that
 * span (`Bearer sk-…` → the token, `postgres://u:p@h` → `p`). `hint.key` is the JSON key or header name the
 * string sits under; it enables whole-value rules (a `password` field holds a password).
 *
 * How it stays fast on a several-MB workflow: every rule has a cheap trigger (substring tests) and runs its
 * regex only when the trigger passes; every regex is linear (bounded quantifiers, no nested repetition).
 * How it stays quiet on benign strings: `{{…}}` / `${…}` references are never secrets, placeholders
 * (`<your-key>`, `xxxx`, `****`, `…EXAMPLE`) are ignored, and keyword-anchored generic rules need a
 * random-looking value (Shannon entropy, digits, no ids/UUIDs/paths/versions/dates/colours).
 *
 * No Node-only APIs: runs in a browser service worker and in Node.
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

// ---------------------------------------------------------------------------------------------------------
// Value heuristics
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

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const PREFIXED_ID_RE = /^[a-z]{1,8}[-_][0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const HEX_COLOUR_RE = /^#(?:[0-9a-f]{3,4}|[0-9a-f]{6}|[0-9a-f]{8})$/i;
const SEMVER_RE = /^v?\d+\.\d+(?:\.\d+)?(?:[-+][0-9A-Za-z.-]+)?$/;
const ISO_DATE_RE = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;
const PATH_RE = /^(?:\/|\.{1,2}\/|~\/|[A-Za-z]:\\)[^\s]*$/;
const URL_RE = /^[a-z][a-z0-9+.-]{1,31}:\/\//i;
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
  /^(?:none|null|nil|undefined|true|false|yes|no|on|off|n\/?a|tbd|todo|fixme|empty|blank|default|string|value|text|secret|password|passwd|token|api[_ -]?key|key|your[_ -]?\w*|my[_ -]?\w*|example\w*|sample\w*|dummy\w*|placeholder\w*|redacted\w*|hidden|masked|changed|required|optional|insert[_ -]?\w*|enter[_ -]?\w*|replace[_ -]?\w*|put[_ -]?\w*|set[_ -]?me|fill[_ -]?me(?:[_ -]?in)?|\w*[_ -]here|test|testing)$/i;
/** Anywhere in a candidate, these mean "not a real value". */
const PLACEHOLDER_PART_RE =
  /x{4,}|X{4,}|\*{3,}|•{3,}|\.{3}|…|<[^>]*>|example|placeholder|redacted|your[_-]?(?:api|key|token|secret|pass)|dummy|\{\{|\$\{/i;

/** True for placeholders (`<your-key>`, `xxxx`, `****`, `YOUR_API_KEY`, `sk-...EXAMPLE`). */
export function isPlaceholder(value: string): boolean {
  const v = value.trim();
  if (!v) return true;
  if (PLACEHOLDER_WORD_RE.test(v)) return true;
  if (PLACEHOLDER_PART_RE.test(v)) return true;
  if (/^(.)\1*$/.test(v)) return true; // one repeated character
  return false;
}

/** True for a whole value that refers to a variable (`{{context.env.X}}`, `${X}`, `process.env.X`, `$X`). */
export function isReference(value: string): boolean {
  return REFERENCE_RE.test(value.trim());
}

function isSequential(value: string): boolean {
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

// ---------------------------------------------------------------------------------------------------------
// Key names
// ---------------------------------------------------------------------------------------------------------

/** `apiKey` → `api_key`, `X-Api-Key` → `x_api_key`. */
export function normalizeKey(key: string): string {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
}

/** For `{key: 'Authorization', value: '…'}` pairs (headers, parameters, variables): the name `value` sits under. */
export function pairName(object: Record<string, unknown>): string | undefined {
  if (!('value' in object)) return undefined;
  for (const field of ['key', 'name', 'header', 'headerName', 'param', 'field']) {
    const candidate = object[field];
    if (typeof candidate === 'string') return candidate;
  }
  return undefined;
}

export type KeyKind = 'auth' | 'cookie' | 'api-key-header' | 'password' | 'secret' | 'weak';

const AUTH_HEADERS = new Set(['authorization', 'proxy_authorization']);
const COOKIE_HEADERS = new Set(['cookie', 'set_cookie']);
const API_KEY_HEADERS = new Set([
  'x_api_key',
  'x_apikey',
  'api_key',
  'apikey',
  'x_auth_token',
  'x_access_token',
  'x_auth_key',
  'x_secret',
  'x_client_secret',
  'x_api_token',
  'x_token',
  'ocp_apim_subscription_key',
  'x_goog_api_key',
  'x_functions_key',
  'private_token',
  'x_vault_token',
  'x_amz_security_token',
  'x_shopify_access_token',
  'x_figma_token',
  'x_session_token',
  'x_subscription_key',
  'x_csrf_token',
  'x_xsrf_token',
]);
/** Header names as they appear in text (for the in-text header rules). */
const API_KEY_HEADER_NAMES = [...API_KEY_HEADERS].map((name) => name.replace(/_/g, '[-_]?'));

const PASSWORD_WORDS = new Set(['password', 'passwd', 'passwort', 'pwd', 'pass', 'passphrase', 'pw']);
const SECRET_WORDS = new Set([
  'secret',
  'secrets',
  'credential',
  'credentials',
  'creds',
  'apikey',
  'bearer',
  'dsn',
  'passcode',
]);
const SECRET_PAIRS = [
  ['api', 'key'],
  ['access', 'key'],
  ['access', 'token'],
  ['refresh', 'token'],
  ['auth', 'token'],
  ['id', 'token'],
  ['session', 'token'],
  ['bearer', 'token'],
  ['private', 'key'],
  ['secret', 'key'],
  ['signing', 'key'],
  ['encryption', 'key'],
  ['master', 'key'],
  ['account', 'key'],
  ['app', 'key'],
  ['connection', 'string'],
  ['conn', 'str'],
] as const;
const WEAK_WORDS = new Set([
  'token',
  'key',
  'auth',
  'sig',
  'signature',
  'session',
  'salt',
  'hmac',
  'sas',
  'otp',
  'pat',
]);
/** Last words that make a key describe a secret rather than hold one. */
const META_LAST = new Set([
  'type',
  'types',
  'name',
  'names',
  'id',
  'ids',
  'url',
  'uri',
  'urls',
  'endpoint',
  'path',
  'file',
  'files',
  'label',
  'length',
  'count',
  'limit',
  'limits',
  'expiry',
  'expires',
  'expiration',
  'ttl',
  'at',
  'in',
  'enabled',
  'required',
  'header',
  'env',
  'var',
  'variable',
  'placeholder',
  'description',
  'desc',
  'prompt',
  'template',
  'format',
  'field',
  'fields',
  'mode',
  'strategy',
  'provider',
  'scope',
  'scopes',
  'location',
  'policy',
  'hint',
  'reset',
  'rule',
  'rules',
  'regex',
  'pattern',
  'version',
  'method',
  'methods',
  'user',
  'username',
  'email',
  'login',
  'account',
  'size',
  'max',
  'min',
  'used',
  'usage',
  'source',
  'status',
  'ref',
  'reference',
  'vault',
  'store',
  'manager',
  'kind',
  'algorithm',
  'alg',
  'encoding',
  'index',
  'prefix',
  'suffix',
  'mask',
  'masked',
  'visible',
  'valid',
  'validation',
  'rotation',
  'created',
  'updated',
  'owner',
  'note',
  'notes',
  'help',
  'title',
  'message',
  'error',
  'column',
  'param',
  'parameter',
  'option',
  'options',
  'setting',
  'settings',
  'secure',
  'is',
  'has',
  'date',
  'time',
  'timeout',
  'host',
  'port',
  'region',
  'bucket',
  'location',
  'dir',
  'folder',
  'arn',
]);
const META_ANY = new Set([
  'max',
  'min',
  'num',
  'public',
  'publishable',
  'client_id',
  'keyboard',
  'monkey',
  'tokenizer',
  'keyword',
  'keywords',
  'is',
  'has',
  'show',
  'hide',
  'forgot',
  'confirm',
  'use',
  'total',
  'prompt',
  'completion',
  'output',
  'input',
]);

const keyKindCache = new Map<string, KeyKind | null>();

/** What a key name says about the string under it. */
export function classifyKey(key: string | undefined): KeyKind | null {
  if (!key) return null;
  const cached = keyKindCache.get(key);
  if (cached !== undefined) return cached;
  const kind = classifyKeyUncached(key);
  if (keyKindCache.size > 5000) keyKindCache.clear();
  keyKindCache.set(key, kind);
  return kind;
}

function classifyKeyUncached(key: string): KeyKind | null {
  if (key.length > 80 || key.includes('{{') || key.includes('${')) return null;
  const norm = normalizeKey(key);
  if (!norm) return null;
  if (AUTH_HEADERS.has(norm)) return 'auth';
  if (COOKIE_HEADERS.has(norm)) return 'cookie';
  if (API_KEY_HEADERS.has(norm) && norm !== 'api_key' && norm !== 'apikey') return 'api-key-header';
  const words = norm.split('_');
  const last = words[words.length - 1]!;
  if (META_LAST.has(last) && words.length > 1) return null;
  if (words.some((word) => META_ANY.has(word))) return null;
  // `password2`, `secret1`: a trailing number does not change what the word names (but `pass1`, `pw2` may
  // be steps or passes, so the short words need to stand alone).
  const bare = words.map((word) => word.replace(/(?<=[a-z])\d{1,3}$/, ''));
  if (words.some((word) => PASSWORD_WORDS.has(word))) return 'password';
  if (bare.some((word) => PASSWORD_WORDS.has(word) && word !== 'pass' && word !== 'pw')) return 'password';
  if (bare.some((word) => SECRET_WORDS.has(word))) return 'secret';
  for (const [a, b] of SECRET_PAIRS) {
    const i = words.indexOf(a);
    if (i >= 0 && words[i + 1] === b) return 'secret';
  }
  if (norm === 'api_key' || norm === 'apikey') return 'secret';
  if (words.some((word) => WEAK_WORDS.has(word))) return 'weak';
  if (words.some((word) => /^(?:apikey|accesstoken|authtoken|secretkey|privatekey|clientsecret)$/.test(word)))
    return 'secret';
  return null;
}

// ---------------------------------------------------------------------------------------------------------
// Rules
// ---------------------------------------------------------------------------------------------------------

interface TextRule {
  id: string;
  description: string;
  label: string;
  /** Lower number wins when findings overlap. */
  priority: number;
  /** Cheap pre-filter; `lower` is the lower-cased text. */
  trigger: (text: string, lower: string) => boolean;
  regex: RegExp;
  /** Capture group holding the secret (0 = whole match). */
  group?: number;
  /** Capture group holding a readable name for the secret. */
  labelGroup?: number;
  /** Further checks on a candidate. */
  validate?: (secret: string, match: RegExpExecArray, text: string) => boolean;
  /**
   * A cheaper regex that finds something in every text in which `regex` can match (a necessary condition,
   * never a decision): when it finds nothing, the rule's regex is not run. `findSecrets` only.
   */
  precheck?: RegExp;
  /**
   * Ask `validate` before the placeholder test (both must pass, so the order changes nothing but the time):
   * for rules whose `validate` first classifies a key name and rejects most candidates at once.
   */
  validateFirst?: boolean;
  /** Pick the rule id from the match (e.g. url-secret-param vs secret-assignment). */
  ruleFor?: (match: RegExpExecArray, text: string) => string;
  /**
   * Several secrets inside one candidate (the secret values of a Cookie header, the tokens a keyword's
   * lookaheads captured): their spans relative to the candidate, each with an optional label, after each
   * one's own checks; each span is then tested against placeholders on its own.
   */
  spans?: (secret: string, match: RegExpExecArray, text: string) => KeyedSpan[];
}

/** A trigger that looks for fixed substrings (case-sensitive); the needles are kept for the combined test. */
type NeedleTrigger = ((text: string) => boolean) & { needles: readonly string[] };

const has = (...needles: string[]): NeedleTrigger =>
  Object.assign((text: string) => needles.some((needle) => text.includes(needle)), { needles });
const hasLower =
  (...needles: string[]) =>
  (_text: string, lower: string) =>
    needles.some((needle) => lower.includes(needle));

const B = '(?<![A-Za-z0-9_-])'; // left boundary for token-like secrets
const E = '(?![A-Za-z0-9_-])'; // right boundary

const SCHEMES =
  '(?:bearer|basic|token|digest|apikey|api-key|bot|oauth|ssws|negotiate|hmac|key|jwt|sharedaccesssignature)';

const TEXT_RULES: TextRule[] = [
  // ----- provider keys: distinctive prefixes, high precision -----
  {
    id: 'private-key-pem',
    description: 'PEM private key block (RSA, EC, DSA, OpenSSH, PGP, PKCS#8)',
    label: 'PRIVATE_KEY',
    priority: 1,
    trigger: has('PRIVATE KEY'),
    regex:
      /-----BEGIN[ A-Z0-9]{0,40}PRIVATE KEY(?: BLOCK)?-----(?:[\s\S]{0,16384}?-----END[ A-Z0-9]{0,40}PRIVATE KEY(?: BLOCK)?-----|(?:[A-Za-z0-9+/=\s:,-]|\\[nr]){0,16384})/g,
  },
  {
    id: 'anthropic-key',
    description: 'Anthropic API key (sk-ant-…)',
    label: 'ANTHROPIC_API_KEY',
    priority: 2,
    trigger: has('sk-ant-'),
    regex: new RegExp(`${B}sk-ant-(?:api|admin|sid)?\\d{0,3}-?[A-Za-z0-9_-]{20,200}${E}`, 'g'),
  },
  {
    id: 'openai-key',
    description: 'OpenAI API key (sk-…, sk-proj-…, sk-svcacct-…)',
    label: 'OPENAI_API_KEY',
    priority: 2,
    trigger: has('sk-'),
    regex: new RegExp(`${B}sk-(?!ant-)(?:proj-|svcacct-|admin-|None-)?[A-Za-z0-9_-]{20,200}${E}`, 'g'),
    validate: (secret) =>
      looksRandom(secret.replace(/^sk-(?:proj-|svcacct-|admin-|None-)?/, ''), { minLength: 20 }),
  },
  {
    id: 'aws-access-key-id',
    description: 'AWS access key id (AKIA…, ASIA…)',
    label: 'AWS_ACCESS_KEY_ID',
    priority: 2,
    trigger: has('AKIA', 'ASIA', 'ABIA', 'ACCA', 'A3T'),
    regex: /(?<![A-Z0-9])(?:AKIA|ASIA|ABIA|ACCA|A3T[A-Z0-9])[A-Z2-7]{16}(?![A-Z0-9])/g,
  },
  {
    id: 'aws-secret-key',
    description: 'AWS secret access key next to an AWS keyword',
    label: 'AWS_SECRET_ACCESS_KEY',
    priority: 2,
    // hasLower('aws', 'secret_access', 'secretaccess'), with one search instead of two when `secret` is absent.
    trigger: (_text, lower) =>
      lower.includes('aws') ||
      (lower.includes('secret') && (lower.includes('secret_access') || lower.includes('secretaccess'))),
    regex:
      /(aws|secret_?access)[\w.-]{0,30}["'\]]?\s{0,4}(?:[:=]|:=|=>|,)\s{0,4}[rb]?["'`]?([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])/gi,
    group: 2,
    validate: (secret) => looksRandom(secret, { minLength: 40 }),
  },
  {
    id: 'github-token',
    description: 'GitHub token (ghp_, gho_, ghu_, ghs_, ghr_, github_pat_)',
    label: 'GITHUB_TOKEN',
    priority: 2,
    trigger: has('ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_', 'github_pat_'),
    regex: new RegExp(`${B}(?:gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{22,255})${E}`, 'g'),
  },
  {
    id: 'gitlab-token',
    description: 'GitLab token (glpat-, glptt-, gldt-, glrt-, gloas-)',
    label: 'GITLAB_TOKEN',
    priority: 2,
    trigger: has('glpat-', 'glptt-', 'gldt-', 'glrt-', 'gloas-'),
    regex: new RegExp(`${B}(?:glpat|glptt|gldt|glrt|gloas)-[A-Za-z0-9_-]{20,64}${E}`, 'g'),
  },
  {
    id: 'slack-webhook',
    description: 'Slack incoming-webhook or workflow URL',
    label: 'SLACK_WEBHOOK_URL',
    priority: 1,
    trigger: has('hooks.slack.com'),
    regex: /https?:\/\/hooks\.slack\.com\/(?:services|workflows|triggers)\/[A-Za-z0-9+/_-]{20,200}/g,
  },
  {
    id: 'slack-token',
    description: 'Slack token (xoxb-, xoxp-, xoxa-, xoxe-, xapp-)',
    label: 'SLACK_TOKEN',
    priority: 2,
    trigger: has('xox', 'xapp-'),
    regex: new RegExp(
      `${B}(?:xox[abposrce](?:\\.[A-Za-z0-9]+)?-[A-Za-z0-9-]{10,250}|xapp-\\d-[A-Z0-9]{6,}-\\d{6,}-[a-z0-9]{20,})${E}`,
      'g',
    ),
  },
  {
    id: 'discord-webhook',
    description: 'Discord webhook URL',
    label: 'DISCORD_WEBHOOK_URL',
    priority: 1,
    trigger: hasLower('discord'),
    regex:
      /https?:\/\/(?:ptb\.|canary\.)?discord(?:app)?\.com\/api\/webhooks\/\d{5,30}\/[A-Za-z0-9_-]{40,100}/gi,
  },
  {
    id: 'discord-bot-token',
    description: 'Discord bot token',
    label: 'DISCORD_BOT_TOKEN',
    priority: 3,
    trigger: (text) => text.length >= 59 && (text.includes('M') || text.includes('N') || text.includes('O')),
    regex: new RegExp(`${B}[MNO][A-Za-z0-9_-]{23,27}\\.[A-Za-z0-9_-]{6}\\.[A-Za-z0-9_-]{27,40}${E}`, 'g'),
    validate: (secret) => /\d/.test(secret) && shannonEntropy(secret) > 4,
  },
  {
    id: 'telegram-bot-token',
    description: 'Telegram bot token (123456789:AA…)',
    label: 'TELEGRAM_BOT_TOKEN',
    priority: 2,
    trigger: has(':AA'),
    regex: /(?<!\d)\d{8,10}:AA[A-Za-z0-9_-]{33}(?![A-Za-z0-9_-])/g,
  },
  {
    id: 'google-api-key',
    description: 'Google API key (AIza…)',
    label: 'GOOGLE_API_KEY',
    priority: 2,
    trigger: has('AIza'),
    regex: new RegExp(`${B}AIza[0-9A-Za-z_-]{35}${E}`, 'g'),
  },
  {
    id: 'google-oauth-secret',
    description: 'Google OAuth client secret (GOCSPX-…) or access token (ya29.…)',
    label: 'GOOGLE_OAUTH_SECRET',
    priority: 2,
    trigger: has('GOCSPX-', 'ya29.'),
    regex: new RegExp(`${B}(?:GOCSPX-[A-Za-z0-9_-]{28}|ya29\\.[0-9A-Za-z_-]{20,2048})${E}`, 'g'),
  },
  {
    id: 'stripe-key',
    description: 'Stripe secret/restricted key or webhook secret (sk_live_, rk_live_, sk_test_, whsec_)',
    label: 'STRIPE_SECRET_KEY',
    priority: 2,
    trigger: has('sk_live_', 'sk_test_', 'rk_live_', 'rk_test_', 'whsec_'),
    regex: new RegExp(
      `${B}(?:(?:sk|rk)_(?:live|test)_[0-9A-Za-z]{16,247}|whsec_[A-Za-z0-9+/=]{24,})${E}`,
      'g',
    ),
  },
  {
    id: 'sendgrid-key',
    description: 'SendGrid API key (SG.….…)',
    label: 'SENDGRID_API_KEY',
    priority: 2,
    trigger: has('SG.'),
    regex: new RegExp(`${B}SG\\.[A-Za-z0-9_-]{22}\\.[A-Za-z0-9_-]{43}${E}`, 'g'),
  },
  {
    id: 'twilio-key',
    description: 'Twilio API key SID (SK + 32 hex)',
    label: 'TWILIO_API_KEY',
    priority: 2,
    trigger: has('SK'),
    regex: /(?<![A-Za-z0-9])SK[0-9a-fA-F]{32}(?![A-Za-z0-9])/g,
  },
  {
    id: 'mailgun-key',
    description: 'Mailgun API key (key-…)',
    label: 'MAILGUN_API_KEY',
    priority: 2,
    trigger: has('key-'),
    regex: /(?<![A-Za-z0-9_-])key-[0-9a-f]{32}(?![A-Za-z0-9])/g,
  },
  {
    id: 'mailchimp-key',
    description: 'Mailchimp API key (…-us12)',
    label: 'MAILCHIMP_API_KEY',
    priority: 2,
    trigger: has('-us'),
    regex: /(?<![A-Za-z0-9])[0-9a-f]{32}-us\d{1,2}(?![A-Za-z0-9])/g,
  },
  {
    id: 'npm-token',
    description: 'npm access token (npm_…)',
    label: 'NPM_TOKEN',
    priority: 2,
    trigger: has('npm_'),
    regex: new RegExp(`${B}npm_[A-Za-z0-9]{36}${E}`, 'g'),
  },
  {
    id: 'pypi-token',
    description: 'PyPI upload token (pypi-…)',
    label: 'PYPI_TOKEN',
    priority: 2,
    trigger: has('pypi-'),
    regex: new RegExp(`${B}pypi-AgE[A-Za-z0-9_-]{50,}${E}`, 'g'),
  },
  {
    id: 'huggingface-token',
    description: 'Hugging Face token (hf_…)',
    label: 'HF_TOKEN',
    priority: 2,
    trigger: has('hf_'),
    regex: new RegExp(`${B}hf_[A-Za-z0-9]{30,40}${E}`, 'g'),
    validate: (secret) => looksRandom(secret.slice(3), { minLength: 30 }) || shannonEntropy(secret) > 4,
  },
  {
    id: 'azure-connection-string',
    description: 'Azure storage / Service Bus key inside a connection string (AccountKey=, SharedAccessKey=)',
    label: 'AZURE_ACCOUNT_KEY',
    priority: 2,
    trigger: has('AccountKey=', 'SharedAccessKey=', 'accountkey=', 'sharedaccesskey='),
    regex: /\b(?:AccountKey|SharedAccessKey)=([A-Za-z0-9+/]{30,100}={0,2})/gi,
    group: 1,
  },
  {
    id: 'azure-client-secret',
    description: 'Azure AD (Entra) client secret (…8Q~…)',
    label: 'AZURE_CLIENT_SECRET',
    priority: 3,
    trigger: has('Q~'),
    regex: /(?<![A-Za-z0-9_~.-])[A-Za-z0-9_~.-]{3}\dQ~[A-Za-z0-9_~.-]{31,34}(?![A-Za-z0-9_~.-])/g,
  },
  {
    id: 'shopify-token',
    description: 'Shopify access token (shpat_, shpca_, shppa_, shpss_)',
    label: 'SHOPIFY_TOKEN',
    priority: 2,
    trigger: has('shp'),
    regex: new RegExp(`${B}shp(?:at|ca|pa|ss)_[a-fA-F0-9]{32}${E}`, 'g'),
  },
  {
    id: 'digitalocean-token',
    description: 'DigitalOcean token (dop_v1_…)',
    label: 'DIGITALOCEAN_TOKEN',
    priority: 2,
    trigger: has('do_v1_', 'dop_v1_', 'doo_v1_', 'dor_v1_'),
    regex: new RegExp(`${B}do[por]?_v1_[a-f0-9]{64}${E}`, 'g'),
  },
  {
    id: 'notion-token',
    description: 'Notion integration token (secret_…, ntn_…)',
    label: 'NOTION_TOKEN',
    priority: 2,
    trigger: has('secret_', 'ntn_'),
    regex: new RegExp(`${B}(?:secret_[A-Za-z0-9]{43}|ntn_[A-Za-z0-9]{40,50})${E}`, 'g'),
  },
  {
    id: 'linear-key',
    description: 'Linear API key (lin_api_…)',
    label: 'LINEAR_API_KEY',
    priority: 2,
    trigger: has('lin_api_'),
    regex: new RegExp(`${B}lin_api_[A-Za-z0-9]{40}${E}`, 'g'),
  },
  {
    id: 'atlassian-token',
    description: 'Atlassian API token (ATATT…)',
    label: 'ATLASSIAN_API_TOKEN',
    priority: 2,
    trigger: has('ATATT'),
    regex: new RegExp(`${B}ATATT[A-Za-z0-9_=-]{100,300}${E}`, 'g'),
  },
  {
    id: 'kore-api-key',
    description: 'Kore.ai / AI for Process API key (kg-<uuid>-… , kg-…)',
    label: 'KORE_API_KEY',
    priority: 2,
    trigger: has('kg-'),
    regex: new RegExp(
      `${B}kg-(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(?:-[A-Za-z0-9]{1,64})*|[A-Za-z0-9]{24,128}(?:-[A-Za-z0-9]{1,64})*)${E}`,
      'g',
    ),
    validate: (secret) =>
      UUID_RE.test(secret.slice(3, 39)) || looksRandom(secret.slice(3), { minLength: 24 }),
  },
  {
    id: 'jwt',
    description: 'JSON Web Token (eyJ….eyJ….…)',
    label: 'JWT',
    priority: 2,
    trigger: has('eyJ'),
    regex: new RegExp(
      `${B}eyJ[A-Za-z0-9_-]{8,4096}\\.[A-Za-z0-9_-]{8,8192}\\.[A-Za-z0-9_-]{0,4096}${E}`,
      'g',
    ),
  },

  // ----- URLs and connection strings -----
  {
    id: 'url-credentials',
    description:
      'Password in a URL or connection string (scheme://user:password@host), or a random token as its user name',
    label: 'URL_PASSWORD',
    priority: 4,
    trigger: (text) => text.includes('://') && text.includes('@'),
    // `user:password@` (group 3) or `token@` (group 4), in one search. The password may hold `@` and `/`: the
    // userinfo runs to the last `@` before the host, i.e. the first `@` followed by a host that runs to the
    // end of the authority (a `/`, `?`, `#`, quote, space or the end).
    regex:
      /\b([a-z][a-z0-9+.-]{1,31}):\/\/(?:([^\s:/?#@"'`<>\\]{0,256}):([^\s"'`<>\\]{1,512}?)@(?=[\w[][^\s/?#@"'`<>\\]{0,256}(?:[\s/?#"'`<>\\]|$))|([A-Za-z0-9_-]{20,256})@(?=[\w[]))/gi,
    group: -1, // group 3 or 4, whichever matched
    labelGroup: 1,
    validate: (secret, match) =>
      match[4] !== undefined
        ? // A user name: an ordinary one (`git`, `deploy`, `customer-profile-service`) or a UUID is not random.
          looksRandom(secret, { minLength: 20 })
        : !isPlaceholder(secret) &&
          !isReference(secret) &&
          // `host:8080/path/@user`: a port and a path, not a password
          !(secret.includes('/') && /^\d{1,5}\//.test(secret)),
  },
  {
    id: 'teams-webhook',
    description: 'Microsoft Teams incoming-webhook URL',
    label: 'TEAMS_WEBHOOK_URL',
    priority: 1,
    trigger: has('webhook.office.com', 'outlook.office'),
    regex:
      /https?:\/\/(?:[\w-]{1,63}\.webhook\.office\.com\/webhookb2|outlook\.office(?:365)?\.com\/webhook(?:b2)?)\/[A-Za-z0-9@/_=-]{40,600}/g,
  },

  // ----- headers, in header lists and inside code, cURL and strings -----
  {
    id: 'auth-header',
    description: 'Authorization header value (Bearer, Basic, Token, …) in code, cURL or text',
    label: 'AUTHORIZATION',
    priority: 5,
    trigger: hasLower('authorization'),
    regex: new RegExp(
      `(?<![\\w-])((?:proxy-)?authorization)["'\\]]{0,2}\\s{0,4}[:=,]\\s{0,4}["'\`]?\\s{0,4}(?:(${SCHEMES})\\s{1,4})?([^\\s"'\`,;<>{}()\\[\\]\\\\]{6,4096})`,
      'gi',
    ),
    group: 3,
    labelGroup: 1,
    validate: (secret, match) =>
      match[2] ? !isPlaceholder(secret) : looksRandom(secret, { minLength: 12, allowUuid: true }),
  },
  {
    id: 'auth-header',
    description: 'Bearer / Basic credential in text',
    label: 'AUTHORIZATION',
    priority: 5,
    trigger: hasLower('bearer', 'basic '),
    regex:
      /(?<![\w-])(?:[Bb]earer|BEARER|[Bb]asic|BASIC)\s{1,4}([A-Za-z0-9\-._~+/]{12,4096}=*)(?![A-Za-z0-9\-._~+/=])/g,
    group: 1,
    validate: (secret) => looksRandom(secret, { minLength: 12, allowUuid: true }),
  },
  {
    id: 'auth-header',
    description: 'Token literal concatenated to a scheme word in code ("Bearer " + "…")',
    label: 'AUTHORIZATION',
    priority: 5,
    trigger: (text, lower) =>
      text.includes('+') &&
      (lower.includes('bearer') ||
        lower.includes('basic') ||
        lower.includes('token') ||
        lower.includes('key') ||
        lower.includes('auth')),
    // A `+` then a quote, as the regex needs (most texts with a `+` have no concatenated string).
    precheck: /\+\s{0,4}["'`]/,
    regex:
      /(["'`])(?:bearer|basic|token|apikey|api-key|key|oauth) {1,4}\1\s{0,4}\+\s{0,4}(["'`])([^"'`\\\r\n]{8,4096})\2/gi,
    group: 3,
    validate: (secret) => looksRandom(secret, { minLength: 12, allowUuid: true }),
  },
  {
    id: 'cookie-header',
    description: 'Cookie / Set-Cookie header value',
    label: 'COOKIE',
    priority: 5,
    trigger: hasLower('cookie'),
    regex: /(?<![\w-])((?:set-)?cookie)["'\]]{0,2}\s{0,4}[:,]\s{0,4}["'`]?([^"'`\r\n]{6,16384})/gi,
    group: 2,
    labelGroup: 1,
    validate: (secret) => secret.includes('='),
    // Only the values that look secret (`session=…`), not `theme=dark; lang=en` around them.
    spans: (secret) => cookieSecretSpans(secret),
  },
  {
    id: 'api-key-header',
    description: 'API-key header value (x-api-key, api-key, x-auth-token, ocp-apim-subscription-key, …)',
    label: 'API_KEY',
    priority: 5,
    trigger: hasLower('key', 'token', 'secret'),
    regex: new RegExp(
      `(?<![\\w-])(${API_KEY_HEADER_NAMES.filter((name) => name.includes('[-_]')).join('|')})["'\\]]{0,2}\\s{0,4}[:,]\\s{0,4}["'\`]?([^\\s"'\`,;<>{}()\\[\\]\\\\]{8,4096})`,
      'gi',
    ),
    group: 2,
    labelGroup: 1,
    validate: (secret) => looksRandom(secret, { minLength: 8, allowUuid: true }),
  },

  // ----- assignments in code, JSON held in strings, query strings and form bodies -----
  {
    id: 'secret-assignment',
    description: 'Quoted value assigned to a secret-named variable or key (code, JSON in strings, kwargs)',
    label: 'SECRET',
    priority: 6,
    trigger: (text, lower) => (text.includes('=') || text.includes(':')) && hasSecretKeyword(lower),
    // The operator's last character (`=`, `>`, `:`), up to 4 spaces, a string prefix, an opening quote.
    precheck: /[:=>]\s{0,4}[rRbBuU]?["'`]/,
    regex:
      /(?<![\w$])(["']?)([A-Za-z_$][\w$-]{0,63})\1\s{0,4}\]?\s{0,4}(?::=|=>|=|:)\s{0,4}[rRbBuU]?(?:"([^"\\\r\n]{1,1024})"|'([^'\\\r\n]{1,1024})'|`([^`\\]{1,1024})`)/g,
    group: -1, // resolved in code: the first of groups 3..5 that matched
    labelGroup: 2,
    validate: (secret, match) => judgeKeyedValue(match[2]!, secret) !== null,
    validateFirst: true,
  },
  {
    id: 'secret-assignment',
    description:
      'Value of a secret-named key in JSON held in a JSON string, quotes escaped ({\\"password\\":\\"…\\"}, GraphQL)',
    label: 'SECRET',
    priority: 6,
    trigger: (text, lower) => text.includes('\\"') && hasSecretKeyword(lower),
    // `\"key\": \"value\"` or `key: \"value\"`, with any depth of escaping; the span is the value only.
    regex:
      /(?<![\w$\\])(?:\\{1,7}")?([A-Za-z_$][\w$-]{0,63})(?:\\{1,7}")?\s{0,4}[:=]\s{0,4}\\{1,7}"([^"\\\r\n]{1,1024})\\{1,7}"/g,
    group: -1, // group 2
    labelGroup: 1,
    validate: (secret, match) => judgeKeyedValue(match[1]!, secret) !== null,
    validateFirst: true,
  },
  {
    id: 'secret-assignment',
    description: 'Fallback value of an environment lookup (os.environ.get("X", "…"), process.env.X || "…")',
    label: 'SECRET',
    priority: 6,
    // hasLower('environ', 'getenv', 'process.env'): each needle holds `env`, searched first.
    trigger: (_text, lower) =>
      lower.includes('env') &&
      (lower.includes('environ') || lower.includes('getenv') || lower.includes('process.env')),
    regex:
      /(?:(?:os\.)?environ\.get|(?:os\.)?getenv)\(\s{0,4}["']([\w.-]{1,64})["']\s{0,4},\s{0,4}["']([^"'\\\r\n]{1,1024})["']|process\.env(?:\.([\w$]{1,64})|\[\s{0,2}["']([\w.-]{1,64})["']\s{0,2}\])\s{0,4}(?:\|\||\?\?)\s{0,4}["'`]([^"'`\\\r\n]{1,1024})["'`]/g,
    group: -1,
    labelGroup: -1,
    validate: (secret, match) => judgeKeyedValue((match[1] ?? match[3] ?? match[4])!, secret) !== null,
    validateFirst: true,
  },
  {
    id: 'url-secret-param',
    description:
      'Secret-named parameter in a query string, form body or connection string (api_key=…&token=…, Password=…;)',
    label: 'SECRET',
    priority: 6,
    trigger: (text, lower) => text.includes('=') && hasSecretKeyword(lower),
    regex: /(?<![\w.[\]-])([A-Za-z_][\w.[\]-]{0,63})=(?!=)([^\s"'`&;,<>(){}|\\]{1,2048})/g,
    group: 2,
    labelGroup: 1,
    validate: (secret, match, text) => {
      if (text[(match.index ?? 0) + match[0].length] === '(') return false;
      return judgeKeyedValue(match[1]!, secret) !== null;
    },
    validateFirst: true,
    ruleFor: (match, text) => {
      const before = text[(match.index ?? 0) - 1];
      return before === '?' || before === '&' || before === '#' ? 'url-secret-param' : 'secret-assignment';
    },
  },

  {
    id: 'password-in-text',
    description: 'Password written in prose, YAML, XML or logs (password: …, password is …, <password>…)',
    label: 'PASSWORD',
    priority: 7,
    trigger: hasLower('pass', 'pwd'),
    regex:
      /(?<![A-Za-z0-9])(passw(?:or)?d|passwort|pwd|passphrase|passcode)s?(?:\s{1,3}(?:is|was|=)\s{1,3}|\s{0,3}[:=\uff1a]\s{0,3}|>)["']?([^\s"'`<>,;&]{6,128})/gi,
    group: 2,
    labelGroup: 1,
    validate: (secret) => {
      const core = secret.replace(/[.!?)]$/, '');
      return /^\d{6,}$/.test(core) || passwordLike(core); // 6+ digits: a PIN-like password
    },
  },
  {
    id: 'cli-password',
    description: 'Password on a curl command line (curl -u user:password, --user user:password)',
    label: 'PASSWORD',
    priority: 6,
    trigger: hasLower('curl'),
    regex:
      /\bcurl\b(?:[^\n|;]|\\\r?\n){0,400}?\s(?:-u\s{0,4}|--user(?:\s{1,4}|=))(["']?)([^\s:"'`\\]{1,128}):([^\s"'`\\]{1,256})\1(?![^\s"'`\\])/g,
    group: 3,
    validate: (secret) => passwordLike(secret),
  },
  {
    id: 'cli-password',
    description: 'Password attached to -p on a MySQL / MariaDB command line (mysql -u root -pPASSWORD)',
    label: 'PASSWORD',
    priority: 6,
    trigger: hasLower('mysql', 'mariadb'),
    regex:
      /\b(?:mysql|mariadb)\w{0,12}\b(?:[^\n|;]|\\\r?\n){0,400}?\s-p(["']?)([^\s"'`\\]{1,128})\1(?![^\s"'`\\])/g,
    group: 2,
    validate: (secret) => passwordLike(secret),
  },
  {
    id: 'cli-password',
    description: 'Password in a .netrc entry (machine … login … password …)',
    label: 'PASSWORD',
    priority: 6,
    trigger: (_text, lower) =>
      lower.includes('password') && (lower.includes('machine') || lower.includes('default')),
    regex:
      /(?<![\w-])(machine\s{1,8}\S{1,256}|default)(?:\s{1,8}(?:login|account|port|protocol)\s{1,8}\S{1,256}){0,4}\s{1,8}password\s{1,8}([^\s"'`\\]{1,256})(?![^\s"'`\\])/g,
    group: 2,
    // After `machine host`, whatever follows `password` is the password; after `default` (prose too), only
    // something that looks like one.
    validate: (secret, match) =>
      !isReference(secret) &&
      !secret.startsWith('$') &&
      (match[1]!.startsWith('machine') ? secret.length >= 4 : passwordLike(secret)),
  },

  // ----- keyword + entropy, last resort in prose and unknown formats -----
  {
    id: 'generic-high-entropy',
    description:
      'Random-looking token shortly after a keyword (key, token, secret, password, credential, auth), or later in the same sentence',
    label: 'SECRET',
    priority: 9,
    trigger: (_text, lower) => hasSecretKeyword(lower),
    // The match is the keyword alone (one search for keywords); two lookaheads capture the candidates: a token
    // within 24 characters (group 1), and one later in the same sentence (group 3) after prose (group 2: no
    // line or sentence end, no quotes, brackets, `=` or `;`, which would be code).
    regex:
      /(?<![A-Za-z0-9+/])(?:api[ _-]?key|apikey|token|secret|passw(?:or)?d|pwd|credentials?|access[ _-]?key|auth)(?=(?:[^\n]{0,24}?(?<![A-Za-z0-9_\-+/=.])([A-Za-z0-9_\-+/.]{20,512}={0,3})(?![A-Za-z0-9_\-+/=.]))?)(?=(?:([^\n\r"'`{}[\];=.!?<>]{25,120}?)(?<![A-Za-z0-9_\-+/=.])([A-Za-z0-9_\-+/.]{20,512}={0,3})(?![A-Za-z0-9_\-+/=.]))?)/gi,
    spans: (_keyword, match, text) => {
      const spans: KeyedSpan[] = [];
      if (inArn(text, match.index)) return spans; // `…:secret:prod/db-AbCdEf`: a name, not a secret
      const indices = match.indices!;
      if (match[1] !== undefined && highEntropyToken(match[1]))
        spans.push({ start: indices[1]![0] - match.index, end: indices[1]![1] - match.index });
      if (match[3] !== undefined && !FAR_GAP_ID_RE.test(match[2]!) && highEntropyToken(match[3]))
        spans.push({ start: indices[3]![0] - match.index, end: indices[3]![1] - match.index });
      return spans;
    },
  },
];

/** Words between keyword and token that say the token is an id or a hash, not the secret. */
const FAR_GAP_ID_RE =
  /\b(?:commit|sha\d*|hash(?:es)?|checksum|digest|fingerprint|ids?|uuid|build|version|request|trace|arn|user(?:name)?|account)\b/i;

/**
 * True when position `at` of `text` lies inside an ARN (`arn:aws:secretsmanager:…:secret:prod/db-AbCdEf`): its
 * `secret` is a resource type and what follows it a name. Looks back at most 128 characters.
 */
function inArn(text: string, at: number): boolean {
  const stop = Math.max(0, at - 128);
  let i = at;
  while (i > stop && !ARN_STOP_RE.test(text[i - 1]!)) i--;
  return text.startsWith('arn:', i);
}
const ARN_STOP_RE = /[\s"'`<>(){}[\],;=]/;

/** The check of a keyword-anchored token: random, high entropy, not a file name. */
function highEntropyToken(secret: string): boolean {
  const core = secret.replace(/[.=]+$/, '');
  return (
    looksRandom(core, { minLength: 20 }) &&
    shannonEntropy(core) >= 3.5 &&
    !/^[\w-]+\.(?:json|js|ts|py|txt|csv|html?|xml|ya?ml|md|png|jpe?g|pdf)$/i.test(core)
  );
}

/** A value that looks like a password rather than a word of prose or a reference. */
function passwordLike(core: string): boolean {
  if (isReference(core) || isBenignShape(core) || core.startsWith('{') || core.startsWith('$')) return false;
  // A word ("required", "case-sensitive") is prose; a password has digits, symbols or mixed case.
  if (/^[a-z]+(?:-[a-z]+)*$/.test(core) || (isWordish(core) && !/\d/.test(core))) return false;
  return /[\d!@#%^&*+=?~]/.test(core) || (/[a-z]/.test(core) && /[A-Z]/.test(core));
}

const SECRET_KEYWORD_RE = /pass|pwd|secret|token|key|auth|cred|sig|session|bearer|dsn|conn/;

/** The last text `hasSecretKeyword` was asked about and its answer (several triggers ask about one text). */
let keywordText: string | undefined;
let keywordAnswer = false;

/** `SECRET_KEYWORD_RE.test(lower)`, searched once per text however many triggers ask. */
function hasSecretKeyword(lower: string): boolean {
  if (lower !== keywordText) {
    keywordAnswer = SECRET_KEYWORD_RE.test(lower);
    keywordText = lower;
  }
  return keywordAnswer;
}

const escapeRegex = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * An alternation of `words` (none empty) as a prefix tree (`a(?:bc|d)|x`), for `test` only: finds something in
 * exactly the texts `a|b|…` finds something in, but the regex engine tries one branch per first character
 * instead of every word at every position.
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
      // A word that ends here makes the rest optional for a test: `key` already matches wherever `key-` does.
      if (rests.includes('')) return escapeRegex(first);
      return escapeRegex(first) + (rests.length === 1 ? escapeRegex(rests[0]!) : `(?:${prefixTree(rests)})`);
    })
    .join('|');
}

/** Every needle of every fixed-substring trigger: finds something exactly when one of those triggers would. */
const NEEDLE_RE = new RegExp(
  prefixTree([
    ...new Set(
      TEXT_RULES.flatMap((rule) =>
        'needles' in rule.trigger ? (rule.trigger as NeedleTrigger).needles : [],
      ),
    ),
  ]),
);

/** The rules, for documentation and reports. */
export const SECRET_RULES: readonly SecretRuleInfo[] = (() => {
  const seen = new Map<string, SecretRuleInfo>();
  for (const rule of TEXT_RULES) {
    if (!seen.has(rule.id))
      seen.set(rule.id, { id: rule.id, description: rule.description, label: rule.label });
  }
  seen.set('secret-field', {
    id: 'secret-field',
    description: 'Whole value of a field named like a password, secret, API key or access token',
    label: 'SECRET',
  });
  return [...seen.values()];
})();

const RULE_PRIORITY = new Map<string, number>(TEXT_RULES.map((rule) => [rule.id, rule.priority]));
RULE_PRIORITY.set('secret-field', 7);
RULE_PRIORITY.set('url-secret-param', 6);

export function defaultLabelForRule(rule: string): string {
  return SECRET_RULES.find((info) => info.id === rule)?.label ?? 'SECRET';
}

// ---------------------------------------------------------------------------------------------------------
// Keyed values (hint.key, assignments, parameters)
// ---------------------------------------------------------------------------------------------------------

const SCHEME_PREFIX_RE = new RegExp(`^(${SCHEMES})\\s{1,4}`, 'i');
/** A scheme word alone (`"Bearer " + token`: the header is built in code, the token is elsewhere). */
const SCHEME_ONLY_RE = new RegExp(`^${SCHEMES}$`, 'i');

/** A span of a secret relative to a scanned value, with a readable name for it when one is known. */
interface KeyedSpan {
  start: number;
  end: number;
  label?: string;
}

/** Cookie attributes (`Set-Cookie`): never secret. */
const COOKIE_ATTRIBUTE_RE =
  /^(?:path|domain|expires|max-age|samesite|secure|httponly|priority|partitioned|version|comment)$/i;
/** Cookie names that hold a session or a credential. */
const COOKIE_SECRET_NAME_RE = /sess|sid|auth|tok|jwt|key|secret|pass|csrf|xsrf|remember|cred|sig|login/i;
/** One `name=value` pair of a Cookie / Set-Cookie value (a segment between `;`). */
const COOKIE_PAIR_RE = /^\s{0,16}([^\s=;,"]{1,256})\s?=\s?("?)([^\s;,"\\]{1,4096})\2/;

/**
 * The values of the `name=value` pairs of a Cookie / Set-Cookie value that look secret (`session=…`), as spans
 * of `value` labelled with the cookie name; `theme=dark`, `lang=en`, `Path=/` are left alone.
 */
function cookieSecretSpans(value: string): KeyedSpan[] {
  const spans: KeyedSpan[] = [];
  for (let at = 0; at < value.length;) {
    let next = value.indexOf(';', at);
    if (next < 0) next = value.length;
    const pair = COOKIE_PAIR_RE.exec(value.slice(at, next));
    if (pair && !COOKIE_ATTRIBUTE_RE.test(pair[1]!) && cookieValueIsSecret(pair[1]!, pair[3]!)) {
      const start = at + pair[0].length - pair[2]!.length - pair[3]!.length;
      spans.push({ start, end: start + pair[3]!.length, label: pair[1]! });
    }
    at = next + 1;
  }
  return spans;
}

function cookieValueIsSecret(name: string, value: string): boolean {
  if (value.length < 6 || isReference(value) || isPlaceholder(value)) return false;
  if (looksRandom(value, { minLength: 10, allowUuid: true })) return true;
  return (
    COOKIE_SECRET_NAME_RE.test(name) &&
    value.length >= 8 &&
    !isBenignShape(value) &&
    !/^[a-z]+(?:[-_][a-z]+)*$/i.test(value)
  );
}

/**
 * Given a key name and the string under it, returns the span of the secret in the value (relative to the
 * value) and the rule that applies, or null when the value is not a secret. (For a Cookie value with several
 * secret values, the span runs from the first to the last; `findSecrets` reports each on its own.)
 */
export function judgeKeyedValue(
  key: string,
  value: string,
): { start: number; end: number; rule: string } | null {
  const judged = judgeKeyedSpans(key, value);
  if (!judged) return null;
  return {
    start: judged.spans[0]!.start,
    end: judged.spans[judged.spans.length - 1]!.end,
    rule: judged.rule,
  };
}

/** `judgeKeyedValue` with every secret span of the value (several for a Cookie value), never none. */
function judgeKeyedSpans(key: string, value: string): { spans: KeyedSpan[]; rule: string } | null {
  const kind = classifyKey(key);
  if (!kind) return null;
  const leading = value.length - value.trimStart().length;
  const trimmed = value.trim();
  if (!trimmed || trimmed.length > 8192) return null;
  if (SCHEME_ONLY_RE.test(trimmed)) return null;
  let start = leading;
  let secret = trimmed;
  const scheme = SCHEME_PREFIX_RE.exec(trimmed);
  if (scheme && (kind === 'auth' || kind === 'secret' || kind === 'weak' || kind === 'api-key-header')) {
    start += scheme[0].length;
    secret = trimmed.slice(scheme[0].length);
  }
  const whole = (rule: string) => ({ spans: [{ start, end: start + secret.length }], rule });
  if (isReference(secret)) return null;
  if (kind === 'cookie' && secret.includes('=')) {
    // Each value on its own: a placeholder or reference in one pair says nothing about the others.
    const spans = cookieSecretSpans(secret).map((span) => ({
      ...span,
      start: start + span.start,
      end: start + span.end,
    }));
    if (spans.length) return { spans, rule: 'cookie-header' };
  }
  if (isPlaceholder(secret)) return null;
  if (URL_RE.test(secret)) return null; // URLs are judged by the URL rules, not as a whole
  switch (kind) {
    case 'auth':
      return secret.length >= 6 && !/\s/.test(secret) ? whole('auth-header') : null;
    case 'cookie':
      // A value without `name=` pairs: the whole value, when it looks random.
      return secret.length >= 8 && looksRandom(secret, { minLength: 8 }) ? whole('cookie-header') : null;
    case 'api-key-header':
      return secret.length >= 8 && !/\s/.test(secret) ? whole('api-key-header') : null;
    case 'password':
      // All digits: 6 or more are a PIN-like password; fewer are likely a port or a count.
      if (/^\d+$/.test(secret)) return secret.length >= 6 ? whole('secret-field') : null;
      if (secret.length < 4) return null;
      if (/\s/.test(secret) && /[.!?:]$|\s\S+\s\S+\s/.test(secret)) return null; // a sentence, not a password
      if (isBenignShape(secret)) return null;
      return whole('secret-field');
    case 'secret':
      if (secret.length < 8 || /\s/.test(secret) || isBenignShape(secret, { allowUuid: true })) return null;
      if (/^[a-z]+(?:[_-][a-z]+)*$/.test(secret) && secret.length < 16) return null; // a word or slug
      if (/^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$/.test(secret)) return null; // an env-variable NAME
      return whole('secret-field');
    case 'weak':
      return looksRandom(secret, { minLength: 16 }) ? whole('generic-high-entropy') : null;
  }
}

// ---------------------------------------------------------------------------------------------------------
// The scanner
// ---------------------------------------------------------------------------------------------------------

const TEMPLATE_RE = /\{\{[^{}]{0,512}\}\}|\$\{[^{}]{0,256}\}/g;

function templateRanges(text: string): Array<[number, number]> {
  if (!text.includes('{{') && !text.includes('${')) return [];
  const ranges: Array<[number, number]> = [];
  TEMPLATE_RE.lastIndex = 0;
  for (let m = TEMPLATE_RE.exec(text); m; m = TEMPLATE_RE.exec(text))
    ranges.push([m.index, m.index + m[0].length]);
  return ranges;
}

/**
 * The index of the first range that ends after `position` (`ranges.length` when none), by binary search:
 * template ranges come from one global search, so they are disjoint and sorted by start and by end.
 */
function firstEndingAfter(ranges: ReadonlyArray<[number, number]>, position: number): number {
  let low = 0;
  let high = ranges.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (ranges[middle]![1] > position) high = middle;
    else low = middle + 1;
  }
  return low;
}

function groupSpan(
  match: RegExpExecArray,
  group: number,
): { index: number; start: number; end: number } | null {
  const indices = match.indices;
  if (!indices) return null;
  if (group >= 0) {
    const pair = indices[group];
    return pair ? { index: group, start: pair[0], end: pair[1] } : null;
  }
  // -1: the last value-like group that matched (groups after the label group)
  for (let i = indices.length - 1; i >= 1; i--) {
    const pair = indices[i];
    if (pair && match[i] !== undefined && i >= 2) return { index: i, start: pair[0], end: pair[1] };
  }
  return null;
}

const regexCache = new WeakMap<RegExp, RegExp>();
function withIndices(regex: RegExp): RegExp {
  let cached = regexCache.get(regex);
  if (!cached) {
    cached = new RegExp(regex.source, regex.flags.includes('d') ? regex.flags : `${regex.flags}d`);
    regexCache.set(regex, cached);
  }
  return cached;
}

/**
 * One combined pre-filter for every text rule: a text in which this finds nothing cannot give any rule a
 * finding, so the per-rule triggers and regexes are skipped. It is a necessary condition, never a decision:
 * it lists, case-insensitively (`iu`: `K` (U+212A) folds like `toLowerCase` does), every needle of every
 * trigger, `://` for URL credentials, and for the Discord bot token (whose trigger is only length and a
 * letter) the `.xxxxxx.` shape its regex cannot match without. Needles never contain a line break, so a
 * search of a multi-line text finds a hit inside every line that has one.
 */
const CANDIDATE_SOURCE = [
  'a(?:kia|sia|bia|cca|3t|ws|iza|tatt|uth)', // AWS ids and keywords, Google, Atlassian, auth/authorization
  's(?:k[-_]|k[0-9a-f]{32}|ecret|g\\.|hp|ession|ig)', // OpenAI/Anthropic/Stripe, Twilio SK+32 hex, SendGrid, …
  'p(?:ypi-|rocess\\.env|ass|wd)',
  'g(?:h[pousr]_|ithub_pat_|l(?:pat|ptt|dt|rt|oas)-|ocspx-|etenv)',
  'h(?:ooks\\.slack\\.com|f_)',
  'x(?:ox|app-)',
  'd(?:iscord|o[por]?_v1_|sn)',
  ':(?:aa|\\/\\/)', // Telegram, URL credentials
  'ya29\\.',
  'rk_',
  'whsec_',
  'k(?:ey|g-)', // key, key-, AccountKey=, PRIVATE KEY, Kore
  '-us\\d', // Mailchimp (…-us12)
  'n(?:pm_|tn_)',
  'q~',
  'lin_api_',
  'e(?:yj|nviron)',
  'b(?:earer|asic )',
  'c(?:ookie|red|onn|url)', // …, curl -u
  'm(?:ysql|ariadb)', // mysql -pPASSWORD
  'token',
  '\\.[\\w-]{6}\\.', // Discord bot token shape
].join('|');
const CANDIDATE_RE = new RegExp(CANDIDATE_SOURCE, 'iu');
const CANDIDATE_GLOBAL_RE = new RegExp(CANDIDATE_SOURCE, 'giu');

/**
 * Where the next text-rule candidate starts in `text` at or after `from` (-1: none). A line (or any part of
 * a text cut at line breaks) without a candidate holds no finding of a text rule.
 */
export function nextSecretCandidate(text: string, from = 0): number {
  CANDIDATE_GLOBAL_RE.lastIndex = from;
  const match = CANDIDATE_GLOBAL_RE.exec(text);
  return match ? match.index : -1;
}

/** A whole value that is one `{{…}}` / `${…}` reference: every finding inside it would be dropped. */
const WHOLE_TEMPLATE_RE = /^(?:\{\{[^{}]{0,512}\}\}|\$\{[^{}]{0,256}\})$/;

/**
 * Finds the secrets in `text`. Spans never overlap and come sorted by position.
 */
export function findSecrets(text: string, hint?: SecretHint): SecretFinding[] {
  return scan(text, hint, true);
}

/**
 * `findSecrets` without any of its shortcuts (the whole-reference test, the combined pre-filter, the
 * combined needle search): every rule's own trigger is asked. The reference the shortcuts are tested against.
 */
export function findSecretsExhaustive(text: string, hint?: SecretHint): SecretFinding[] {
  return scan(text, hint, false);
}

function scan(text: string, hint: SecretHint | undefined, fast: boolean): SecretFinding[] {
  if (typeof text !== 'string' || text.length < 4) return [];
  const first = text.charCodeAt(0);
  if (fast && (first === 123 || first === 36) && WHOLE_TEMPLATE_RE.test(text)) return [];
  const found: Array<SecretFinding & { priority: number; from?: number }> = [];
  const hintKey = hint?.key;

  if (hintKey) {
    const keyed = judgeKeyedSpans(hintKey, text);
    if (keyed) {
      const priority = RULE_PRIORITY.get(keyed.rule) ?? 7;
      for (const span of keyed.spans)
        found.push({
          rule: keyed.rule,
          start: span.start,
          end: span.end,
          label: span.label ?? hintKey,
          priority,
        });
    }
  }

  if (text.length >= 8 && (!fast || CANDIDATE_RE.test(text))) {
    const lower = text.toLowerCase();
    // One search for all fixed-substring triggers: when none occurs, none of those rules needs asking.
    const anyNeedle = !fast || NEEDLE_RE.test(text);
    for (const rule of TEXT_RULES) {
      if ('needles' in rule.trigger ? !anyNeedle || !rule.trigger(text, lower) : !rule.trigger(text, lower))
        continue;
      if (fast && rule.precheck && !rule.precheck.test(text)) continue;
      const regex = withIndices(rule.regex);
      regex.lastIndex = 0;
      // No cap on the number of matches: this is also the fail-closed final check, so it never stops early.
      // Every regex is global and linear; each turn starts past the previous match (an empty match moves one
      // character on), so the loop ends after at most text.length + 1 turns.
      for (let match = regex.exec(text); match; match = regex.exec(text)) {
        if (regex.lastIndex <= match.index) regex.lastIndex = match.index + 1;
        const span = groupSpan(match, rule.group ?? 0);
        if (!span || span.end <= span.start) continue;
        const secret = text.slice(span.start, span.end);
        if (rule.validateFirst && rule.validate && !rule.validate(secret, match, text)) continue;
        if (rule.id !== 'private-key-pem' && !rule.spans && isPlaceholder(secret)) continue;
        if (!rule.validateFirst && rule.validate && !rule.validate(secret, match, text)) continue;
        let label: string | undefined;
        if (rule.labelGroup === -1) label = match[1] ?? match[3] ?? match[4];
        else if (rule.labelGroup !== undefined) label = match[rule.labelGroup];
        const id = rule.ruleFor ? rule.ruleFor(match, text) : rule.id;
        const priority = RULE_PRIORITY.get(id) ?? rule.priority;
        const from = match.index;
        if (rule.spans) {
          for (const part of rule.spans(secret, match, text)) {
            const start = span.start + part.start;
            const end = span.start + part.end;
            if (isPlaceholder(text.slice(start, end))) continue;
            found.push({ rule: id, start, end, label: part.label ?? label, priority, from });
          }
          continue;
        }
        if (id === 'secret-assignment' || id === 'url-secret-param') {
          // Keep a scheme word ("Bearer ") and surrounding spaces, replace only the credential (each secret
          // value of a Cookie on its own).
          const keyed = judgeKeyedSpans(label ?? '', secret);
          if (keyed) {
            for (const part of keyed.spans)
              found.push({
                rule: id,
                start: span.start + part.start,
                end: span.start + part.end,
                label: part.label ?? label,
                priority,
                from,
              });
            continue;
          }
        }
        found.push({ rule: id, start: span.start, end: span.end, label, priority, from });
      }
    }
    keywordText = undefined; // not kept alive beyond the scan that lowered it
  }
  if (found.length === 0) return [];

  // Drop findings inside {{…}} / ${…} references.
  const templates = templateRanges(text);
  const kept = templates.length
    ? found.filter((f) => {
        const overlap = templates[firstEndingAfter(templates, f.start)];
        if (overlap && overlap[0] < f.end) return false;
        if (f.from === undefined) return true;
        const around = templates[firstEndingAfter(templates, f.from)];
        return !(around && around[0] <= f.from);
      })
    : found;

  // Merge overlapping findings: union of spans, the most specific rule, a contextual label.
  kept.sort((a, b) => a.start - b.start || a.priority - b.priority);
  const merged: Array<SecretFinding & { priority: number }> = [];
  for (const finding of kept) {
    const last = merged[merged.length - 1];
    if (last && finding.start < last.end) {
      if (finding.priority < last.priority) {
        last.rule = finding.rule;
        last.priority = finding.priority;
      }
      last.end = Math.max(last.end, finding.end);
      if (!last.label && finding.label) last.label = finding.label;
      continue;
    }
    merged.push({ ...finding });
  }
  // A union may have grown into a template; clip it back rather than swallow the reference.
  return merged
    .map(({ rule, start, end, label }) => {
      // Templates ending at or before `start` cannot overlap (`start` only grows).
      for (let i = firstEndingAfter(templates, start); i < templates.length; i++) {
        const [s, e] = templates[i]!;
        if (s >= end) break;
        if (start < e) {
          if (s > start) end = Math.min(end, s);
          else start = Math.max(start, e);
        }
      }
      return label ? { rule, start, end, label } : { rule, start, end };
    })
    .filter((f) => f.end > f.start);
}

/**
 * Remembers the strings in which `findSecrets` found nothing, per kind of hint key: `findSecrets(text, {key})`
 * depends on the key only through `classifyKey(key)` (a finding's label aside, and a clean result has none),
 * and it is a pure function, so an exactly-equal string under a key of the same kind needs no second scan.
 * Fed only by `findSecrets` itself (never by another detector), so a memoised answer is the real answer.
 */
export class SecretScanMemo {
  private readonly clean = new Map<KeyKind | null, Set<string>>();
  /** The set of each hint key asked about (so a key is classified once, not once per string under it). */
  private readonly byHint = new Map<string | undefined, Set<string>>();

  private setFor(hintKey: string | undefined): Set<string> {
    let set = this.byHint.get(hintKey);
    if (set) return set;
    const kind = classifyKey(hintKey);
    set = this.clean.get(kind);
    if (!set) {
      set = new Set();
      this.clean.set(kind, set);
    }
    // Bounded like classifyKey's cache: hint keys can be anything (pair names are values).
    if (this.byHint.size >= 5000) this.byHint.clear();
    this.byHint.set(hintKey, set);
    return set;
  }

  /** True when `findSecrets(text, {key: hintKey})` is known to return nothing. */
  isClean(text: string, hintKey: string | undefined): boolean {
    return text.length < 4 || this.setFor(hintKey).has(text);
  }

  /** Records that `findSecrets(text, {key: hintKey})` returned nothing. */
  markClean(text: string, hintKey: string | undefined): void {
    if (text.length >= 8) this.setFor(hintKey).add(text);
  }

  /** `findSecrets`, answered from memory for strings already found clean. */
  findSecrets(text: string, hintKey: string | undefined): SecretFinding[] {
    if (text.length < 8) return findSecrets(text, hintKey === undefined ? undefined : { key: hintKey });
    const set = this.setFor(hintKey);
    if (set.has(text)) return [];
    const findings = findSecrets(text, hintKey === undefined ? undefined : { key: hintKey });
    if (findings.length === 0) set.add(text);
    return findings;
  }
}
