/**
 * The worker's `fetch` for one platform origin.
 *
 * The worker normally calls the platform itself with the user's cookies (it holds the host permission). Where the
 * browser does not send the session cookie with the worker's requests (third-party cookies blocked, some Firefox
 * set-ups), the platform answers 401 although the user is logged in; the request is then made again from the
 * content script, which runs as the page. Which way worked is remembered per origin.
 */
import type { ProxyResponse } from '../protocol';

export interface ProxyRequest {
  url: string;
  method: 'GET' | 'POST' | 'DELETE';
  headers: Record<string, string>;
  body?: string;
}

export type Route = 'direct' | 'page';

export function createFallbackFetch(options: {
  origin: string;
  direct: typeof fetch;
  /** Makes the request from the page; null when no tab of the platform is available. */
  viaPage: ((request: ProxyRequest) => Promise<ProxyResponse>) | null;
  routes: Map<string, Route>;
}): typeof fetch {
  const { origin, direct, viaPage, routes } = options;

  const throughPage = async (request: ProxyRequest, signal?: AbortSignal | null): Promise<Response> => {
    signal?.throwIfAborted();
    const answer = await viaPage!(request);
    return new Response(answer.status === 204 ? null : answer.body, {
      status: answer.status,
      statusText: answer.statusText,
      headers: { 'content-type': answer.contentType },
    });
  };

  return async (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const request: ProxyRequest = {
      url,
      method: (init?.method?.toUpperCase() ?? 'GET') as ProxyRequest['method'],
      headers: Object.fromEntries(new Headers(init?.headers).entries()),
      ...(typeof init?.body === 'string' && { body: init.body }),
    };
    const proxiable =
      viaPage !== null &&
      new URL(url).origin === origin &&
      (init?.body == null || typeof init.body === 'string');
    if (proxiable && routes.get(origin) === 'page') return throughPage(request, init?.signal);

    const response = await direct(input, { ...init, credentials: 'include' });
    if (response.status !== 401 || !proxiable || routes.get(origin) === 'direct') {
      if (response.ok) routes.set(origin, 'direct');
      return response;
    }
    const fromPage = await throughPage(request, init?.signal);
    if (fromPage.status !== 401) routes.set(origin, 'page');
    return fromPage;
  };
}
