import { describe, expect, it } from 'vitest';
import { createFallbackFetch, type ProxyRequest, type Route } from '../../../lib/worker/transport';

const origin = 'https://process.kore.ai';
const json = (status: number) =>
  new Response('{}', { status, headers: { 'content-type': 'application/json' } });

function setup(directStatus: number, pageStatus: number | null) {
  const calls: string[] = [];
  const routes = new Map<string, Route>();
  const fetchFn = createFallbackFetch({
    origin,
    routes,
    direct: async (input) => {
      calls.push(`direct ${String(input)}`);
      return json(directStatus);
    },
    viaPage:
      pageStatus === null
        ? null
        : async (request: ProxyRequest) => {
            calls.push(`page ${request.method} ${request.url}`);
            return {
              status: pageStatus,
              statusText: '',
              contentType: 'application/json',
              body: '{"ok":true}',
            };
          },
  });
  return { calls, routes, fetchFn };
}

describe('worker transport', () => {
  it('uses the worker’s own request when the session cookie is sent', async () => {
    const { calls, routes, fetchFn } = setup(200, 200);
    expect((await fetchFn(`${origin}/api/session`)).status).toBe(200);
    expect(calls).toEqual([`direct ${origin}/api/session`]);
    expect(routes.get(origin)).toBe('direct');
  });

  it('falls back to the page when the worker’s request is not authenticated, and remembers it', async () => {
    const { calls, routes, fetchFn } = setup(401, 200);
    const response = await fetchFn(`${origin}/api/workflows/a-1`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true });
    expect(routes.get(origin)).toBe('page');
    await fetchFn(`${origin}/api/workflows`);
    expect(calls).toEqual([
      `direct ${origin}/api/workflows/a-1`,
      `page GET ${origin}/api/workflows/a-1`,
      `page GET ${origin}/api/workflows`,
    ]);
  });

  it('reports an expired session as it is when the page is not logged in either', async () => {
    const { fetchFn, routes } = setup(401, 401);
    expect((await fetchFn(`${origin}/api/session`)).status).toBe(401);
    expect(routes.has(origin)).toBe(false);
  });

  it('does not retry through the page once the worker’s own requests are known to work', async () => {
    const { calls, routes, fetchFn } = setup(401, 200);
    routes.set(origin, 'direct');
    expect((await fetchFn(`${origin}/api/session`)).status).toBe(401);
    expect(calls).toHaveLength(1);
  });

  it('never sends another origin’s request through the page', async () => {
    const { calls, fetchFn } = setup(401, 200);
    await fetchFn('https://elsewhere.example/api/x');
    expect(calls).toEqual(['direct https://elsewhere.example/api/x']);
  });
});
