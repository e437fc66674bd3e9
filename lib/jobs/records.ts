/**
 * What a job keeps in IndexedDB, by kind. Every kind shares the runner's fields; the rest is its own. Nothing
 * secret is ever part of a record: a raw version record, a package's bytes being imported and the secure values a
 * user typed stay in the worker's memory.
 */
import type {
  BulkWorkflowState,
  Dependency,
  ExportStep,
  ImportProblemView,
  ImportStep,
  UiError,
} from '../protocol';

export type JobStatus = 'running' | 'succeeded' | 'failed' | 'cancelled';

/** What the runner owns, whatever the job does. */
export interface BaseJobRecord {
  id: string;
  kind: string;
  /** One running job per key, so a double click never starts a second one. */
  key: string;
  origin: string;
  tabId: number | null;
  /** Other tabs that asked for the same job while it ran: they are told of it too. */
  watchers?: number[];
  step: string;
  status: JobStatus;
  /** The user confirmed what the job asked them to (or there was nothing to confirm). */
  confirmed: boolean;
  /** How often the job was started from scratch (a worker stop restarts it). */
  attempts: number;
  error?: UiError;
  createdAt: string;
  updatedAt: string;
}

export interface ExportJobRecord extends BaseJobRecord {
  kind: 'export';
  workflowId: string;
  versionId: string;
  step: ExportStep;
  dependencies?: Dependency[];
  packageId?: string;
  downloadId?: number;
  /** The name the browser saved the file under (`Banking Assistant (1).zip` when the name was taken). */
  savedAs?: string;
}

export interface ImportJobRecord extends BaseJobRecord {
  kind: 'import';
  step: ImportStep;
  target: { kind: 'new'; name: string } | { kind: 'version'; workflowId: string; workflowName: string };
  /** Back up the target's current version first (a new version only). */
  backup?: { wanted: boolean; packageId?: string; fileName?: string };
  /** The platform's import job, saved the moment it was accepted: a resumed job follows it, never starts another. */
  remote?: { dockStatusId?: string; workflowId?: string };
  result?: { workflowId: string; versionId?: string; warnings: string[] };
  failure?: { summary: string; problems: ImportProblemView[] };
  /** What the job waits for that the user can do (log in again). */
  notice?: string;
}

export type JobRecord = ExportJobRecord | ImportJobRecord;

/**
 * One workflow of a bulk export (lib/jobs/bulk-export-job.ts), in the order the user's list had them. Each is a row
 * of its own (lib/store/db.ts), so marking one workflow writes that row and not the whole list again.
 */
export interface BulkEntry {
  workflowId: string;
  name: string;
  state: BulkWorkflowState;
  /** Its cached package: written in the same transaction as `state: 'exported'`. */
  packageId?: string;
  /**
   * The package's SHA-256: the same bytes exported again meanwhile (a single export) replace the cache entry under
   * another id, and the archive finds them by this.
   */
  sha256?: string;
  versionName?: string;
  redactions?: number;
  error?: UiError;
}
