/**
 * The typed protocol between content scripts, extension pages and the worker.
 *
 * Every receiver parses what it gets with these schemas: a message is data from another context, and a content
 * script lives next to an untrusted page. zod/mini keeps the content script's bundle small.
 */
import * as z from 'zod/mini';
import { DEPENDENCY_KINDS } from './package/dependencies';

const id = z.string().check(z.minLength(1), z.maxLength(200));

export const EXPORT_STEPS = ['fetch', 'validate', 'redact', 'zip', 'save', 'download'] as const;
export type ExportStep = (typeof EXPORT_STEPS)[number];

export const uiErrorSchema = z.object({
  code: z.string(),
  message: z.string(),
  retryable: z.boolean(),
});
export type UiError = z.infer<typeof uiErrorSchema>;

export const versionInfoSchema = z.object({
  id,
  name: z.string(),
  state: z.string(),
  updatedAt: z.optional(z.string()),
});
export type VersionInfo = z.infer<typeof versionInfoSchema>;

export const workflowInfoSchema = z.object({
  id,
  name: z.string(),
  status: z.optional(z.string()),
  myRole: z.optional(z.string()),
  deployedVersionId: z.nullable(z.optional(z.string())),
  inDevelopmentVersionId: z.nullable(z.optional(z.string())),
  canExport: z.boolean(),
  versions: z.array(versionInfoSchema),
});
export type WorkflowInfo = z.infer<typeof workflowInfoSchema>;

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
  status: z.enum(['running', 'succeeded', 'failed', 'cancelled']),
  /** What the target account needs, once the version has been read; the user confirms before anything is saved. */
  dependencies: z.optional(z.array(dependencySchema)),
  /** Whether the user said "Yes, I will take care" (set at once when there is nothing to check). */
  confirmed: z.boolean(),
  error: z.optional(uiErrorSchema),
  result: z.optional(exportResultSchema),
});
export type JobSnapshot = z.infer<typeof jobSnapshotSchema>;

/** Requests that content scripts and extension pages send to the worker. */
export const workerRequestSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('workflow:get'), workflowId: id }),
  z.object({ type: z.literal('export:start'), workflowId: id, versionId: id }),
  z.object({ type: z.literal('export:confirm'), jobId: id }),
  z.object({ type: z.literal('export:cancel'), jobId: id }),
  z.object({ type: z.literal('export:status'), jobId: id }),
  z.object({ type: z.literal('export:current'), workflowId: id }),
  z.object({ type: z.literal('viewer:open'), packageId: z.optional(id) }),
  /** Saves a cached package to disk again, from the cache (no network). Extension pages only. */
  z.object({ type: z.literal('package:download'), packageId: id }),
]);
export type WorkerRequest = z.infer<typeof workerRequestSchema>;

/** Every answer is either data or an error for people; never a thrown exception across contexts. */
export type WorkerResponse<T> = { ok: true; data: T } | { ok: false; error: UiError };

export interface WorkerResponses {
  'workflow:get': WorkflowInfo;
  'export:start': JobSnapshot;
  'export:confirm': JobSnapshot;
  'export:cancel': JobSnapshot;
  'export:status': JobSnapshot;
  /** The export this tab has running for the workflow, or has just finished; null when none. */
  'export:current': JobSnapshot | null;
  'viewer:open': null;
  /** The name the browser saved the file under. */
  'package:download': { savedAs: string | null };
}

export function responseSchema<T extends z.ZodMiniType>(data: T) {
  return z.union([
    z.object({ ok: z.literal(true), data }),
    z.object({ ok: z.literal(false), error: uiErrorSchema }),
  ]);
}

export const responseDataSchemas = {
  'workflow:get': workflowInfoSchema,
  'export:start': jobSnapshotSchema,
  'export:confirm': jobSnapshotSchema,
  'export:cancel': jobSnapshotSchema,
  'export:status': jobSnapshotSchema,
  'export:current': z.nullable(jobSnapshotSchema),
  'viewer:open': z.null(),
  'package:download': z.object({ savedAs: z.nullable(z.string()) }),
} satisfies { [K in keyof WorkerResponses]: z.ZodMiniType };

/** Messages the worker sends to a tab's content script. */
export const tabMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('job:update'), job: jobSnapshotSchema }),
  z.object({
    type: z.literal('proxy:fetch'),
    url: z.string(),
    method: z.enum(['GET', 'POST', 'DELETE']),
    headers: z.record(z.string(), z.string()),
    body: z.optional(z.string()),
  }),
]);
export type TabMessage = z.infer<typeof tabMessageSchema>;

export const proxyResponseSchema = z.object({
  status: z.number(),
  statusText: z.string(),
  contentType: z.string(),
  body: z.string(),
});
export type ProxyResponse = z.infer<typeof proxyResponseSchema>;
