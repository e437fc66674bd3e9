/** Small HTTP helpers: errors as values with a code, JSON answers, a tiny router, body reading. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Json } from './types.ts';

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: Json,
  ) {
    super(message);
  }
}

export const unauthenticated = (message = 'Log in to continue.') =>
  new HttpError(401, 'UNAUTHENTICATED', message);
export const forbidden = (message = 'You do not have permission to do this.', details?: Json) =>
  new HttpError(403, 'FORBIDDEN', message, details);
export const notFound = (message = 'Not found.') => new HttpError(404, 'NOT_FOUND', message);
export const invalid = (message: string, details?: Json) => new HttpError(422, 'INVALID', message, details);
export const conflict = (message: string, code = 'CONFLICT', details?: Json) =>
  new HttpError(409, code, message, details);

export interface Ctx {
  req: IncomingMessage;
  res: ServerResponse;
  method: string;
  path: string;
  url: URL;
  origin: string;
  params: Record<string, string>;
  body(): Promise<Buffer>;
  json<T = unknown>(): Promise<T>;
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string | string[]> = {},
) {
  if (res.headersSent || res.destroyed) return;
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

export function sendError(res: ServerResponse, error: HttpError) {
  const body: { error: { code: string; message: string; details?: Json } } = {
    error: { code: error.code, message: error.message },
  };
  if (error.details !== undefined) body.error.details = error.details;
  sendJson(res, error.status, body);
}

export function sendEmpty(
  res: ServerResponse,
  status = 204,
  headers: Record<string, string | string[]> = {},
) {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(status, { 'cache-control': 'no-store', ...headers });
  res.end();
}

const MAX_BODY = 64 * 1024 * 1024;

export function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        reject(new HttpError(413, 'TOO_LARGE', 'The request body is too large.'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export function parseCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (header ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i < 0) continue;
    const key = part.slice(0, i).trim();
    if (!key) continue;
    // Other apps on the same loopback host may set cookies that are not URI-encoded: take them as they are.
    const value = part.slice(i + 1).trim();
    try {
      out[key] = decodeURIComponent(value);
    } catch {
      out[key] = value;
    }
  }
  return out;
}

export type Handler = (ctx: Ctx) => Promise<void> | void;
interface Route {
  method: string;
  segments: string[];
  handler: Handler;
}

export class Router {
  private routes: Route[] = [];

  add(method: string, patterns: string | string[], handler: Handler) {
    for (const pattern of Array.isArray(patterns) ? patterns : [patterns]) {
      this.routes.push({ method, segments: pattern.split('/').filter(Boolean), handler });
    }
    return this;
  }

  /** Finds a route; `methodMismatch` tells a 405 from a 404. */
  match(
    method: string,
    path: string,
  ): { handler: Handler; params: Record<string, string> } | { methodMismatch: boolean } {
    const segs = path.split('/').filter(Boolean);
    let methodMismatch = false;
    for (const route of this.routes) {
      if (route.segments.length !== segs.length) continue;
      const params: Record<string, string> = {};
      let ok = true;
      for (let i = 0; i < segs.length; i++) {
        const pattern = route.segments[i]!;
        let actual: string;
        try {
          actual = decodeURIComponent(segs[i]!);
        } catch {
          ok = false;
          break;
        }
        if (pattern.startsWith(':')) params[pattern.slice(1)] = actual;
        else if (pattern !== actual) {
          ok = false;
          break;
        }
      }
      if (!ok) continue;
      if (route.method !== method && !(route.method === 'GET' && method === 'HEAD')) {
        methodMismatch = true;
        continue;
      }
      return { handler: route.handler, params };
    }
    return { methodMismatch };
  }
}
