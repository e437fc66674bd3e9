/**
 * The one interface through which the extension's worker and the CLI reach AI for Process.
 * Implementations: `createSessionClient` (the web app's session API, cookie + CSRF) and
 * `createPublicClient` (the documented public API, `x-api-key`). A method an implementation cannot do throws
 * `PlatformError('NOT_SUPPORTED', …)`.
 */

export interface SessionInfo {
  user: { id: string; email: string; name: string };
  account: { id: string; name: string; role: string };
}

export type WorkflowStatus = string; // "Deployed" | "In Development" | whatever the platform says

export interface WorkflowSummary {
  id: string;
  name: string;
  description: string;
  status: WorkflowStatus;
  updatedAt?: string;
  myRole?: string;
}

export interface WorkflowPermissions {
  export: boolean;
  importVersion: boolean;
  deploy: boolean;
  delete: boolean;
}

export type VersionState = 'in-development' | 'deployed' | 'saved' | (string & {});

export interface WorkflowVersionSummary {
  id: string;
  name: string;
  state: VersionState;
  createdAt?: string;
  updatedAt?: string;
}

export interface WorkflowDetails {
  workflow: {
    id: string;
    name: string;
    description: string;
    status: WorkflowStatus;
    deployedVersionId: string | null;
    inDevelopmentVersionId: string | null;
    myRole?: string;
    permissions: WorkflowPermissions;
  };
  versions: WorkflowVersionSummary[];
}

export interface PackageFilesForImport {
  /** flow_definition.json */
  flow: Uint8Array;
  /** app_definition.json (optional for a new workflow, required for a version) */
  app?: Uint8Array;
  /** env_variables.json (optional for a new workflow, required for a version) */
  env?: Uint8Array;
}

export type EnvConflictChoice = 'overwrite' | 'keep';

export type ImportTarget =
  | { kind: 'new'; name: string }
  | { kind: 'version'; workflowId: string; envConflicts?: Record<string, EnvConflictChoice> };

export interface PlatformWarning {
  code: string;
  message: string;
  details?: unknown;
}

export interface ImportResult {
  workflowId: string;
  warnings: PlatformWarning[];
  /** The job that did the import, for logs. */
  dockStatusId?: string;
  /** The new version, when the platform says which it is. */
  versionId?: string;
}

/** An import the platform has accepted and works on: what is needed to follow it, even after a restart. */
export interface StartedImport {
  dockStatusId?: string;
  workflowId?: string;
  status?: string;
  warnings?: PlatformWarning[];
}

/** What the signed-in user's account role allows across the account. */
export interface AccountInfo {
  role: string;
  canImportWorkflow: boolean;
}

export interface PlatformClient {
  /** Who is signed in (session API) or whom the key acts for (public API, where supported). */
  getSession(): Promise<SessionInfo>;
  listWorkflows(): Promise<WorkflowSummary[]>;
  getWorkflow(workflowId: string): Promise<WorkflowDetails>;
  /** The raw version record (platform-contract.md §6), unvalidated: the caller validates. */
  getVersionRecord(workflowId: string, versionId: string): Promise<unknown>;
  /** The platform's own export: start the job, poll its status, download the zip. */
  exportNativePackage(workflowId: string, versionId?: string): Promise<Uint8Array>;
  /** Upload each file, start the import, poll it. A FAILED job throws `PlatformError('IMPORT_FAILED')`. */
  importPackage(files: PackageFilesForImport, target: ImportTarget): Promise<ImportResult>;
  /** The first half of `importPackage`: upload and start; the platform then works on its own. */
  startImport(files: PackageFilesForImport, target: ImportTarget): Promise<StartedImport>;
  /** The second half: poll a started import (again after a restart) until it ends. */
  awaitImport(started: StartedImport): Promise<ImportResult>;
  /** The account role's permissions (session API); NOT_SUPPORTED where the platform does not say. */
  getAccount(): Promise<AccountInfo>;
}

export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

export interface PlatformClientOptions {
  /** Origin of the platform, e.g. `https://process.kore.ai` (a path prefix is kept). */
  baseUrl: string;
  /** Injectable fetch (the extension routes requests through its content script). Defaults to global fetch. */
  fetch?: typeof fetch;
  /** Cancels every request and poll of this client. */
  signal?: AbortSignal;
  /** Per-request timeout; default 30 s. */
  timeoutMs?: number;
  /** The first pause between job status polls; default 1 s. Each later one is a quarter longer. */
  pollIntervalMs?: number;
  /** The longest pause between job status polls; default 8 × `pollIntervalMs`. */
  pollMaxIntervalMs?: number;
  /** Overall bound on one job's polling; default 5 min. */
  pollTimeoutMs?: number;
  /** Injectable sleep (tests). Must reject when the signal aborts. */
  sleep?: Sleep;
  /** Injectable clock (tests); default Date.now. */
  now?: () => number;
}
