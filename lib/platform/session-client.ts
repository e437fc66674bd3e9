/**
 * The web app's own session API (platform-contract.md §4): the `afp_session` cookie (the browser, or the
 * injected fetch, keeps it; requests use `credentials: 'include'`) and the CSRF token from `GET /api/session`,
 * sent as `x-csrf-token` on every mutation and fetched again once when the platform refuses it. The public
 * API's export and import go through the same session.
 */
import { PlatformError } from './errors.ts';
import { type RequestSpec, discardBody, exchange, jsonReader, readJson, resolveOptions } from './http.ts';
import {
  type PublicApiDeps,
  awaitImportJob,
  exportNative,
  importFiles,
  isPlatformUrl,
  startImportJob,
} from './public-api.ts';
import {
  accountResponseSchema,
  sessionResponseSchema,
  workflowDetailsSchema,
  workflowListSchema,
} from './responses.ts';
import type { PlatformClient, PlatformClientOptions, SessionInfo } from './types.ts';

export type SessionClientOptions = PlatformClientOptions;

export interface SessionClient extends PlatformClient {
  readonly kind: 'session';
  /** `POST /api/auth/login`; the cookie lands in the browser (or the injected fetch's jar). */
  login(email: string, password: string): Promise<SessionInfo>;
  logout(): Promise<void>;
}

const CSRF_HEADER = 'x-csrf-token';

function isCsrfRefusal(error: unknown): boolean {
  if (!(error instanceof PlatformError) || error.code !== 'FORBIDDEN') return false;
  const reason = (error.details as { reason?: unknown } | undefined)?.reason;
  return (
    (typeof reason === 'string' && /csrf|xsrf/i.test(reason)) ||
    /csrf|xsrf/i.test(`${error.jobCode ?? ''} ${error.message}`)
  );
}

export function createSessionClient(options: SessionClientOptions): SessionClient {
  const resolved = resolveOptions(options);
  let csrfToken: string | undefined;
  let csrfRequest: Promise<string> | undefined;

  const raw = <T>(spec: RequestSpec, read: (response: Response) => Promise<T>): Promise<T> =>
    exchange(resolved, { ...spec, credentials: 'include' }, read);

  async function readSession(): Promise<SessionInfo & { csrfToken?: string }> {
    const context = 'reading the session';
    const session = await raw(
      { method: 'GET', path: '/api/session', context },
      jsonReader(sessionResponseSchema, context),
    );
    if (session.csrfToken) csrfToken = session.csrfToken;
    return session;
  }

  function fetchCsrf(): Promise<string> {
    csrfRequest ??= readSession()
      .then((session) => {
        if (!session.csrfToken) {
          throw new PlatformError(
            'BAD_RESPONSE',
            'The platform did not hand out a CSRF token with the session.',
          );
        }
        return session.csrfToken;
      })
      .finally(() => {
        csrfRequest = undefined;
      });
    return csrfRequest;
  }

  const call = async <T>(spec: RequestSpec, read: (response: Response) => Promise<T>): Promise<T> => {
    const ownOrigin = isPlatformUrl(resolved, spec.path);
    if (spec.method === 'GET' || !ownOrigin) return raw(spec, read);
    const token = csrfToken ?? (await fetchCsrf());
    try {
      return await raw({ ...spec, headers: { ...spec.headers, [CSRF_HEADER]: token } }, read);
    } catch (error) {
      if (!isCsrfRefusal(error)) throw error;
      // The token rotated (new login, server restart): fetch it once more and retry once.
      csrfToken = undefined;
      const fresh = await fetchCsrf();
      return raw({ ...spec, headers: { ...spec.headers, [CSRF_HEADER]: fresh } }, read);
    }
  };
  const deps: PublicApiDeps = { call, options: resolved, state: {} };

  return {
    kind: 'session',

    async login(email: string, password: string) {
      csrfToken = undefined;
      await raw(
        { method: 'POST', path: '/api/auth/login', json: { email, password }, context: 'signing in' },
        (response) => readJson(response, 'signing in'),
      );
      const session = await readSession();
      return { user: session.user, account: session.account };
    },

    async logout() {
      await call({ method: 'POST', path: '/api/auth/logout', context: 'signing out' }, discardBody);
      csrfToken = undefined;
    },

    async getSession() {
      const session = await readSession();
      return { user: session.user, account: session.account };
    },

    async listWorkflows() {
      const context = 'listing workflows';
      return call(
        { method: 'GET', path: '/api/workflows', context },
        jsonReader(workflowListSchema, context),
      );
    },

    async getWorkflow(workflowId: string) {
      const context = `reading workflow ${workflowId}`;
      return call(
        { method: 'GET', path: `/api/workflows/${encodeURIComponent(workflowId)}`, context },
        jsonReader(workflowDetailsSchema, context),
      );
    },

    async getVersionRecord(workflowId: string, versionId: string): Promise<unknown> {
      const context = `reading version ${versionId}`;
      const record = await call(
        {
          method: 'GET',
          path: `/api/workflows/${encodeURIComponent(workflowId)}/versions/${encodeURIComponent(versionId)}`,
          context,
        },
        (response) => readJson(response, context),
      );
      if (!record || typeof record !== 'object' || Array.isArray(record)) {
        throw new PlatformError(
          'BAD_RESPONSE',
          `The platform's version record is not an object while ${context}.`,
        );
      }
      return record;
    },

    exportNativePackage(workflowId: string, versionId?: string) {
      return exportNative(deps, workflowId, versionId);
    },

    importPackage(files, target) {
      return importFiles(deps, files, target);
    },

    startImport(files, target) {
      return startImportJob(deps, files, target);
    },

    awaitImport(started) {
      return awaitImportJob(deps, started);
    },

    async getAccount() {
      const context = 'reading your account role';
      return call(
        { method: 'GET', path: '/api/account', context },
        jsonReader(accountResponseSchema, context),
      );
    },
  };
}
