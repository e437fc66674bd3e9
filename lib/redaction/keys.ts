/**
 * What a key name says about the string under it (a JSON key, a header or parameter name, a variable name):
 * `Authorization` holds a credential, `password` a password, `apiKey` a secret, `tokenizer` nothing.
 */

/** `apiKey` → `api_key`, `X-Api-Key` → `x_api_key`. */
export function normalizeKey(key: string): string {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
}

/**
 * The members of a pair that hold its value: `value`, `val` (`{key, val}`), and `default` (an input's default,
 * `{name, default}`).
 */
const PAIR_VALUE_MEMBERS = new Set(['value', 'val', 'default']);

/** The members that name a pair, first found first: a form field's `label` only when nothing else names it. */
const PAIR_NAME_MEMBERS = ['key', 'name', 'header', 'headerName', 'param', 'field', 'label'];

/**
 * For `{key: 'Authorization', value: '…'}` pairs (headers, parameters, variables), `{key: 'apiKey', val: '…'}`,
 * `{name: 'apiKey', default: '…'}` (an input) and `{label: 'Password', default: '…'}` (a form field): the name
 * their value sits under.
 */
export function pairName(object: Record<string, unknown>): string | undefined {
  if (!('value' in object) && !('val' in object) && !('default' in object)) return undefined;
  for (const field of PAIR_NAME_MEMBERS) {
    const candidate = object[field];
    if (typeof candidate === 'string') return candidate;
  }
  return undefined;
}

/** The name a member of an object is judged under: the pair's name for its value, else the member's own. */
export function memberHint(member: string, pair: string | undefined): string {
  return pair !== undefined && PAIR_VALUE_MEMBERS.has(member) ? pair : member;
}

/** A command-line option that takes a value: `--api-key`, `-password` (not `-H`: one letter says nothing). */
const LONG_FLAG_RE = /^--?[A-Za-z][A-Za-z0-9_.-]+$/;
/**
 * A name in a `[name, value]` tuple: `X-Api-Key`, `password`. Without digits: two ids in a list (`onSuccess:
 * ["n-29b9…", "n-5e62…"]`) are no pair, and judging each under the other's name costs time.
 */
const TUPLE_NAME_RE = /^[A-Za-z][A-Za-z_.-]{0,63}$/;
/** `-p` names a password (mysql, sshpass) or a port (ssh `-p 2222`, docker `-p 127.0.0.1:8080:80/tcp`). */
const PORT_SPEC_RE = /^(?:[\d.]+:)*\d{1,5}(?:\/(?:tcp|udp))?$/;

/**
 * The name an item of an array is judged under: the option before it (`["--api-key", "…"]`, `["-p", "…"]`), the
 * name of its `[name, value]` tuple (`[["X-Api-Key", "…"], …]`), else the name the array itself sits under.
 */
export function itemHint(
  items: readonly unknown[],
  index: number,
  inherited: string | undefined,
): string | undefined {
  const item = items[index];
  const before = index > 0 ? items[index - 1] : undefined;
  if (typeof item !== 'string' || typeof before !== 'string') return inherited;
  if (item.startsWith('-')) return inherited;
  if (LONG_FLAG_RE.test(before)) return before;
  if (before === '-p') return PORT_SPEC_RE.test(item) ? inherited : 'password';
  if (items.length === 2 && TUPLE_NAME_RE.test(before)) return before;
  return inherited;
}

/** Key kinds under which a number is a secret (a PIN, a numeric password), not a port, a count or a size. */
const NUMBER_SECRET_KINDS = new Set<KeyKind | null>(['password', 'secret']);

/**
 * A number judged as the text it is written as: a whole number under a name that says password or secret
 * (`password: 48291373`); a number under any other name (`port`, `maxTokens`, `passwordMinLength`) is not.
 */
export function numberAsSecretText(value: number, hint: string | undefined): string | undefined {
  if (!Number.isSafeInteger(value) || value < 0 || !NUMBER_SECRET_KINDS.has(classifyKey(hint)))
    return undefined;
  return String(value);
}

export type KeyKind = 'auth' | 'cookie' | 'api-key-header' | 'password' | 'secret' | 'weak';

const AUTH_HEADERS = new Set(['authorization', 'proxy_authorization']);
const COOKIE_HEADERS = new Set(['cookie', 'set_cookie']);
const API_KEY_HEADERS = new Set([
  'x_api_key',
  'x_apikey',
  'api_key',
  'apikey',
  'api_token',
  'auth_token',
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
/** Header names that are as often field names (`apiKey`, `api_token`): a field under them is judged as a secret field. */
const FIELD_NAMES_TOO = new Set(['api_key', 'apikey', 'api_token', 'auth_token']);
/** Header names as they appear in text (for the in-text header rules). */
export const API_KEY_HEADER_NAMES = [...API_KEY_HEADERS].map((name) => name.replace(/_/g, '[-_]?'));

// With the variables tools read a password from, written as one word: PostgreSQL's PGPASSWORD, sshpass's SSHPASS.
const PASSWORD_WORDS = new Set([
  'password',
  'passwd',
  'passwort',
  'pwd',
  'pass',
  'passphrase',
  'pw',
  'pgpassword',
  'sshpass',
]);
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
  'seconds',
  'minutes',
  'hours',
  'days',
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

/**
 * Pagination cursors (`nextPageToken`, `page_token`, AWS `NextToken`, `continuation_token`): where a list resumes,
 * not a key. Only names made of these words alone: `page_access_token` (a Facebook Page token) is a secret.
 */
const CURSOR_NAME_RE = /^(?:(?:next|prev|previous|page|continuation|cursor)_)+(?:token|cursor)$|^cursor$/;

const GLUED_PASSWORD_RE = /^[a-z]{2,16}(?:password|passwd)$/;

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
  if (API_KEY_HEADERS.has(norm) && !FIELD_NAMES_TOO.has(norm)) return 'api-key-header';
  const words = norm.split('_');
  const last = words[words.length - 1]!;
  if (META_LAST.has(last) && words.length > 1) return null;
  if (words.some((word) => META_ANY.has(word)) || CURSOR_NAME_RE.test(norm)) return null;
  // `password2`, `secret1`: a trailing number does not change what the word names (but `pass1`, `pw2` may
  // be steps or passes, so the short words need to stand alone).
  const bare = words.map((word) => word.replace(/(?<=[a-z])\d{1,3}$/, ''));
  if (words.some((word) => PASSWORD_WORDS.has(word))) return 'password';
  if (bare.some((word) => PASSWORD_WORDS.has(word) && word !== 'pass' && word !== 'pw')) return 'password';
  // `dbpassword`, `adminpassword`: a password word run together with what it is for, as config files write it.
  if (bare.some((word) => GLUED_PASSWORD_RE.test(word))) return 'password';
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
