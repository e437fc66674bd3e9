/**
 * One place that turns any failure into what the panel says: what happened and what to do, by cause.
 */
import type { UiError } from '../protocol';
import { isPackageError } from '../package/errors';
import { PlatformError } from '../platform/errors';

export class JobError extends Error {
  constructor(
    readonly code:
      | 'INTERRUPTED'
      | 'DOWNLOAD_FAILED'
      | 'NO_SUCH_JOB'
      | 'NOT_ALLOWED_ORIGIN'
      | 'NOT_POSSIBLE'
      | 'STORAGE_FULL',
    message: string,
    readonly retryable = false,
  ) {
    super(message);
    this.name = 'JobError';
  }
}

const PLATFORM_MESSAGES: Record<string, { message: string; retryable: boolean }> = {
  UNAUTHENTICATED: {
    message: 'Your AI for Process session has expired. Log in again in this tab, then export.',
    retryable: false,
  },
  FORBIDDEN: {
    message:
      'Your role on this workflow does not allow exporting it. Ask a workflow admin for the editor role or above.',
    retryable: false,
  },
  NOT_FOUND: {
    message: 'This workflow or version no longer exists. Reload the page to see the current versions.',
    retryable: false,
  },
  NETWORK: {
    message: 'The platform could not be reached. Check your connection, then retry.',
    retryable: true,
  },
  TIMEOUT: {
    message: 'The platform did not answer in time. Retry in a moment.',
    retryable: true,
  },
  SERVER: {
    message:
      'The platform reported an internal error. Retry; if it keeps failing, contact your platform admin.',
    retryable: true,
  },
  BAD_RESPONSE: {
    message:
      'The platform sent data AFP Porter does not understand, so nothing was exported. Update the extension or report this workflow.',
    retryable: false,
  },
};

export function toUiError(error: unknown): UiError {
  if (error instanceof PlatformError) {
    if (error.code === 'SERVER' && error.status !== undefined && error.status !== 500) {
      const message =
        error.status === 429
          ? 'The platform is limiting requests right now (HTTP 429). Wait a moment, then retry.'
          : `The platform is unavailable right now (HTTP ${error.status}). Retry in a few minutes; if it keeps failing, contact your platform admin.`;
      return { code: error.code, message, retryable: true };
    }
    const known = PLATFORM_MESSAGES[error.code];
    if (known) return { code: error.code, ...known };
    return { code: error.code, message: error.message, retryable: error.retryable };
  }
  if (isPackageError(error)) {
    if (error.code === 'LEAK_DETECTED') {
      return {
        code: error.code,
        message: `Export stopped: a secret could not be removed safely (${error.message}). Nothing was saved.`,
        retryable: false,
      };
    }
    const where = error.problems[0]?.path ? ` (first at ${error.problems[0].path})` : '';
    return {
      code: 'BAD_RESPONSE',
      message: `This version holds data AFP Porter does not understand${where}, so nothing was exported.`,
      retryable: false,
    };
  }
  if (error instanceof JobError)
    return { code: error.code, message: error.message, retryable: error.retryable };
  return {
    code: 'INTERNAL',
    message:
      'Something unexpected went wrong inside AFP Porter; nothing was saved. Retry, or reload the page.',
    retryable: true,
  };
}
