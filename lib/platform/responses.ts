/**
 * What the platform answers, as zod schemas: strict about what the clients use, tolerant of everything else
 * (unknown keys, `null` for missing text, the documentation's `dock-statusId` spelling).
 */
import { z } from 'zod';
import type { AccountInfo, PlatformWarning, SessionInfo, WorkflowDetails, WorkflowSummary } from './types.ts';

const text = z
  .string()
  .nullish()
  .transform((value) => value ?? '');

const optionalText = z
  .string()
  .nullish()
  .transform((value) => value ?? undefined);

export const sessionResponseSchema = z
  .looseObject({
    user: z.looseObject({ id: z.string().min(1), email: z.string(), name: text }),
    account: z.looseObject({ id: z.string().min(1), name: text, role: text }),
    csrfToken: optionalText,
  })
  .transform((value): SessionInfo & { csrfToken?: string } => ({
    user: { id: value.user.id, email: value.user.email, name: value.user.name },
    account: { id: value.account.id, name: value.account.name, role: value.account.role },
    ...(value.csrfToken ? { csrfToken: value.csrfToken } : {}),
  }));

/** `GET /api/account`: the account role and what it allows (import a new workflow). */
export const accountResponseSchema = z
  .looseObject({
    account: z.looseObject({ role: text }),
    permissions: z.looseObject({ importWorkflow: z.boolean().optional() }).nullish(),
  })
  .transform((value): AccountInfo => ({
    role: value.account.role,
    canImportWorkflow: value.permissions?.importWorkflow ?? false,
  }));

const workflowSummarySchema = z
  .looseObject({
    id: z.string().min(1),
    name: z.string(),
    description: text,
    status: text,
    updatedAt: optionalText,
    myRole: optionalText,
  })
  .transform((value): WorkflowSummary => {
    const out: WorkflowSummary = {
      id: value.id,
      name: value.name,
      description: value.description,
      status: value.status,
    };
    if (value.updatedAt) out.updatedAt = value.updatedAt;
    if (value.myRole) out.myRole = value.myRole;
    return out;
  });

/** `{workflows: [...]}` as the contract says; a bare array is accepted too. */
export const workflowListSchema = z
  .preprocess(
    (value) => (Array.isArray(value) ? { workflows: value } : value),
    z.looseObject({ workflows: z.array(workflowSummarySchema) }),
  )
  .transform((value) => value.workflows);

const flag = z.boolean().optional().default(false);

export const workflowDetailsSchema = z
  .looseObject({
    workflow: z.looseObject({
      id: z.string().min(1),
      name: z.string(),
      description: text,
      status: text,
      deployedVersionId: z.string().nullish(),
      inDevelopmentVersionId: z.string().nullish(),
      myRole: optionalText,
      permissions: z.looseObject({ export: flag, importVersion: flag, deploy: flag, delete: flag }),
    }),
    versions: z
      .array(
        z.looseObject({
          id: z.string().min(1),
          name: text,
          state: text,
          createdAt: optionalText,
          updatedAt: optionalText,
        }),
      )
      .default([]),
  })
  .transform((value): WorkflowDetails => ({
    workflow: {
      id: value.workflow.id,
      name: value.workflow.name,
      description: value.workflow.description,
      status: value.workflow.status,
      deployedVersionId: value.workflow.deployedVersionId ?? null,
      inDevelopmentVersionId: value.workflow.inDevelopmentVersionId ?? null,
      ...(value.workflow.myRole ? { myRole: value.workflow.myRole } : {}),
      permissions: {
        export: value.workflow.permissions.export,
        importVersion: value.workflow.permissions.importVersion,
        deploy: value.workflow.permissions.deploy,
        delete: value.workflow.permissions.delete,
      },
    },
    versions: value.versions.map((version) => ({
      id: version.id,
      name: version.name,
      state: version.state,
      ...(version.createdAt ? { createdAt: version.createdAt } : {}),
      ...(version.updatedAt ? { updatedAt: version.updatedAt } : {}),
    })),
  }));

export const fileUploadSchema = z
  .looseObject({ fileId: optionalText, id: optionalText, _id: optionalText, url: optionalText })
  .refine((value) => Boolean(value.fileId ?? value.id ?? value._id), {
    message: 'has no fileId',
    path: ['fileId'],
  })
  .transform((value) => ({ fileId: (value.fileId ?? value.id ?? value._id) as string, url: value.url }));

const jobError = z
  .union([
    z.looseObject({ code: optionalText, message: optionalText, details: z.unknown().optional() }),
    z.string().transform((message) => ({ code: undefined, message, details: undefined })),
  ])
  .nullish();

export type JobOutcome = 'running' | 'success' | 'failed';

export function outcomeOf(status: string | undefined): JobOutcome {
  const normalized = (status ?? '').toUpperCase().replace(/[-\s]/g, '_');
  if (['SUCCESS', 'SUCCEEDED', 'SUCCESSFUL', 'COMPLETED', 'COMPLETE', 'DONE'].includes(normalized))
    return 'success';
  if (['FAILED', 'FAILURE', 'ERROR', 'CANCELLED', 'CANCELED', 'ABORTED'].includes(normalized))
    return 'failed';
  return 'running';
}

/** A job as the start call (`POST …/import`, `…/export`) or `GET /api/public/dock-status/:id` answers it. */
export const jobSchema = z
  .looseObject({
    dockStatusId: optionalText,
    'dock-statusId': optionalText,
    _id: optionalText,
    workflowId: optionalText,
    toolId: optionalText,
    versionId: optionalText,
    flowId: optionalText,
    status: optionalText,
    error: jobError,
    warnings: z.array(z.unknown()).nullish(),
    response: z.looseObject({ downloadUrl: optionalText }).nullish(),
    downloadUrl: optionalText,
  })
  .transform((value) => ({
    dockStatusId: value.dockStatusId ?? value['dock-statusId'] ?? value._id,
    workflowId: value.workflowId ?? value.toolId,
    versionId: value.versionId ?? value.flowId,
    status: value.status ?? '',
    outcome: outcomeOf(value.status),
    error: value.error ?? undefined,
    warnings: (value.warnings ?? []).map(toWarning),
    downloadUrl: (value.response?.downloadUrl ?? value.downloadUrl)?.trim() || undefined,
  }));
export type Job = z.output<typeof jobSchema>;

function toWarning(raw: unknown): PlatformWarning {
  if (typeof raw === 'string') return { code: 'WARNING', message: raw };
  if (raw && typeof raw === 'object') {
    const record = raw as Record<string, unknown>;
    const code = typeof record.code === 'string' ? record.code : 'WARNING';
    const message = typeof record.message === 'string' ? record.message : code;
    const warning: PlatformWarning = { code, message };
    if (record.details !== undefined) warning.details = record.details;
    return warning;
  }
  return { code: 'WARNING', message: String(raw) };
}
