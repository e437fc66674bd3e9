/**
 * Makes platform requests for the worker from the page's own context, where the browser does not send the session
 * cookie with the worker's requests. Only same-origin API calls are made: the worker cannot use this to reach
 * anything the page itself could not.
 */
import { tabMessageSchema, type ProxyResponse } from '../../lib/protocol';

export function answerProxyFetches(signal: AbortSignal): void {
  const onMessage = (
    message: unknown,
    _sender: unknown,
    sendResponse: (answer: ProxyResponse | { error: string }) => void,
  ) => {
    const parsed = tabMessageSchema.safeParse(message);
    if (!parsed.success || parsed.data.type !== 'proxy:fetch') return undefined;
    const request = parsed.data;
    const url = new URL(request.url, location.href);
    if (url.origin !== location.origin || !url.pathname.startsWith('/api/')) {
      sendResponse({ error: 'refused' });
      return undefined;
    }
    fetch(url, {
      method: request.method,
      headers: request.headers,
      body: request.body,
      credentials: 'include',
    })
      .then(async (response) =>
        sendResponse({
          status: response.status,
          statusText: response.statusText,
          contentType: response.headers.get('content-type') ?? '',
          body: await response.text(),
        }),
      )
      .catch(() => sendResponse({ error: 'network' }));
    return true;
  };
  browser.runtime.onMessage.addListener(onMessage);
  signal.addEventListener('abort', () => browser.runtime.onMessage.removeListener(onMessage), { once: true });
}
