/**
 * Errors from talking to the platform: a stable code, a message written for people, and whether trying
 * again may help. `fromResponse` maps the platform's `{error: {code, message, details}}` answers once, so the
 * extension and the CLI never look at HTTP statuses themselves.
 */

export type PlatformErrorCode =
  /** No session, an expired session, or an API key the platform refused. */
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'NAME_EXISTS'
  | 'PARENT_NOT_DEPLOYED'
  /** The platform refused the request as invalid (422/400). */
  | 'INVALID'
  /** Offline, connection refused, connection dropped. */
  | 'NETWORK'
  | 'TIMEOUT'
  /** The platform failed (5xx, or a job that failed on its side). */
  | 'SERVER'
  /** An answer this client does not understand (not JSON, wrong shape, not a zip). */
  | 'BAD_RESPONSE'
  /** An import job that failed; `jobCode` holds the platform's code (INVALID_JSON, SCHEMA_MISMATCH, …). */
  | 'IMPORT_FAILED'
  /** The implementation (or this platform) cannot do this. */
  | 'NOT_SUPPORTED'
  /** The caller aborted the operation through its AbortSignal. */
  | 'CANCELLED';

export interface PlatformErrorOptions {
  status?: number;
  details?: unknown;
  retryable?: boolean;
  /** For IMPORT_FAILED and failed jobs: the platform's own error code. */
  jobCode?: string;
  cause?: unknown;
}

const RETRYABLE_BY_DEFAULT: ReadonlySet<PlatformErrorCode> = new Set(['NETWORK', 'TIMEOUT', 'SERVER']);

export class PlatformError extends Error {
  readonly code: PlatformErrorCode;
  readonly status?: number;
  readonly details?: unknown;
  readonly retryable: boolean;
  readonly jobCode?: string;

  constructor(code: PlatformErrorCode, message: string, options: PlatformErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'PlatformError';
    this.code = code;
    if (options.status !== undefined) this.status = options.status;
    if (options.details !== undefined) this.details = options.details;
    if (options.jobCode !== undefined) this.jobCode = options.jobCode;
    this.retryable = options.retryable ?? RETRYABLE_BY_DEFAULT.has(code);
  }
}

export function isPlatformError(error: unknown): error is PlatformError {
  return error instanceof PlatformError;
}

/** The error body the platform sends: `{error: {code, message, details?}}`. Read tolerantly. */
export interface PlatformErrorBody {
  code?: string;
  message?: string;
  details?: unknown;
}

export function parseErrorBody(body: unknown): PlatformErrorBody | undefined {
  if (!body || typeof body !== 'object') return undefined;
  const record = body as Record<string, unknown>;
  const inner =
    record.error && typeof record.error === 'object' ? (record.error as Record<string, unknown>) : record;
  const out: PlatformErrorBody = {};
  if (typeof inner.code === 'string') out.code = inner.code;
  if (typeof inner.message === 'string') out.message = inner.message;
  else if (typeof record.error === 'string') out.message = record.error;
  if (inner.details !== undefined) out.details = inner.details;
  return out.code || out.message ? out : undefined;
}

/** Job error codes that describe why an import was refused (platform-contract.md §5). */
export const IMPORT_FAILURE_CODES: ReadonlySet<string> = new Set([
  'INVALID_JSON',
  'SCHEMA_MISMATCH',
  'INCOMPATIBLE_VERSION',
  'MISSING_GUARDRAILS',
]);

export function isCsrfFailure(status: number, body: PlatformErrorBody | undefined): boolean {
  if (status !== 403 && status !== 419) return false;
  const text = `${body?.code ?? ''} ${body?.message ?? ''}`;
  return /csrf|xsrf/i.test(text);
}

function sentence(text: string | undefined): string {
  if (!text) return '';
  const trimmed = text.trim();
  if (!trimmed) return '';
  return /[.!?]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}

/** `base` (a sentence) followed by the platform's own words: "Not found while exporting: Version not found." */
function withServerMessage(base: string, serverMessage: string | undefined): string {
  const extra = sentence(serverMessage);
  if (!extra || base.includes(extra.replace(/\.$/, ''))) return base;
  return `${base.replace(/\.$/, '')}: ${extra}`;
}

/** The platform's words first, then what to do: "A workflow named "X" already exists. Choose another name." */
function serverFirst(serverMessage: string | undefined, fallback: string, advice: string): string {
  const said = sentence(serverMessage);
  return said ? `${said} ${advice}` : fallback;
}

/**
 * Maps a status and an error body to a PlatformError with a message for people.
 * `context` names what was being done ("listing workflows") for the message.
 */
export function errorFromStatus(
  status: number,
  body: PlatformErrorBody | undefined,
  context?: string,
): PlatformError {
  const serverCode = body?.code;
  const serverMessage = body?.message;
  const details = body?.details;
  const doing = context ? ` while ${context}` : '';
  const base = { status, details, jobCode: serverCode };

  if (serverCode === 'NAME_EXISTS') {
    return new PlatformError(
      'NAME_EXISTS',
      serverFirst(
        serverMessage,
        'A workflow with this name already exists; choose another name.',
        'Choose another name.',
      ),
      base,
    );
  }
  if (serverCode === 'PARENT_NOT_DEPLOYED') {
    return new PlatformError(
      'PARENT_NOT_DEPLOYED',
      serverFirst(
        serverMessage,
        'The workflow must be deployed before a version can be imported into it; deploy it first.',
        'Deploy it first, or import as a new workflow.',
      ),
      base,
    );
  }
  if (serverCode && IMPORT_FAILURE_CODES.has(serverCode)) {
    return new PlatformError('IMPORT_FAILED', importFailureMessage(serverCode, serverMessage), base);
  }
  if (status === 401 || serverCode === 'UNAUTHENTICATED' || serverCode === 'INVALID_CREDENTIALS') {
    const message =
      serverCode === 'INVALID_CREDENTIALS'
        ? 'The email or password was not accepted.'
        : `The platform did not accept the session or API key${doing}: sign in again, or check the API key.`;
    return new PlatformError('UNAUTHENTICATED', message, base);
  }
  if (status === 403) {
    return new PlatformError(
      'FORBIDDEN',
      withServerMessage(`You do not have permission for this${doing}.`, serverMessage),
      base,
    );
  }
  if (status === 404) {
    return new PlatformError('NOT_FOUND', withServerMessage(`Not found${doing}.`, serverMessage), base);
  }
  if (status === 409) {
    return new PlatformError(
      'CONFLICT',
      withServerMessage(`The platform refused this because of a conflict${doing}.`, serverMessage),
      base,
    );
  }
  if (status === 400 || status === 413 || status === 422) {
    return new PlatformError(
      'INVALID',
      withServerMessage(`The platform refused the request as invalid${doing}.`, serverMessage),
      base,
    );
  }
  if (status === 408 || status === 504) {
    return new PlatformError('TIMEOUT', `The platform took too long to answer${doing}; try again.`, base);
  }
  if (status === 429) {
    return new PlatformError('SERVER', `The platform asked to slow down${doing}; try again in a moment.`, {
      ...base,
      retryable: true,
    });
  }
  if (status >= 500) {
    return new PlatformError(
      'SERVER',
      withServerMessage(
        `The platform had an internal problem${doing} (HTTP ${status}); try again later.`,
        serverMessage,
      ),
      base,
    );
  }
  return new PlatformError(
    'BAD_RESPONSE',
    withServerMessage(`The platform answered with an unexpected HTTP ${status}${doing}.`, serverMessage),
    base,
  );
}

export function importFailureMessage(jobCode: string | undefined, serverMessage?: string): string {
  const said = sentence(serverMessage);
  if (said) return `The platform refused the import${jobCode ? ` (${jobCode})` : ''}: ${said}`;
  return (() => {
    switch (jobCode) {
      case 'INVALID_JSON':
        return 'The platform refused the import: a file is not valid JSON.';
      case 'SCHEMA_MISMATCH':
        return 'The platform refused the import: the files do not match the expected format.';
      case 'INCOMPATIBLE_VERSION':
        return 'The platform refused the import: the package was made for a newer version of the platform.';
      case 'MISSING_GUARDRAILS':
        return 'The platform refused the import: the package uses guardrails that are not deployed in this account.';
      case 'NAME_EXISTS':
        return 'The platform refused the import: a workflow with this name already exists.';
      case 'PARENT_NOT_DEPLOYED':
        return 'The platform refused the import: the workflow must be deployed before a version can be imported into it.';
      case 'FORBIDDEN':
        return 'The platform refused the import: you do not have permission to import here.';
      default:
        return `The import failed${jobCode ? ` (${jobCode})` : ''}.`;
    }
  })();
}

/**
 * Reads a failed Response (once) and maps it. Safe on any body: not JSON, empty, or huge.
 */
export async function fromResponse(response: Response, context?: string): Promise<PlatformError> {
  let body: unknown;
  try {
    const text = await response.text();
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  return errorFromStatus(response.status, parseErrorBody(body), context);
}
