/** The export feature's messages: start, confirm the dependency check, cancel, follow. */
import * as z from 'zod/mini';
import { DEPENDENCY_KINDS } from '../package/dependencies';
import { id, uiErrorSchema, type MessageSpecs } from './common';

export const EXPORT_STEPS = ['fetch', 'validate', 'redact', 'zip', 'save', 'download'] as const;
export type ExportStep = (typeof EXPORT_STEPS)[number];

export const JOB_STATUSES = ['running', 'succeeded', 'failed', 'cancelled'] as const;

export const dependencySchema = z.object({
  kind: z.enum(DEPENDENCY_KINDS),
  name: z.string(),
});
export type Dependency = z.infer<typeof dependencySchema>;

export const exportResultSchema = z.object({
  packageId: id,
  fileName: z.string(),
  size: z.number(),
  redactedCount: z.number(),
});
export type ExportResult = z.infer<typeof exportResultSchema>;

export const jobSnapshotSchema = z.object({
  id,
  workflowId: id,
  versionId: id,
  step: z.enum(EXPORT_STEPS),
  status: z.enum(JOB_STATUSES),
  /** What the target account needs, once the version has been read; the user confirms before anything is saved. */
  dependencies: z.optional(z.array(dependencySchema)),
  /** Whether the user said "Yes, I will take care" (set at once when there is nothing to check). */
  confirmed: z.boolean(),
  error: z.optional(uiErrorSchema),
  result: z.optional(exportResultSchema),
});
export type JobSnapshot = z.infer<typeof jobSnapshotSchema>;

const byJob = z.object({ jobId: id });

export const exportMessages = {
  'export:start': { request: z.object({ workflowId: id, versionId: id }), response: jobSnapshotSchema },
  'export:confirm': { request: byJob, response: jobSnapshotSchema },
  'export:cancel': { request: byJob, response: jobSnapshotSchema },
  'export:status': { request: byJob, response: jobSnapshotSchema },
  /** The export this tab has running for the workflow, or has just finished; null when none. */
  'export:current': { request: z.object({ workflowId: id }), response: z.nullable(jobSnapshotSchema) },
} satisfies MessageSpecs;
