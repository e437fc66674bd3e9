/**
 * Faults on request (platform-contract.md §8). Rules match by method ("*" for any) and path, where a path
 * segment `:name` matches any one segment and a final `*` matches the rest. `times` is how many matching
 * requests a rule applies to (default: unlimited). Each POST adds its rules in front of those already set, so the
 * newest matching rule with uses left wins (within one POST, the first in the array).
 * `fromExtension` limits a rule to the requests an extension makes from its own context (`isFromExtension`);
 * `withoutCookies` handles the request as if the browser had sent no cookie, as browsers that block third-party
 * cookies may do for an extension's own requests.
 */
export interface FaultRule {
  method: string;
  path: string;
  status?: number;
  delayMs?: number;
  dropConnection?: boolean;
  expireSession?: boolean;
  withoutCookies?: boolean;
  fromExtension?: boolean;
  times?: number;
}

/** A request's headers as Node gives them (names in lower case). */
export type RequestHeaders = Record<string, string | string[] | undefined>;

/**
 * Whether a request comes from an extension's own context (its worker or its pages), not from a web page or a content
 * script on it, as far as the headers tell. Chromium sends an extension's requests with `Sec-Fetch-Site: none`.
 * Firefox sends them with the target's own `Sec-Fetch-Site` (`same-origin`, given a host permission), never with a
 * Referer, and with `Origin: moz-extension://…` where it sends an Origin at all (not on a GET); a page's fetch, and a
 * content script's, always carries the page as its Referer (the sandbox's pages set no referrer policy).
 */
export function isFromExtension(headers: RequestHeaders): boolean {
  const header = (name: string) => String(headers[name] ?? '');
  if (header('sec-fetch-mode') === 'navigate') return false;
  if (header('sec-fetch-site') === 'none') return true;
  if (/^(moz|chrome)-extension:\/\//.test(header('origin'))) return true;
  return header('sec-fetch-site') !== '' && header('referer') === '' && header('origin') === '';
}

interface ActiveRule extends FaultRule {
  remaining: number;
  hits: number;
}

export class Faults {
  private rules: ActiveRule[] = [];

  add(rules: FaultRule[]) {
    const added = rules.map((rule) => ({
      ...rule,
      remaining: rule.times ?? Number.POSITIVE_INFINITY,
      hits: 0,
    }));
    this.rules = [...added, ...this.rules];
  }

  clear() {
    this.rules = [];
  }

  list() {
    return this.rules.map((r) => ({ ...r, remaining: Number.isFinite(r.remaining) ? r.remaining : null }));
  }

  /** Returns the rule to apply to this request (and uses it up once), or undefined. */
  take(method: string, path: string, headers: RequestHeaders = {}): FaultRule | undefined {
    const rule = this.rules.find(
      (r) =>
        r.remaining > 0 &&
        matchMethod(r.method, method) &&
        matchPath(r.path, path) &&
        (!r.fromExtension || isFromExtension(headers)),
    );
    if (!rule) return undefined;
    rule.remaining -= 1;
    rule.hits += 1;
    return rule;
  }
}

function matchMethod(pattern: string | undefined, method: string): boolean {
  return !pattern || pattern === '*' || pattern.toUpperCase() === method.toUpperCase();
}

export function matchPath(pattern: string, path: string): boolean {
  const p = pattern.split('?')[0]!.split('/').filter(Boolean);
  const s = path.split('?')[0]!.split('/').filter(Boolean);
  for (let i = 0; i < p.length; i++) {
    const seg = p[i]!;
    if (seg === '*' && i === p.length - 1) return s.length >= i;
    if (i >= s.length) return false;
    if (seg.startsWith(':') || seg === '*') continue;
    if (seg !== s[i] && seg !== safeDecode(s[i]!)) return false;
  }
  return p.length === s.length;
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

export function validateRules(
  body: unknown,
): { ok: true; rules: FaultRule[] } | { ok: false; message: string } {
  const list = Array.isArray(body)
    ? body
    : body && typeof body === 'object' && Array.isArray((body as { rules?: unknown }).rules)
      ? (body as { rules: unknown[] }).rules
      : null;
  if (!list) return { ok: false, message: 'Send a JSON array of fault rules' };
  const rules: FaultRule[] = [];
  for (const [i, raw] of list.entries()) {
    if (!raw || typeof raw !== 'object') return { ok: false, message: `rule ${i} must be an object` };
    const r = raw as Record<string, unknown>;
    if (typeof r.path !== 'string' || !r.path.startsWith('/'))
      return { ok: false, message: `rule ${i}: path must start with /` };
    if (r.method !== undefined && typeof r.method !== 'string')
      return { ok: false, message: `rule ${i}: method must be a string` };
    if (r.status !== undefined && (typeof r.status !== 'number' || r.status < 100 || r.status > 599))
      return { ok: false, message: `rule ${i}: status must be an HTTP status` };
    if (r.delayMs !== undefined && (typeof r.delayMs !== 'number' || r.delayMs < 0))
      return { ok: false, message: `rule ${i}: delayMs must be a number ≥ 0` };
    if (r.fromExtension !== undefined && typeof r.fromExtension !== 'boolean')
      return { ok: false, message: `rule ${i}: fromExtension must be true or false` };
    if (r.times !== undefined && (typeof r.times !== 'number' || r.times < 1))
      return { ok: false, message: `rule ${i}: times must be ≥ 1` };
    rules.push({
      method: (r.method as string | undefined) ?? '*',
      path: r.path,
      status: r.status as number | undefined,
      delayMs: r.delayMs as number | undefined,
      dropConnection: r.dropConnection === true,
      expireSession: r.expireSession === true,
      withoutCookies: r.withoutCookies === true,
      fromExtension: r.fromExtension === true,
      times: r.times as number | undefined,
    });
  }
  return { ok: true, rules };
}

export const STATUS_CODES: Record<number, string> = {
  400: 'INVALID',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  408: 'TIMEOUT',
  409: 'CONFLICT',
  413: 'TOO_LARGE',
  422: 'INVALID',
  429: 'RATE_LIMITED',
  500: 'INTERNAL',
  502: 'BAD_GATEWAY',
  503: 'UNAVAILABLE',
  504: 'GATEWAY_TIMEOUT',
};

export function errorCodeForStatus(status: number): string {
  return STATUS_CODES[status] ?? (status >= 500 ? 'INTERNAL' : 'ERROR');
}
