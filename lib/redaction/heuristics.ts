/**
 * The generic rules: secrets no provider format gives away, found by their context. Passwords in URLs and
 * connection strings, credentials in headers (in header lists, code, cURL and prose), values assigned to
 * secret-named variables in every syntax people write (`=`, `:=`, `?=`, `:`, `=>`, setters, kwargs, JSON held
 * in strings, query strings), command-line passwords, and random tokens near a keyword. Also the judgement of
 * a value by the key it sits under (`judgeKeyedValue`), which the whole-value rule and the assignments share.
 */
import { classifyKey, API_KEY_HEADER_NAMES } from './keys';
import type { KeyedSpan, Rule } from './types';
import {
  highEntropyToken,
  isBenignShape,
  isPlaceholder,
  isReference,
  looksRandom,
  passwordLike,
  shannonEntropy,
  tokenShaped,
  URL_RE,
} from './values';

/** Scheme words before a credential in an Authorization-style value. */
export const SCHEMES =
  '(?:bearer|basic|token|digest|apikey|api-key|bot|oauth|ssws|negotiate|hmac|key|jwt|sharedaccesssignature)';

/**
 * Words a secret-named key, variable or parameter holds (the keywords of the assignment rules): every word
 * `classifyKey` recognises contains one of them.
 */
export const SECRET_KEYWORDS = [
  'pass',
  'pwd',
  'pw',
  'salt',
  'hmac',
  'sas',
  'otp',
  'pat',
  'secret',
  'token',
  'key',
  'auth',
  'cred',
  'sig',
  'session',
  'bearer',
  'dsn',
  'conn',
] as const;

/** The assignment keywords as a regex source matching either case, for the start of a name. */
const SECRET_KEYWORD_SOURCE = SECRET_KEYWORDS.map((word) =>
  [...word].map((ch) => (/[a-z]/.test(ch) ? `[${ch}${ch.toUpperCase()}]` : ch)).join(''),
).join('|');

/**
 * A name (one holding a secret keyword: the lookahead spares every other word of prose), then the syntaxes the
 * quoted-assignment rules do not read: `?=`, `:=` (and Make's `::=`, `:::=`), `=`, `:`, `=>`, `,` (a setter call's
 * arguments), a type between name and `=` (`string`, `: str`), XML `<name>` (the value on the next line too),
 * percent-encoded `%3D`, or loose separators (whitespace of a `--flag value`, `is` in prose: group 2); then an
 * optional quote and the value (group 3), which stops at quotes, spaces, separators and an encoded `&`, `;` or space.
 */
const ANY_ASSIGNMENT_RE = new RegExp(
  String.raw`(?:(?<=^|[^\w$.%-])|(?<=%[0-9A-Fa-f]{2}))(?:--?|<)?(?=[\w$.-]{0,62}?(?:${SECRET_KEYWORD_SOURCE}))([A-Za-z_$](?:[\w$.-]{0,62}[\w$])?)(?:["'\x60]?\]?["'\x60]?)(?:\s{0,4}:?\s{1,4}(?:string|str|String|var|val|let|const|char\*?|secret|password)\s{0,4}=|\s{0,4}(?::{1,3}=|\?=|\+=|=>|=|:(?![:/])|,|>\s{0,12})|%3[DdAa]|(\s{1,4}(?:(?:is|was|are)\s{1,4})?))\s{0,4}([rRbBuU]?["'\x60]|\\{1,3}["'\x60]|%2[27])?((?:[^\s"'\x60<>,;&|()[\]{}\\%]|%(?!2[026]|3[Bb])[0-9A-Fa-f]{2}){4,1024})`,
  'g',
);

const isLetter = (code: number) => (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
const isDigit = (code: number) => code >= 48 && code <= 57;
const isHexDigit = (code: number) =>
  isDigit(code) || (code >= 65 && code <= 70) || (code >= 97 && code <= 102);

/** A character of ANY_ASSIGNMENT_RE's name up to its keyword (`[\w$.-]`, which its lookahead reads). */
const isAssignmentNameChar = (code: number) =>
  isLetter(code) || isDigit(code) || code === 95 || code === 36 || code === 46 || code === 45;

/**
 * Where ANY_ASSIGNMENT_RE can start (`canStartAt`): its lookbehind (the start, a character that is not
 * `[\w$.%-]`, or a `%XX` escape), then a `-`, a `<` or the name's first character (`[A-Za-z_$]`).
 */
function assignmentCanStartAt(text: string, at: number): boolean {
  const code = text.charCodeAt(at);
  if (!(isLetter(code) || code === 95 || code === 36 || code === 45 || code === 60)) return false;
  if (at === 0) return true;
  const before = text.charCodeAt(at - 1);
  if (!isAssignmentNameChar(before) && before !== 37) return true;
  return (
    at >= 3 && text.charCodeAt(at - 3) === 37 && isHexDigit(text.charCodeAt(at - 2)) && isHexDigit(before)
  );
}

/** Where the keyword-entropy regex can start: a letter (every keyword's first) after no `[A-Za-z0-9+/]`. */
function keywordEntropyCanStartAt(text: string, at: number): boolean {
  if (!isLetter(text.charCodeAt(at))) return false;
  if (at === 0) return true;
  const before = text.charCodeAt(at - 1);
  return !(isLetter(before) || isDigit(before) || before === 43 || before === 47);
}

/** `url-secret-param` for a parameter of a query string or fragment, `secret-assignment` elsewhere. */
function queryOrAssignment(match: RegExpExecArray, text: string): string {
  const before = text[match.index - 1];
  return before === '?' || before === '&' || before === '#' ? 'url-secret-param' : 'secret-assignment';
}

/** `%2B` → `+`: a percent-encoded value judged as what it encodes (undecodable: as it is). */
export function decodePercent(value: string): string {
  if (!value.includes('%')) return value;
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const ESCAPE_RE = /%[0-9A-Fa-f]{2}/y;

/**
 * `value` percent-decoded (as a form value, `+` for a space, with `plusIsSpace`), with `at[i]`: where the
 * character `i` of the decoded text starts in `value` (`at[text.length]` is `value.length`), so that a span found in
 * the decoded text is a span of `value`. Null when the escapes are not UTF-8.
 */
export function decodePercentWithOffsets(
  value: string,
  plusIsSpace: boolean,
): { text: string; at: number[] } | null {
  let text = '';
  const at: number[] = [];
  for (let i = 0; i < value.length;) {
    ESCAPE_RE.lastIndex = i;
    if (!ESCAPE_RE.test(value)) {
      at.push(i);
      text += plusIsSpace && value[i] === '+' ? ' ' : value[i];
      i++;
      continue;
    }
    // A run of escapes is one UTF-8 sequence: each character it decodes to takes 3 characters per byte.
    const bytes: number[] = [];
    let position = i;
    for (ESCAPE_RE.lastIndex = i; ESCAPE_RE.test(value); ESCAPE_RE.lastIndex = i) {
      bytes.push(parseInt(value.slice(i + 1, i + 3), 16));
      i += 3;
    }
    let decoded: string;
    try {
      decoded = UTF8.decode(Uint8Array.from(bytes));
    } catch {
      return null;
    }
    for (const char of decoded) {
      const point = char.codePointAt(0)!;
      for (let unit = 0; unit < char.length; unit++) at.push(position);
      text += char;
      position += 3 * (point < 0x80 ? 1 : point < 0x800 ? 2 : point < 0x10000 ? 3 : 4);
    }
  }
  at.push(value.length);
  return { text, at };
}

/** `curl`, then on the same command (lines continued with `\`) its `-u` / `--user` option, up to the value. */
const CURL_USER_OPTION = String.raw`\bcurl\b(?:[^\n|;]|\\\r?\n){0,400}?\s(?:-u\s{0,4}|--user(?:\s{1,4}|=))`;

export const GENERIC_RULES: Rule[] = [
  // ----- URLs and connection strings -----
  {
    id: 'url-credentials',
    description:
      'Password in a URL or connection string (scheme://user:password@host), or a random token as its user name',
    label: 'URL_PASSWORD',
    priority: 4,
    keywords: ['://'],
    when: (text) => text.includes('@'),
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

  // ----- headers, in header lists and inside code, cURL and strings -----
  {
    id: 'auth-header',
    description: 'Authorization header value (Bearer, Basic, Token, …) in code, cURL or text',
    label: 'AUTHORIZATION',
    priority: 5,
    keywords: ['authorization'],
    regex: new RegExp(
      `(?<![\\w-])((?:proxy-)?authorization)["'\\]]{0,2}\\s{0,4}[:=,]\\s{0,4}["'\`]?\\s{0,4}(?:(${SCHEMES})\\s{1,4})?([^\\s"'\`,;<>{}()\\[\\]\\\\]{6,4096})`,
      'gi',
    ),
    group: 3,
    labelGroup: 1,
    validate: (secret, match) =>
      match[2]
        ? !isPlaceholder(secret) && !isReference(secret)
        : looksRandom(secret, { minLength: 12, allowUuid: true }),
  },
  {
    id: 'auth-header',
    description: 'Bearer / Basic credential in text',
    label: 'AUTHORIZATION',
    priority: 5,
    keywords: ['bearer', 'basic '],
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
    keywords: ['bearer', 'basic', 'token', 'key', 'auth'],
    when: (text) => text.includes('+'),
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
    keywords: ['cookie'],
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
    keywords: ['key', 'token', 'secret'],
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
    keywords: SECRET_KEYWORDS,
    when: (text) => text.includes('=') || text.includes(':'),
    // The operator's last character (`=`, `>`, `:`), up to 4 spaces, a string prefix, an opening quote.
    precheck: /[:=>]\s{0,4}[rRbBuU]?["'`]/,
    // `.=` is PHP's appending assignment (`$token .= "…"`).
    regex:
      /(?<![\w$])(["']?)([A-Za-z_$][\w$-]{0,63})\1\s{0,4}\]?\s{0,4}(?::=|=>|\.=|=|:)\s{0,4}[rRbBuU]?(?:"([^"\\\r\n]{1,1024})"|'([^'\\\r\n]{1,1024})'|`([^`\\]{1,1024})`)/g,
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
    keywords: SECRET_KEYWORDS,
    when: (text) => text.includes('\\"'),
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
    keywords: ['environ', 'getenv', 'process.env'],
    regex:
      /(?:(?:os\.)?environ\.get|(?:os\.)?getenv)\(\s{0,4}["']([\w.-]{1,64})["']\s{0,4},\s{0,4}["']([^"'\\\r\n]{1,1024})["']|process\.env(?:\.([\w$]{1,64})|\[\s{0,2}["']([\w.-]{1,64})["']\s{0,2}\])\s{0,4}(?:\|\||\?\?)\s{0,4}["'`]([^"'`\\\r\n]{1,1024})["'`]/g,
    group: -1,
    labelGroup: -1,
    validate: (secret, match) => judgeKeyedValue((match[1] ?? match[3] ?? match[4])!, secret) !== null,
    validateFirst: true,
  },
  {
    id: 'secret-assignment',
    description:
      'Value assigned to a secret-named name in any syntax: `?=`, unquoted `:` (YAML, .env, INI), setter calls (`setProperty("NAME", "…")`), typed declarations (`name string = "…"`, `name: string = "…"`), `--flag value`, XML elements, percent-encoded `name%3D…`, prose (`the secret is …`)',
    label: 'SECRET',
    priority: 6,
    keywords: SECRET_KEYWORDS,
    // Group 1: the name; group 2: a loose separator (whitespace, `is`); group 3: an opening quote; group 4.
    regex: ANY_ASSIGNMENT_RE,
    // The lookahead puts a keyword within 62 characters of the name, which a `--` or `<` may precede.
    startsNear: 64,
    canStartAt: assignmentCanStartAt,
    keywordRun: isAssignmentNameChar,
    group: 4,
    labelGroup: 1,
    validate: (secret, match, text) => {
      const name = match[1]!;
      const kind = classifyKey(name);
      if (!kind || inArn(text, match.index)) return false;
      if (text[match.index + match[0].length] === '(') return false; // a call: `password = getpass(…)`
      const value = decodePercent(secret);
      // Unquoted or loosely attached (prose, flags, YAML): code and words sit there too, so the value itself
      // must look like a secret; a quoted value is judged by its name alone, like the quoted-assignment rule.
      if (match[3] === undefined || match[2] !== undefined) {
        if (/^[\w.-]+[=:]$/.test(value)) return false; // the next name and its operator
        const looksSecret =
          kind === 'password' ? passwordLike(value) : looksRandom(value, { minLength: 12, allowUuid: true });
        if (!looksSecret) return false;
      }
      return judgeKeyedValue(name, value) !== null;
    },
    validateFirst: true,
    resumeAtSecret: true,
    ruleFor: queryOrAssignment,
  },
  {
    id: 'url-secret-param',
    description:
      'Secret-named parameter in a query string, form body or connection string (api_key=…&token=…, Password=…;)',
    label: 'SECRET',
    priority: 6,
    keywords: SECRET_KEYWORDS,
    when: (text) => text.includes('='),
    regex: /(?<![\w.[\]-])([A-Za-z_][\w.[\]-]{0,63})=(?!=)([^\s"'`&;,<>(){}|\\]{1,2048})/g,
    group: 2,
    labelGroup: 1,
    validate: (secret, match, text) => {
      if (text[(match.index ?? 0) + match[0].length] === '(') return false;
      return judgeKeyedValue(match[1]!, secret) !== null;
    },
    validateFirst: true,
    ruleFor: queryOrAssignment,
  },

  {
    id: 'url-secret-param',
    description:
      'An access code in a query string (an Azure Functions key, ?code=…; an OAuth authorization code)',
    label: 'ACCESS_CODE',
    priority: 6,
    keywords: ['code='],
    // `code` names ordinary things too (`?code=FR`, `?code=SUMMER24`): only a long, random-looking value.
    regex: /[?&#]code=((?:[A-Za-z0-9_.~+/-]|%[0-9A-Fa-f]{2}){20,1024})(?![A-Za-z0-9_.~+/%-])/g,
    group: 1,
    validate: (secret) => looksRandom(decodePercent(secret).replace(/=+$/, ''), { minLength: 20 }),
  },
  {
    id: 'password-in-text',
    description: 'Password written in prose, YAML, XML or logs (password: …, password is …, <password>…)',
    label: 'PASSWORD',
    priority: 7,
    keywords: ['pass', 'pwd'],
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
    keywords: ['curl'],
    regex: new RegExp(
      String.raw`${CURL_USER_OPTION}(["']?)([^\s:"'${'`'}\\]{0,128}):([^\s"'${'`'}\\]{1,256})\1(?![^\s"'${'`'}\\])`,
      'g',
    ),
    group: 3,
    validate: (secret) => passwordLike(secret),
  },
  {
    id: 'cli-password',
    description:
      'Password quoted on its own on a curl command line (curl -u user:\'password\', --user "{id}":"{password}")',
    label: 'PASSWORD',
    priority: 6,
    keywords: ['curl'],
    regex: new RegExp(
      String.raw`${CURL_USER_OPTION}(["']?)\{?[^\s:"'${'`'}\\{}]{0,128}\}?\1:(["'])\{?([^\s"'${'`'}\\{}]{1,256})\}?\2(?![^\s"'${'`'}\\])`,
      'g',
    ),
    group: 3,
    validate: (secret) => passwordLike(secret),
  },
  {
    id: 'cli-password',
    description: 'Password attached to -p on a MySQL / MariaDB command line (mysql -u root -pPASSWORD)',
    label: 'PASSWORD',
    priority: 6,
    keywords: ['mysql', 'mariadb'],
    regex:
      /\b(?:mysql|mariadb)\w{0,12}\b(?:[^\n|;]|\\\r?\n){0,400}?\s-p(["']?)([^\s"'`\\]{1,128})\1(?![^\s"'`\\])/g,
    group: 2,
    validate: (secret) => passwordLike(secret),
  },
  {
    id: 'cli-password',
    description: "Password given to sshpass -p (sshpass -p 'PASSWORD' ssh user@host)",
    label: 'PASSWORD',
    priority: 6,
    keywords: ['sshpass'],
    regex: /\bsshpass\b(?:[^\n|;]|\\\r?\n){0,200}?\s-p\s{0,4}(["']?)([^\s"'`\\]{1,256})\1(?![^\s"'`\\])/g,
    group: 2,
    validate: (secret) => passwordLike(secret),
  },
  {
    id: 'cli-password',
    description: 'Password in a .netrc entry (machine … login … password …)',
    label: 'PASSWORD',
    priority: 6,
    keywords: ['password'],
    when: (_text, lower) => lower().includes('machine') || lower().includes('default'),
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

  {
    id: 'code-password',
    description:
      "Password given to a credentials call in code (HTTPBasicAuth('user', '…'), auth=('user', '…'), new NetworkCredential(\"user\", \"…\"))",
    label: 'PASSWORD',
    priority: 6,
    keywords: ['auth', 'credential'],
    regex:
      /(?:\b(?:HTTP(?:Basic|Digest)Auth|BasicAuth(?:enticator)?|basic_?auth|(?:with|set)BasicAuth|NetworkCredential|UsernamePasswordCredentials?|PasswordAuthentication|PasswordCredential)\s{0,4}\(|\bauth\s{0,4}[=:]\s{0,4}[([])\s{0,4}(["'`])[^"'`\n\\]{0,128}\1\s{0,4},\s{0,4}(["'`])([^"'`\n\\]{1,256})\2/g,
    group: 3,
    validate: (secret) => passwordLike(secret),
  },
  {
    id: 'code-password',
    description:
      "Password in the user:password text given to a Base64 encoder (btoa('user:…'), Buffer.from('user:…'), b64encode(b'user:…'))",
    label: 'PASSWORD',
    priority: 6,
    keywords: ['btoa', 'b64encode', 'buffer.from', 'base64_encode', 'encodetostring', 'encode64', 'tobase64'],
    regex:
      /\b(?:btoa|b64encode|Buffer\.from|base64_encode|encodeToString|(?:strict_)?encode64|ToBase64String|toBase64)\s{0,4}\((?:[\w.]{1,40}\()?\s{0,4}[bB]?(["'`])[^:"'`\n\\]{0,128}:([^"'`\n\\]{1,256})\1/g,
    group: 2,
    validate: (secret) => passwordLike(secret),
  },
  // ----- keyword + entropy, last resort in prose and unknown formats -----
  {
    id: 'generic-high-entropy',
    description:
      'Random-looking token shortly after a keyword (key, token, secret, password, credential, auth), or later in the same sentence',
    label: 'SECRET',
    priority: 9,
    keywords: SECRET_KEYWORDS,
    // `access-key`: its keyword `key` 7 characters after the match's start.
    startsNear: 7,
    canStartAt: keywordEntropyCanStartAt,
    // The match is the keyword alone (one search for keywords); two lookaheads capture the candidates: a token
    // within 24 characters (group 1), on the next line too (a CSV header and its row, `password:` then the value),
    // and one later in the same sentence (group 3) after prose (group 2: no line or sentence end, no quotes,
    // brackets, `=` or `;`, which would be code, nor a backslash); a token never starts after a backslash, nor
    // inside a percent escape (`%22ghp_…` is a quote, then the token). The final check reads the package as JSON
    // text, where a line break is `\n`: what it matches there must match here.
    regex:
      /(?<![A-Za-z0-9+/])(?:api[ _-]?key|apikey|token|secret|passw(?:or)?d|pwd|credentials?|access[ _-]?key|auth)(?=(?:[\s\S]{0,24}?(?:(?<=%[0-9A-Fa-f]{2})|(?<![A-Za-z0-9_\-+/=.\\%]))([A-Za-z0-9_\-+/.]{20,512}={0,3})(?![A-Za-z0-9_\-+/=.]))?)(?=(?:([^\n\r"'`{}[\];=.!?<>\\]{25,120}?)(?:(?<=%[0-9A-Fa-f]{2})|(?<![A-Za-z0-9_\-+/=.\\%]))([A-Za-z0-9_\-+/.]{20,512}={0,3})(?![A-Za-z0-9_\-+/=.]))?)/gi,
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

const SCHEME_PREFIX_RE = new RegExp(`^(${SCHEMES})\\s{1,4}`, 'i');
/** A scheme word alone (`"Bearer " + token`: the header is built in code, the token is elsewhere). */
const SCHEME_ONLY_RE = new RegExp(`^${SCHEMES}$`, 'i');

/** `X-…` header names that carry ids, traces and versions, not credentials. */
const NEUTRAL_HEADER_META_RE =
  /[-_](?:id|ids|trace|request|correlation|version|type|hash|etag|date|time|count|length)$/i;

/** A header name that says nothing (`X-Partner`, `X-Custom`), under which `neutralHeaderSpans` looks. */
export const isNeutralHeaderName = (key: string): boolean =>
  /^x-[\w-]{1,64}$/i.test(key) && !NEUTRAL_HEADER_META_RE.test(key);

/**
 * A header under a name that says nothing (`X-Partner`, `X-Custom`) whose value has a token's shape (long,
 * random, high entropy): a credential all the same. Asked only when no rule found anything else in the value
 * (a provider token there is named by its own rule).
 */
export function neutralHeaderSpans(key: string, value: string): { spans: KeyedSpan[]; rule: string } | null {
  if (!isNeutralHeaderName(key)) return null;
  const trimmed = value.trim();
  const start = value.length - value.trimStart().length;
  const random = looksRandom(trimmed, { minLength: 20 }) && shannonEntropy(trimmed) >= 3.5;
  // 16 characters are enough for a token's shape: client secrets and keys of 16 to 19 (`Fa5cye4NuKJwUCJg`).
  if (!random && !tokenShaped(trimmed, 16)) return null;
  return { spans: [{ start, end: start + trimmed.length }], rule: 'api-key-header' };
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
export function judgeKeyedSpans(key: string, value: string): { spans: KeyedSpan[]; rule: string } | null {
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
