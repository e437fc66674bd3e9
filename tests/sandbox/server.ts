/**
 * The AI for Process sandbox as an in-process HTTP server (platform-contract.md).
 *
 *   const sandbox = await startSandbox({ port: 0 });
 *   ... fetch(`${sandbox.url}/api/session`) ...
 *   await sandbox.close();
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import type { AddressInfo, Socket } from 'node:net';
import { registerSessionApi } from './api.ts';
import { errorCodeForStatus, validateRules } from './faults.ts';
import { HttpError, Router, notFound, readBody, sendEmpty, sendError, sendJson, type Ctx } from './http.ts';
import { registerPublicApi } from './public-api.ts';
import { Sandbox, type SandboxOptions } from './sandbox.ts';
import type { SandboxState } from './types.ts';

export interface StartOptions extends SandboxOptions {
  port?: number;
  host?: string;
  statePath?: string;
}

export interface SandboxHandle {
  url: string;
  port: number;
  close(): Promise<void>;
  /** The live state (for tests). */
  state(): SandboxState;
  /** Back to the seeded state (same as POST /__sandbox/reset). */
  reset(): void;
}

const WEB_DIR = join(dirname(fileURLToPath(import.meta.url)), 'web');
const STATIC: Record<string, string> = {
  '/assets/app.js': 'text/javascript; charset=utf-8',
  '/assets/app.css': 'text/css; charset=utf-8',
};

function isLoopback(req: IncomingMessage): boolean {
  const a = req.socket.remoteAddress ?? '';
  return a === '::1' || a.startsWith('127.') || a.startsWith('::ffff:127.');
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function startSandbox(options: StartOptions = {}): Promise<SandboxHandle> {
  const sb = new Sandbox(options);
  const router = new Router();
  registerSessionApi(router, sb);
  registerPublicApi(router, sb);

  const sockets = new Set<Socket>();

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const host = req.headers.host ?? `${options.host ?? '127.0.0.1'}`;
    let url: URL;
    try {
      url = new URL(req.url ?? '/', `http://${host}`);
    } catch {
      return sendError(res, new HttpError(400, 'INVALID', 'The request line or Host header is not valid.'));
    }
    const method = (req.method ?? 'GET').toUpperCase();
    const path = url.pathname;
    let bodyPromise: Promise<Buffer> | null = null;
    const ctx: Ctx = {
      req,
      res,
      method,
      path,
      url,
      origin: `http://${host}`,
      params: {},
      body: () => (bodyPromise ??= readBody(req)),
      json: async <T>() => {
        const raw = await ctx.body();
        return JSON.parse(raw.toString('utf8') || 'null') as T;
      },
    };

    // -------------------------------------------------------- sandbox control (loopback only, no auth)
    if (path.startsWith('/__sandbox/')) {
      if (!isLoopback(req))
        return sendError(res, new HttpError(403, 'FORBIDDEN', 'Sandbox controls are loopback-only.'));
      if (path === '/__sandbox/faults' && method === 'POST') {
        let body: unknown;
        try {
          body = await ctx.json();
        } catch {
          return sendError(res, new HttpError(422, 'INVALID', 'Send a JSON array of fault rules.'));
        }
        const parsed = validateRules(body);
        if (!parsed.ok) return sendError(res, new HttpError(422, 'INVALID', parsed.message));
        sb.faults.add(parsed.rules);
        return sendJson(res, 200, { faults: sb.faults.list() });
      }
      if (path === '/__sandbox/faults' && method === 'DELETE') {
        sb.faults.clear();
        return sendEmpty(res, 204);
      }
      if (path === '/__sandbox/faults' && method === 'GET')
        return sendJson(res, 200, { faults: sb.faults.list() });
      if (path === '/__sandbox/reset' && method === 'POST') {
        sb.reset();
        return sendEmpty(res, 204);
      }
      return sendError(res, notFound());
    }

    // -------------------------------------------------------- faults
    const fault = sb.faults.take(method, path, req.headers);
    if (fault) {
      if (fault.delayMs) await sleep(fault.delayMs);
      if (fault.withoutCookies) delete req.headers.cookie;
      if (fault.dropConnection) {
        req.socket.destroy();
        return;
      }
      if (fault.expireSession) {
        const session = sb.sessionFromRequest(ctx);
        if (session) sb.endSession(session.id);
        return sendError(
          res,
          new HttpError(401, 'UNAUTHENTICATED', 'Your session has expired. Log in again.'),
        );
      }
      if (fault.status) {
        const status = fault.status;
        if (status < 400) return sendEmpty(res, status);
        return sendError(
          res,
          new HttpError(status, errorCodeForStatus(status), `Injected fault: HTTP ${status}.`, {
            injected: true,
          }),
        );
      }
    }

    // -------------------------------------------------------- API
    if (path.startsWith('/api/')) {
      const match = router.match(method, path);
      if (!('handler' in match)) {
        return sendError(
          res,
          match.methodMismatch
            ? new HttpError(405, 'METHOD_NOT_ALLOWED', `${method} is not allowed here.`)
            : notFound('No such API route.'),
        );
      }
      ctx.params = match.params;
      await match.handler(ctx);
      return;
    }

    // -------------------------------------------------------- web UI (single-page app)
    if (method !== 'GET' && method !== 'HEAD')
      return sendError(res, new HttpError(405, 'METHOD_NOT_ALLOWED', 'Not allowed.'));
    if (path === '/favicon.ico') return sendEmpty(res, 204);
    const type = STATIC[path];
    const file = type ? path.slice('/assets/'.length) : 'index.html';
    const content = await readFile(join(WEB_DIR, file));
    res.writeHead(200, {
      'content-type': type ?? 'text/html; charset=utf-8',
      'content-length': content.length,
      'cache-control': 'no-cache',
    });
    res.end(method === 'HEAD' ? undefined : content);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (error instanceof HttpError) return sendError(res, error);
      console.error('[sandbox]', error);
      sendError(res, new HttpError(500, 'INTERNAL', 'Internal error.'));
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 4780, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const reachable = host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '::1' : host;
  const shownHost = reachable.includes(':') ? `[${reachable}]` : reachable;
  let closing: Promise<void> | null = null;

  return {
    url: `http://${shownHost}:${port}`,
    port,
    state: () => sb.state,
    reset: () => sb.reset(),
    close: () =>
      (closing ??= new Promise<void>((resolve) => {
        sb.close();
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      })),
  };
}
