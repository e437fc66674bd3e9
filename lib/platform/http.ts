/**
 * One HTTP exchange with the platform: URL building, a timeout that also covers reading the body,
 * cancellation, and the mapping of every failure to a PlatformError. Both clients build on `exchange`.
 */
import type { z } from 'zod';
import { PlatformError, fromResponse } from './errors.ts';
import type { PlatformClientOptions, Sleep } from './types.ts';

export const DEFAULT_TIMEOUT_MS = 30_000;
export const DEFAULT_POLL_INTERVAL_MS = 1_000;
/** Unless told otherwise, the pause between polls grows up to this many times the first one. */
const DEFAULT_POLL_STRETCH = 8;
export const DEFAULT_POLL_TIMEOUT_MS = 5 * 60_000;

export interface RequestSpec {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** A path below the base URL (`/api/session`), or an absolute URL (a download link). */
  path: string;
  query?: Record<string, string | undefined>;
  json?: unknown;
  form?: FormData;
  headers?: Record<string, string>;
  credentials?: RequestCredentials;
  /**
   * Headers that must never reach another origin (the API key). When set, redirects are followed by hand
   * and these headers are dropped as soon as a redirect leaves the platform's origin.
   */
  sensitiveHeaders?: string[];
  /** What is being done, for messages: "listing workflows". */
  context: string;
}

const MAX_REDIRECTS = 5;

export interface HttpContext {
  baseUrl: URL;
  fetch: typeof fetch;
  signal?: AbortSignal;
  timeoutMs: number;
}

export interface ResolvedOptions extends HttpContext {
  pollIntervalMs: number;
  pollMaxIntervalMs: number;
  pollTimeoutMs: number;
  sleep: Sleep;
  now: () => number;
}

export function defaultSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(cancelled());
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(cancelled());
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export function cancelled(): PlatformError {
  return new PlatformError('CANCELLED', 'The operation was cancelled.', { retryable: false });
}

export function parseBaseUrl(baseUrl: string): URL {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new PlatformError(
      'INVALID',
      `"${baseUrl}" is not a URL; give the platform's address, e.g. https://process.kore.ai.`,
    );
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new PlatformError('INVALID', `"${baseUrl}" is not an http(s) address.`);
  }
  url.search = '';
  url.hash = '';
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  return url;
}

export function resolveOptions(options: PlatformClientOptions): ResolvedOptions {
  const fetchImpl = options.fetch ?? globalThis.fetch;
  if (typeof fetchImpl !== 'function') {
    throw new PlatformError('NOT_SUPPORTED', 'No fetch implementation is available here.');
  }
  const pollIntervalMs = options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS;
  return {
    baseUrl: parseBaseUrl(options.baseUrl),
    // Called unbound: a browser's fetch throws "Illegal invocation" when called as a method of another object.
    fetch: (input, init) => fetchImpl(input, init),
    signal: options.signal,
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    pollIntervalMs,
    pollMaxIntervalMs: options.pollMaxIntervalMs ?? pollIntervalMs * DEFAULT_POLL_STRETCH,
    pollTimeoutMs: options.pollTimeoutMs ?? DEFAULT_POLL_TIMEOUT_MS,
    sleep: options.sleep ?? defaultSleep,
    now: options.now ?? Date.now,
  };
}

export function buildUrl(base: URL, path: string, query?: Record<string, string | undefined>): URL {
  const trimmed = path.trim();
  const url = /^https?:\/\//i.test(trimmed) ? new URL(trimmed) : new URL(trimmed.replace(/^\/+/, ''), base);
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value !== undefined) url.searchParams.set(key, value);
  }
  return url;
}

export function sameOrigin(a: URL, b: URL): boolean {
  return a.origin === b.origin;
}

/**
 * Sends one request and hands the successful response to `read`, all under one timeout.
 * Non-2xx answers become PlatformErrors through `fromResponse`; thrown fetch errors become NETWORK,
 * the timeout TIMEOUT, the caller's abort CANCELLED.
 */
export async function exchange<T>(
  ctx: HttpContext,
  spec: RequestSpec,
  read: (response: Response) => Promise<T>,
): Promise<T> {
  if (ctx.signal?.aborted) throw cancelled();
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, ctx.timeoutMs);
  const onOuterAbort = () => controller.abort();
  ctx.signal?.addEventListener('abort', onOuterAbort, { once: true });

  const headers: Record<string, string> = { accept: 'application/json', ...spec.headers };
  let body: BodyInit | undefined;
  if (spec.form) {
    body = spec.form;
  } else if (spec.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(spec.json);
  }
  const url = buildUrl(ctx.baseUrl, spec.path, spec.query);

  try {
    const response = await fetchFollowing(
      ctx,
      url,
      {
        method: spec.method,
        headers,
        body,
        credentials: spec.credentials,
        signal: controller.signal,
      },
      spec.sensitiveHeaders,
    );
    if (!response.ok) throw await fromResponse(response, spec.context);
    return await read(response);
  } catch (error) {
    if (error instanceof PlatformError) throw error;
    if (timedOut) {
      throw new PlatformError(
        'TIMEOUT',
        `The platform did not answer within ${Math.round(ctx.timeoutMs / 1000)} s while ${spec.context}; try again.`,
        { cause: error },
      );
    }
    if (ctx.signal?.aborted) throw cancelled();
    throw new PlatformError(
      'NETWORK',
      `Could not reach the platform at ${ctx.baseUrl.origin} while ${spec.context} (${describeNetworkError(error)}); check the address and your connection.`,
      { cause: error },
    );
  } finally {
    clearTimeout(timer);
    ctx.signal?.removeEventListener('abort', onOuterAbort);
  }
}

/** fetch, following redirects by hand when some headers must not leave the first origin. */
async function fetchFollowing(
  ctx: HttpContext,
  url: URL,
  init: RequestInit & { headers: Record<string, string> },
  sensitiveHeaders: string[] | undefined,
): Promise<Response> {
  if (!sensitiveHeaders?.length) return ctx.fetch(url.toString(), { ...init, redirect: 'follow' });
  let current = url;
  let request = init;
  for (let hop = 0; ; hop++) {
    const response = await ctx.fetch(current.toString(), { ...request, redirect: 'manual' });
    if (response.type === 'opaqueredirect') {
      throw new PlatformError(
        'BAD_RESPONSE',
        'The platform answered with a redirect that cannot be followed safely here.',
      );
    }
    const location = response.headers.get('location');
    if (![301, 302, 303, 307, 308].includes(response.status) || !location) return response;
    if (hop >= MAX_REDIRECTS)
      throw new PlatformError('BAD_RESPONSE', 'The platform redirected too many times.');
    await response.body?.cancel().catch(() => undefined);
    const next = new URL(location, current);
    const headers = { ...request.headers };
    if (next.origin !== url.origin) {
      for (const name of Object.keys(headers)) {
        if (sensitiveHeaders.some((sensitive) => sensitive.toLowerCase() === name.toLowerCase()))
          delete headers[name];
      }
    }
    const becomesGet =
      response.status === 303 ||
      ((response.status === 301 || response.status === 302) && request.method === 'POST');
    request = becomesGet ? { ...request, method: 'GET', body: undefined, headers } : { ...request, headers };
    if (becomesGet) delete request.headers['content-type'];
    current = next;
  }
}

/** What Node's fetch says when it cannot connect, in words; the code stays for searching. */
const NETWORK_CODE_WORDS: Record<string, string> = {
  ECONNREFUSED: 'connection refused: nothing answers on that port',
  ENOTFOUND: 'no such host name',
  EAI_AGAIN: 'the host name could not be looked up just now',
  ECONNRESET: 'the connection was cut',
  ETIMEDOUT: 'the connection timed out',
  UND_ERR_CONNECT_TIMEOUT: 'the connection timed out',
  EHOSTUNREACH: 'the host cannot be reached',
  ENETUNREACH: 'the network cannot be reached',
  ERR_SSL_WRONG_VERSION_NUMBER: 'it does not speak HTTPS on that port (is the address http://?)',
  ERR_TLS_CERT_ALTNAME_INVALID: 'its TLS certificate is for another host name',
  CERT_HAS_EXPIRED: 'its TLS certificate has expired',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'its TLS certificate is self-signed, so not trusted',
  SELF_SIGNED_CERT_IN_CHAIN: 'its TLS certificate is signed by an authority this machine does not trust',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE:
    'its TLS certificate is signed by an authority this machine does not trust',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
    'its TLS certificate is signed by an authority this machine does not trust (NODE_EXTRA_CA_CERTS adds one)',
};

function describeNetworkError(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown; message?: unknown } } | undefined)?.cause;
  if (cause && typeof cause.code === 'string') {
    const words = NETWORK_CODE_WORDS[cause.code];
    return words ? `${words}; ${cause.code}` : cause.code;
  }
  // fetch refuses ports browsers block (9, 22, 6000, …) before trying to connect.
  if (cause?.message === 'bad port') return 'fetch refuses to use that port, one of those browsers block';
  if (error instanceof Error) return error.message || error.name;
  return 'connection failed';
}

export async function readJson(response: Response, context: string): Promise<unknown> {
  const text = await response.text();
  try {
    return JSON.parse(text);
  } catch {
    throw new PlatformError(
      'BAD_RESPONSE',
      `The platform sent an answer that is not JSON while ${context}.`,
      { status: response.status, details: { excerpt: text.slice(0, 200) } },
    );
  }
}

export function validate<T>(schema: z.ZodType<T>, value: unknown, context: string): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issues = result.error.issues.map((issue) => ({
    path: issue.path.map(String).join('.') || '(root)',
    message: issue.message,
  }));
  const first = issues[0];
  throw new PlatformError(
    'BAD_RESPONSE',
    `The platform's answer was not what AFP Porter expects while ${context}${first ? ` (${first.path}: ${first.message})` : ''}.`,
    { details: { issues } },
  );
}

export function jsonReader<T>(schema: z.ZodType<T>, context: string) {
  return async (response: Response): Promise<T> =>
    validate(schema, await readJson(response, context), context);
}

export async function readBytes(response: Response): Promise<Uint8Array> {
  return new Uint8Array(await response.arrayBuffer());
}

export async function discardBody(response: Response): Promise<void> {
  await response.arrayBuffer().catch(() => undefined);
}
