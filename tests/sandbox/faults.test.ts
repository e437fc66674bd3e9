import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { matchPath } from './faults.ts';
import { startSandbox, type SandboxHandle } from './server.ts';
import { WORKFLOWS } from './seed.ts';
import { apiKeyClient, sessionClient, type Client } from './test-helpers.ts';

let sandbox: SandboxHandle;
let key: Client;

const setFaults = (rules: unknown) =>
  fetch(`${sandbox.url}/__sandbox/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(rules),
  });

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, jobDelayMs: 5 });
  key = apiKeyClient(sandbox.url);
});
afterAll(() => sandbox.close());
beforeEach(async () => {
  await fetch(`${sandbox.url}/__sandbox/faults`, { method: 'DELETE' });
});

describe('faults', () => {
  it("withoutCookies, limited to the extension's own requests, makes them arrive without the session", async () => {
    const editor = await sessionClient(sandbox.url, 'editor');
    await setFaults([{ method: '*', path: '/api/*', fromExtension: true, withoutCookies: true }]);
    const page = `${sandbox.url}/workflows`;
    const asSent = (headers: Record<string, string>, method = 'GET') =>
      editor.fetch(method === 'GET' ? '/api/session' : '/api/workflows', {
        method,
        headers: { 'sec-fetch-mode': 'cors', ...headers },
        json: method === 'GET' ? undefined : { name: 'Sent by an extension' },
      });
    // A page's fetch (and a content script's) carries the page as its Referer, in both browsers.
    expect((await asSent({ 'sec-fetch-site': 'same-origin', referer: page })).status).toBe(200);
    const chromiumWorker = await asSent({ 'sec-fetch-site': 'none' });
    expect(chromiumWorker.status).toBe(401);
    expect(((await chromiumWorker.json()) as { error: { code: string } }).error.code).toBe('UNAUTHENTICATED');
    // Firefox's background: the target's own Sec-Fetch-Site, no Referer, its extension origin on a POST only.
    expect((await asSent({ 'sec-fetch-site': 'same-origin' })).status).toBe(401);
    expect(
      (
        await asSent(
          { 'sec-fetch-site': 'same-origin', origin: 'moz-extension://0b5e3c1a-5f40-4a8e-9d52-3c1f0e6b7a21' },
          'POST',
        )
      ).status,
    ).toBe(401);
    // The session itself is untouched.
    expect((await asSent({ 'sec-fetch-site': 'same-origin', referer: page })).status).toBe(200);
  });

  it('matches :param segments', () => {
    expect(matchPath('/api/workflows/:id', '/api/workflows/a-1')).toBe(true);
    expect(matchPath('/api/workflows/:id', '/api/workflows/a-1/versions/x')).toBe(false);
    expect(matchPath('/api/public/dock-status/:id', '/api/public/dock-status/ds-1?x=1')).toBe(true);
    expect(matchPath('/api/*', '/api/workflows/a')).toBe(true);
  });

  it('status answers with a fitting error body, for `times` requests only', async () => {
    expect(
      (await setFaults([{ method: 'GET', path: '/api/workflows/:id', status: 500, times: 2 }])).status,
    ).toBe(200);
    for (let i = 0; i < 2; i++) {
      const res = await key.fetch(`/api/workflows/${WORKFLOWS.banking.id}`);
      expect(res.status).toBe(500);
      expect(await res.json()).toEqual({
        error: { code: 'INTERNAL', message: expect.any(String), details: { injected: true } },
      });
    }
    expect((await key.fetch(`/api/workflows/${WORKFLOWS.banking.id}`)).status).toBe(200);
    // Other paths and methods are not affected.
    await setFaults([{ method: 'POST', path: '/api/workflows/:id', status: 503 }]);
    expect((await key.fetch(`/api/workflows/${WORKFLOWS.banking.id}`)).status).toBe(200);
    const res = await key.fetch('/api/workflows');
    expect(res.status).toBe(200);
  });

  it('a newer rule for the same path wins over an older one, which stays for other paths', async () => {
    await setFaults([{ method: 'GET', path: '/api/workflows/:id', status: 500 }]);
    await setFaults([{ method: 'GET', path: '/api/workflows/:id', status: 503, times: 1 }]);
    expect((await key.fetch(`/api/workflows/${WORKFLOWS.banking.id}`)).status).toBe(503);
    expect((await key.fetch(`/api/workflows/${WORKFLOWS.banking.id}`)).status).toBe(500);
  });

  it('429 and 404 get their codes', async () => {
    await setFaults([
      { method: 'GET', path: '/api/workflows', status: 429, times: 1 },
      { method: 'GET', path: '/api/session', status: 404, times: 1 },
    ]);
    expect(
      ((await (await key.fetch('/api/workflows')).json()) as { error: { code: string } }).error.code,
    ).toBe('RATE_LIMITED');
    expect(((await (await key.fetch('/api/session')).json()) as { error: { code: string } }).error.code).toBe(
      'NOT_FOUND',
    );
  });

  it('delayMs delays the real answer', async () => {
    await setFaults([{ method: 'GET', path: '/api/workflows', delayMs: 300, times: 1 }]);
    const t0 = Date.now();
    const res = await key.fetch('/api/workflows');
    expect(res.status).toBe(200);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(280);
  });

  it('dropConnection drops the connection', async () => {
    await setFaults([
      { method: 'POST', path: '/api/public/workflows/:id/export', dropConnection: true, times: 1 },
    ]);
    await expect(
      key.fetch(`/api/public/workflows/${WORKFLOWS.banking.id}/export`, { method: 'POST' }),
    ).rejects.toThrow();
    expect(
      (await key.fetch(`/api/public/workflows/${WORKFLOWS.banking.id}/export`, { method: 'POST' })).status,
    ).toBe(202);
  });

  it('expireSession ends the caller’s session and answers 401', async () => {
    const editor = await sessionClient(sandbox.url, 'editor');
    await setFaults([{ method: 'GET', path: '/api/workflows/:id', expireSession: true, times: 1 }]);
    const res = await editor.fetch(`/api/workflows/${WORKFLOWS.banking.id}`);
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('UNAUTHENTICATED');
    expect((await editor.fetch('/api/session')).status).toBe(401);
  });

  it('DELETE clears rules; invalid rules are refused; reset restores the seed', async () => {
    await setFaults([{ method: 'GET', path: '/api/workflows', status: 500 }]);
    await fetch(`${sandbox.url}/__sandbox/faults`, { method: 'DELETE' });
    expect((await key.fetch('/api/workflows')).status).toBe(200);
    expect((await setFaults([{ method: 'GET', path: 'no-slash' }])).status).toBe(422);
    expect((await setFaults({ nope: true })).status).toBe(422);

    expect((await key.fetch(`/api/workflows/${WORKFLOWS.invoice.id}`, { method: 'DELETE' })).status).toBe(
      204,
    );
    expect((await fetch(`${sandbox.url}/__sandbox/reset`, { method: 'POST' })).status).toBe(204);
    expect((await key.fetch(`/api/workflows/${WORKFLOWS.invoice.id}`)).status).toBe(200);
  });
});
