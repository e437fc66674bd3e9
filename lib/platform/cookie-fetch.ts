/**
 * A fetch with a small cookie jar, for running the session client outside a browser (Node: the CLI, tests).
 * It keeps `name=value` per origin from `Set-Cookie` and sends them back; attributes other than expiry are
 * ignored, which is enough for one platform host.
 */
export interface CookieFetch {
  (input: string | URL | Request, init?: RequestInit): Promise<Response>;
  /** The cookies currently held for an origin (tests). */
  cookies(origin: string): Record<string, string>;
  clear(): void;
}

export function createCookieFetch(baseFetch: typeof fetch = globalThis.fetch): CookieFetch {
  const jar = new Map<string, Map<string, string>>();

  const cookieFetch = (async (input: string | URL | Request, init?: RequestInit) => {
    const url = new URL(input instanceof Request ? input.url : input.toString());
    const headers = new Headers(init?.headers ?? (input instanceof Request ? input.headers : undefined));
    const held = jar.get(url.origin);
    if (held && held.size > 0 && init?.credentials !== 'omit') {
      headers.set('cookie', [...held].map(([name, value]) => `${name}=${value}`).join('; '));
    }
    const response = await baseFetch(input, { ...init, headers });
    const setCookies =
      typeof response.headers.getSetCookie === 'function' ? response.headers.getSetCookie() : [];
    for (const line of setCookies) store(url.origin, line);
    return response;
  }) as CookieFetch;

  function store(origin: string, line: string): void {
    const [pair, ...attributes] = line.split(';');
    const eq = pair?.indexOf('=') ?? -1;
    if (!pair || eq <= 0) return;
    const name = pair.slice(0, eq).trim();
    const value = pair.slice(eq + 1).trim();
    const expired = attributes.some((attribute) => {
      const [key, raw] = attribute.split('=').map((part) => part.trim());
      if (key?.toLowerCase() === 'max-age') return Number(raw) <= 0;
      if (key?.toLowerCase() === 'expires') return raw !== undefined && Date.parse(raw) <= Date.now();
      return false;
    });
    let held = jar.get(origin);
    if (!held) jar.set(origin, (held = new Map()));
    if (expired || value === '') held.delete(name);
    else held.set(name, value);
  }

  cookieFetch.cookies = (origin: string) => Object.fromEntries(jar.get(new URL(origin).origin) ?? []);
  cookieFetch.clear = () => jar.clear();
  return cookieFetch;
}
