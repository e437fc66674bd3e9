/** A scriptable fetch for client tests that need answers the sandbox cannot give (doc quirks, odd bodies). */
export interface FakeCall {
  method: string;
  url: URL;
  headers: Headers;
  body: unknown;
  credentials?: RequestCredentials;
}

export type FakeHandler = (call: FakeCall) => Response | Promise<Response>;

export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', ...headers },
  });
}

export function errorBody(status: number, code: string, message: string, details?: unknown): Response {
  return json({ error: { code, message, ...(details !== undefined ? { details } : {}) } }, status);
}

export function createFakeFetch(routes: Record<string, FakeHandler>) {
  const calls: FakeCall[] = [];
  const fetchImpl = async (input: string | URL | Request, init: RequestInit = {}): Promise<Response> => {
    const url = new URL(String(input));
    const method = (init.method ?? 'GET').toUpperCase();
    const headers = new Headers(init.headers);
    let body: unknown = init.body;
    if (typeof init.body === 'string') {
      try {
        body = JSON.parse(init.body);
      } catch {
        body = init.body;
      }
    }
    const call: FakeCall = { method, url, headers, body, credentials: init.credentials };
    calls.push(call);
    const key = `${method} ${url.pathname}`;
    const handler = routes[key] ?? routes[`* ${url.pathname}`];
    if (!handler) return errorBody(404, 'NOT_FOUND', `no route ${key}`);
    if (init.signal?.aborted) throw new DOMException('aborted', 'AbortError');
    return await new Promise<Response>((resolve, reject) => {
      init.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')), {
        once: true,
      });
      Promise.resolve()
        .then(() => handler(call))
        .then(resolve, reject);
    });
  };
  return { fetch: fetchImpl as typeof fetch, calls };
}

/** Never settles until aborted: a server that does not answer. */
export const hang: FakeHandler = () => new Promise<Response>(() => undefined);

export const ZIP_BYTES = new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2, 3, 4]);
