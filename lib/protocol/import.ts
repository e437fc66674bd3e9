/**
 * The import feature's messages: check a package against a target (nothing is written), apply the checked plan as
 * a job, follow it. A chosen file's bytes travel as `carry` sends them (a `blob:` URL, or packed); secure values
 * typed by the user travel once, in `import:apply`, and are never part of an answer.
 */
import * as z from 'zod/mini';
import { DEPENDENCY_KINDS } from '../package/dependencies';
import { BLOB_URL_PREFIX } from './bytes';
import { id, uiErrorSchema, type MessageSpecs } from './common';
import { JOB_STATUSES } from './export';

export const IMPORT_STEPS = ['backup', 'upload', 'import', 'poll'] as const;
export type ImportStep = (typeof IMPORT_STEPS)[number];

/** 20 MB packages and more: the base64 text of a package is capped well below the browser's message limit. */
const MAX_BASE64 = 48 * 1024 * 1024;
const carried = z.union([
  z.object({ url: z.string().check(z.startsWith(BLOB_URL_PREFIX), z.maxLength(2048)) }),
  z.object({ packed: z.string().check(z.maxLength(MAX_BASE64)) }),
]);
const fileName = z.string().check(z.minLength(1), z.maxLength(260));

export const importSourceSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('zip'), name: fileName, bytes: carried }),
  z.object({
    kind: z.literal('files'),
    files: z.array(z.object({ name: fileName, bytes: carried })).check(z.minLength(1), z.maxLength(3)),
  }),
  z.object({ kind: z.literal('cached'), packageId: id }),
]);
export type ImportSourceMessage = z.infer<typeof importSourceSchema>;

export const importTargetSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('new') }),
  z.object({ kind: z.literal('version'), workflowId: id }),
]);
export type ImportTargetMessage = z.infer<typeof importTargetSchema>;

export const importProblemSchema = z.object({
  file: z.optional(z.string()),
  place: z.optional(z.string()),
  message: z.string(),
});
export type ImportProblemView = z.infer<typeof importProblemSchema>;

export const importPlanSchema = z.object({
  kind: z.enum(['new', 'version']),
  packageName: z.string(),
  name: z.string(),
  nameTaken: z.boolean(),
  envConflicts: z.array(
    z.object({
      name: z.string(),
      secure: z.boolean(),
      packageValue: z.optional(z.string()),
      currentValue: z.optional(z.string()),
    }),
  ),
  emptySecure: z.array(z.object({ name: z.string(), notes: z.string(), fromRedaction: z.boolean() })),
  dependencies: z.array(
    z.object({
      kind: z.enum(DEPENDENCY_KINDS),
      name: z.string(),
      severity: z.enum(['warning', 'error']),
      message: z.string(),
    }),
  ),
  blocking: z.array(z.string()),
});
export type ImportPlanView = z.infer<typeof importPlanSchema>;

export const importCheckSchema = z.union([
  z.object({
    ok: z.literal(true),
    checkId: id,
    plan: importPlanSchema,
    /** What the reader noticed without refusing (`callflow.json` read as the flow). */
    notes: z.array(z.string()),
    /** The account's workflow names, so that the dialog says at once when a typed name is taken. */
    takenNames: z.array(z.string()),
  }),
  z.object({ ok: z.literal(false), summary: z.string(), problems: z.array(importProblemSchema) }),
]);
export type ImportCheck = z.infer<typeof importCheckSchema>;

export const importSnapshotSchema = z.object({
  id,
  step: z.enum(IMPORT_STEPS),
  status: z.enum(JOB_STATUSES),
  target: z.object({ kind: z.enum(['new', 'version']), name: z.string(), workflowId: z.optional(id) }),
  backup: z.optional(z.object({ packageId: z.optional(id), fileName: z.optional(z.string()) })),
  /** Said while the job waits for something the user can do (log in again). */
  notice: z.optional(z.string()),
  result: z.optional(
    z.object({
      workflowId: id,
      versionId: z.optional(id),
      url: z.string(),
      warnings: z.array(z.string()),
    }),
  ),
  failure: z.optional(z.object({ summary: z.string(), problems: z.array(importProblemSchema) })),
  error: z.optional(uiErrorSchema),
});
export type ImportSnapshot = z.infer<typeof importSnapshotSchema>;

/** Where the import goes: a page of the platform imports into its own origin; an extension page names a host. */
const host = z.optional(z.string().check(z.maxLength(300)));
const byJob = z.object({ jobId: id });

export const importContextSchema = z.object({
  allowed: z.boolean(),
  /** Why not, in words, shown before any click. */
  reason: z.optional(z.string()),
  workflowName: z.optional(z.string()),
});
export type ImportContext = z.infer<typeof importContextSchema>;

export const importTargetWorkflowSchema = z.object({ id, name: z.string(), status: z.string() });
export type ImportTargetWorkflow = z.infer<typeof importTargetWorkflowSchema>;

export const importMessages = {
  /** The account's workflows, for an extension page picking the workflow a version goes into. */
  'import:workflows': { request: z.object({ host }), response: z.array(importTargetWorkflowSchema) },
  /** Whether the signed-in user may import here, and why not. */
  'import:context': {
    request: z.object({ target: importTargetSchema, host }),
    response: importContextSchema,
  },
  'import:check': {
    request: z.object({ source: importSourceSchema, target: importTargetSchema, host }),
    response: importCheckSchema,
  },
  'import:apply': {
    request: z.object({
      checkId: id,
      name: z.optional(z.string().check(z.maxLength(200))),
      backup: z.boolean(),
      envChoices: z.record(z.string(), z.enum(['overwrite', 'keep'])),
      /** Typed in the preview; sent to the platform only, never stored or logged. */
      secureValues: z.record(z.string(), z.string().check(z.maxLength(10_000))),
      host,
    }),
    response: importSnapshotSchema,
  },
  'import:status': { request: byJob, response: importSnapshotSchema },
  'import:cancel': { request: byJob, response: importSnapshotSchema },
  /** The import this tab has running (or just finished), to show again after a navigation; null when none. */
  'import:current': {
    request: z.object({ target: importTargetSchema }),
    response: z.nullable(importSnapshotSchema),
  },
} satisfies MessageSpecs;
