import { spawn } from 'node:child_process';
import { request } from 'node:http';
import { mkdtempSync, existsSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type SandboxHandle } from './server.ts';
import { createSeedState, MANAGEMENT_API_KEY, SANDBOX_PASSWORD, USERS, WORKFLOWS } from './seed.ts';
import { apiKeyClient, importNew, sessionClient } from './test-helpers.ts';

let sandbox: SandboxHandle;
beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, jobDelayMs: 5 });
});
afterAll(() => sandbox.close());

describe('session API and CSRF', () => {
  it('login sets an HttpOnly SameSite=Lax cookie; the session gives a ≥128-bit CSRF token', async () => {
    const res = await fetch(`${sandbox.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: USERS.manager.email, password: SANDBOX_PASSWORD }),
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { user: unknown }).user).toEqual({
      id: USERS.manager.id,
      email: USERS.manager.email,
      name: USERS.manager.name,
    });
    const cookie = res.headers.get('set-cookie')!;
    expect(cookie).toMatch(/^afp_session=[^;]+; HttpOnly; SameSite=Lax; Path=\//);
    const session = (await (
      await fetch(`${sandbox.url}/api/session`, { headers: { cookie: cookie.split(';')[0]! } })
    ).json()) as {
      user: { email: string };
      account: { name: string; role: string };
      csrfToken: string;
    };
    expect(session.account).toMatchObject({ name: 'Sandbox Bank', role: 'Admin' });
    expect(Buffer.from(session.csrfToken, 'base64url').length).toBeGreaterThanOrEqual(16);
  });

  it('wrong credentials: 401 INVALID_CREDENTIALS', async () => {
    const res = await fetch(`${sandbox.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: USERS.owner.email, password: 'nope' }),
    });
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('INVALID_CREDENTIALS');
  });

  it('every mutation after login needs x-csrf-token', async () => {
    const owner = await sessionClient(sandbox.url, 'owner');
    const mutations: Array<[string, string]> = [
      ['POST', `/api/public/workflows/${WORKFLOWS.banking.id}/export`],
      ['POST', `/api/public/workflows/${WORKFLOWS.invoice.id}/deploy`],
      ['POST', `/api/public/workflows/${WORKFLOWS.onboarding.id}/undeploy`],
      ['POST', '/api/public/workflows/import'],
      ['POST', `/api/public/workflows/${WORKFLOWS.banking.id}/import`],
      ['POST', '/api/public/files'],
      ['DELETE', `/api/workflows/${WORKFLOWS.invoice.id}`],
      ['POST', '/api/workflows'],
      ['POST', '/api/auth/logout'],
    ];
    for (const [method, path] of mutations) {
      const missing = await owner.fetch(path, { method, csrf: false });
      expect(missing.status, `${method} ${path}`).toBe(403);
      expect(((await missing.json()) as { error: { code: string } }).error.code).toBe('FORBIDDEN');
      const wrong = await owner.fetch(path, {
        method,
        csrf: false,
        headers: { 'x-csrf-token': 'x'.repeat(43) },
      });
      expect(wrong.status).toBe(403);
      await wrong.arrayBuffer();
    }
    expect((await owner.fetch(`/api/workflows/${WORKFLOWS.invoice.id}`)).status).toBe(200);
    expect((await owner.fetch('/api/auth/logout', { method: 'POST' })).status).toBe(204);
    expect((await owner.fetch('/api/session')).status).toBe(401);
  });

  it("another local app's malformed cookie does not break the session", async () => {
    const editor = await sessionClient(sandbox.url, 'editor');
    const session = editor.cookie.split(';')[0]!;
    const both = await fetch(`${sandbox.url}/api/workflows`, {
      headers: { cookie: `analytics=50%; ${session}; theme=%E0%A4%A` },
    });
    expect(both.status).toBe(200);
    const alone = await fetch(`${sandbox.url}/api/session`, { headers: { cookie: 'afp_session=%E0%A4%A' } });
    expect(alone.status).toBe(401);
  });

  it('a malformed Host header is a 400, not a crash', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(`${sandbox.url}/api/session`, { headers: { host: 'bad host:x' } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(400);
  });

  it('errors have the {error: {code, message}} shape; unknown API routes are 404 JSON', async () => {
    const res = await apiKeyClient(sandbox.url).fetch('/api/nope');
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: { code: 'NOT_FOUND', message: expect.any(String) } });
  });
});

describe('seed', () => {
  it('is deterministic and has the five workflows', () => {
    const a = createSeedState();
    const b = createSeedState();
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    expect(a.workflows.map((w) => w.name)).toEqual([
      'Banking Assistant',
      'Invoice Triage',
      'Onboarding / KYC: "Tier-1" ✓ Ünïcode',
      'Claims Flow 2000',
      'Empty Start',
    ]);
    expect(a.workflows.map((w) => w.id)).toEqual(Object.values(WORKFLOWS).map((w) => w.id));
    for (const w of a.workflows)
      expect(w.id).toMatch(/^a-[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const empty = a.workflows[4]!.versions[0]!.flow.nodes as Array<{ type: string }>;
    expect(empty.map((n) => n.type)).toEqual(['start', 'end']);
    expect(a.workflows[0]!.auditLogs).toHaveLength(25);
    expect(a.workflows[0]!.apiKeys.map((k) => k.key)).toEqual([
      expect.stringMatching(/^kg-[0-9a-f-]{36}-[0-9a-f-]{36}$/),
      expect.stringMatching(/^kg-/),
    ]);
    expect(a.managementApiKeys[0]!.key).toBe(MANAGEMENT_API_KEY);
  });
});

describe('web UI shell', () => {
  it('serves the single-page app for every non-API path', async () => {
    for (const path of ['/', '/login', '/workflows', `/workflows/${WORKFLOWS.banking.id}/configurations`]) {
      const res = await fetch(`${sandbox.url}${path}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain('text/html');
      const html = await res.text();
      expect(html).toContain('<script type="module" src="/assets/app.js">');
      expect(html).not.toMatch(/data-testid/);
    }
    const js = await fetch(`${sandbox.url}/assets/app.js`);
    expect(js.headers.get('content-type')).toContain('javascript');
    const source = await js.text();
    expect(source).not.toMatch(/data-test|data-afp/);
    for (const label of [
      'Configurations',
      'Export workflow',
      'Import a workflow',
      'Proceed to undeploy',
      'Proceed to delete',
      'Sharing & Permissions',
      'aria-current',
    ]) {
      expect(source).toContain(label);
    }
  });
});

describe('--state persistence', () => {
  it('saves on close and loads on start', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'afp-sandbox-'));
    const statePath = join(dir, 'state.json');
    try {
      const first = await startSandbox({ port: 0, statePath, jobDelayMs: 5 });
      const key = apiKeyClient(first.url);
      const { job } = await importNew(key, 'Persisted workflow', {
        flow: { schemaVersion: '1.0', nodes: [] },
      });
      expect(job?.status).toBe('SUCCESS');
      await first.close();
      expect(existsSync(statePath)).toBe(true);
      expect(readFileSync(statePath, 'utf8')).toContain('Persisted workflow');

      const second = await startSandbox({ port: 0, statePath });
      const list = (await (await apiKeyClient(second.url).fetch('/api/workflows')).json()) as {
        workflows: Array<{ name: string }>;
      };
      expect(list.workflows.map((w) => w.name)).toContain('Persisted workflow');
      await second.close();

      const fresh = await startSandbox({ port: 0 });
      const freshList = (await (await apiKeyClient(fresh.url).fetch('/api/workflows')).json()) as {
        workflows: Array<{ name: string }>;
      };
      expect(freshList.workflows.map((w) => w.name)).not.toContain('Persisted workflow');
      await fresh.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('CLI', () => {
  it('`npm run sandbox -- --port 0` prints the exact first line and stops on SIGTERM', async () => {
    // Its own process group, so the test can stop it as Ctrl-C would: npm, tsx and the server together.
    const child = spawn('npm', ['run', 'sandbox', '--', '--port', '0'], {
      cwd: process.cwd(),
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    const signalGroup = (signal: NodeJS.Signals) => {
      try {
        process.kill(-child.pid!, signal);
      } catch {
        // Already gone.
      }
    };
    try {
      const firstLine = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          const i = out.indexOf('\n');
          if (i >= 0) resolve(out.slice(0, i));
        });
        child.on('exit', (code) => reject(new Error(`exited ${code}`)));
        setTimeout(() => reject(new Error('timeout')), 15_000);
      });
      expect(firstLine).toMatch(/^AFP sandbox listening on http:\/\/127\.0\.0\.1:\d+$/);
      const url = firstLine.slice('AFP sandbox listening on '.length);
      const res = await fetch(`${url}/api/workflows`, { headers: { 'x-api-key': MANAGEMENT_API_KEY } });
      expect(res.status).toBe(200);
      const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
      signalGroup('SIGTERM');
      await exited;
      await expect
        .poll(() =>
          fetch(`${url}/api/workflows`).then(
            () => 'answers',
            () => 'stopped',
          ),
        )
        .toBe('stopped');
    } finally {
      signalGroup('SIGKILL');
    }
  }, 25_000);

  it('saves --state on SIGTERM and exits 0', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'afp-sandbox-cli-'));
    const statePath = join(dir, 'state.json');
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'tests/sandbox/cli.ts', '--port', '0', '--state', statePath],
      { cwd: process.cwd(), stdio: ['ignore', 'pipe', 'pipe'] },
    );
    try {
      await new Promise<void>((resolve, reject) => {
        child.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('listening on') && resolve());
        child.on('exit', (code) => reject(new Error(`exited ${code}`)));
        setTimeout(() => reject(new Error('timeout')), 15_000);
      });
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(JSON.parse(readFileSync(statePath, 'utf8')).state.workflows).toHaveLength(5);
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  }, 25_000);
});
