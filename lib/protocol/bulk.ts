/** The bulk export feature's messages: list the account's workflows, start, cancel, follow. */
import * as z from 'zod/mini';
import { JOB_STATUSES } from './export';
import { id, uiErrorSchema, type MessageSpecs } from './common';

export const BULK_STEPS = ['export', 'archive', 'download'] as const;
export type BulkStep = (typeof BULK_STEPS)[number];

export const BULK_WORKFLOW_STATES = ['queued', 'exporting', 'exported', 'failed'] as const;
export type BulkWorkflowState = (typeof BULK_WORKFLOW_STATES)[number];

/** At most this many workflows in one bulk export. */
export const MAX_BULK_WORKFLOWS = 2000;

export const bulkWorkflowSchema = z.object({
  id,
  name: z.string(),
  status: z.optional(z.string()),
  myRole: z.optional(z.string()),
  canExport: z.boolean(),
  /** Why the user may not export it (only when `canExport` is false). */
  reason: z.optional(z.string()),
});
export type BulkWorkflow = z.infer<typeof bulkWorkflowSchema>;

export const bulkListSchema = z.object({
  account: z.object({ name: z.string() }),
  workflows: z.array(bulkWorkflowSchema),
});
export type BulkList = z.infer<typeof bulkListSchema>;

export const bulkItemSchema = z.object({
  workflowId: id,
  name: z.string(),
  state: z.enum(BULK_WORKFLOW_STATES),
  versionName: z.optional(z.string()),
  /** How many things were removed or replaced in its package. */
  redactions: z.optional(z.number()),
  error: z.optional(uiErrorSchema),
});
export type BulkItem = z.infer<typeof bulkItemSchema>;

export const bulkSnapshotSchema = z.object({
  id,
  step: z.enum(BULK_STEPS),
  status: z.enum(JOB_STATUSES),
  archiveName: z.string(),
  workflows: z.array(bulkItemSchema),
  error: z.optional(uiErrorSchema),
  /** Once downloaded: the name the browser saved the archive under. */
  result: z.optional(z.object({ fileName: z.string(), size: z.number() })),
  /** Once done: how many packages the library keeps, and how many it let go (of this export's, and older ones). */
  library: z.optional(z.object({ keep: z.number(), ownLetGo: z.number(), olderLetGo: z.number() })),
});
export type BulkSnapshot = z.infer<typeof bulkSnapshotSchema>;

const byJob = z.object({ jobId: id });
/** A request with nothing to say but its type (it acts on the sender's origin and tab). */
const bare = z.looseObject({});

export const bulkMessages = {
  'bulk:list': { request: bare, response: bulkListSchema },
  'bulk:start': {
    request: z.object({ workflowIds: z.array(id).check(z.minLength(1), z.maxLength(MAX_BULK_WORKFLOWS)) }),
    response: bulkSnapshotSchema,
  },
  'bulk:cancel': { request: byJob, response: bulkSnapshotSchema },
  'bulk:status': { request: byJob, response: bulkSnapshotSchema },
  /** The bulk export this tab has running, or has just finished; null when none. */
  'bulk:current': { request: bare, response: z.nullable(bulkSnapshotSchema) },
} satisfies MessageSpecs;
