/**
 * What a job keeps in IndexedDB, by kind. Every kind shares the runner's fields; the rest is its own. Nothing
 * secret is ever part of a record: a raw version record, a package's bytes being imported and the secure values a
 * user typed stay in the worker's memory.
 */
import type { Dependency, ExportStep, UiError } from '../protocol';

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

export type JobRecord = ExportJobRecord;
