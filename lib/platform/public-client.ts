/**
 * The documented public API (`x-api-key`, a management API key): export, import, job status, file upload.
 * The public API documents no way to list workflows or read a version; on hosts that also accept the key on
 * the session API's read routes (the sandbox does), `listWorkflows`/`getWorkflow`/`getSession` use them, and
 * elsewhere they throw NOT_SUPPORTED with a hint.
 */
import { PlatformError } from './errors.ts';
import { type RequestSpec, exchange, jsonReader, resolveOptions } from './http.ts';
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

export interface PublicClientOptions extends PlatformClientOptions {
  apiKey: string;
}

export interface PublicClient extends PlatformClient {
  readonly kind: 'public';
}

const LISTING_HINT =
  'This platform does not list workflows through the public API; pass the workflow ID (a-…) instead of its name';

export function createPublicClient(options: PublicClientOptions): PublicClient {
  const apiKey = options.apiKey?.trim();
  if (!apiKey) throw new PlatformError('UNAUTHENTICATED', 'An API key is needed for the public API.');
  const resolved = resolveOptions(options);

  const call = <T>(spec: RequestSpec, read: (response: Response) => Promise<T>): Promise<T> => {
    // Never send the key to another origin (a download link may point at a storage host).
    const headers = isPlatformUrl(resolved, spec.path)
      ? { ...spec.headers, 'x-api-key': apiKey }
      : spec.headers;
    return exchange(
      resolved,
      { ...spec, headers, credentials: 'omit', sensitiveHeaders: ['x-api-key'] },
      read,
    );
  };
  const deps: PublicApiDeps = { call, options: resolved, state: {} };

  /** A session-API read route, tried with the key; "not here" becomes NOT_SUPPORTED. */
  async function optionalRoute<T>(
    spec: RequestSpec,
    read: (response: Response) => Promise<T>,
    hint: string,
    notFoundIsMissingRoute = true,
  ): Promise<T> {
    try {
      return await call(spec, read);
    } catch (error) {
      const unsupported =
        error instanceof PlatformError &&
        (error.code === 'UNAUTHENTICATED' ||
          error.code === 'BAD_RESPONSE' ||
          (error.code === 'NOT_FOUND' && (notFoundIsMissingRoute || error.jobCode === undefined)));
      if (unsupported) {
        const suffix = error.status ? ` (the platform answered HTTP ${error.status} there)` : '';
        throw new PlatformError('NOT_SUPPORTED', `${hint}${suffix}`, {
          status: error.status,
          cause: error,
          retryable: false,
        });
      }
      throw error;
    }
  }

  return {
    kind: 'public',

    async getSession(): Promise<SessionInfo> {
      const context = 'reading whom the API key acts for';
      const session = await optionalRoute(
        { method: 'GET', path: '/api/session', context },
        jsonReader(sessionResponseSchema, context),
        'This platform does not say through the public API whom an API key acts for',
      );
      return { user: session.user, account: session.account };
    },

    async listWorkflows() {
      const context = 'listing workflows';
      return optionalRoute(
        { method: 'GET', path: '/api/workflows', context },
        jsonReader(workflowListSchema, context),
        LISTING_HINT,
      );
    },

    async getWorkflow(workflowId: string) {
      const context = `reading workflow ${workflowId}`;
      return optionalRoute(
        { method: 'GET', path: `/api/workflows/${encodeURIComponent(workflowId)}`, context },
        jsonReader(workflowDetailsSchema, context),
        'This platform does not describe workflows through the public API; pass the version ID (cf-…) if you need one',
        false,
      );
    },

    async getVersionRecord(): Promise<unknown> {
      throw new PlatformError(
        'NOT_SUPPORTED',
        'The public API cannot read a raw version; use the native export (porter export) instead.',
      );
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
      const context = 'reading the account role';
      return optionalRoute(
        { method: 'GET', path: '/api/account', context },
        jsonReader(accountResponseSchema, context),
        'This platform does not say through the public API what the account may do',
      );
    },
  };
}
