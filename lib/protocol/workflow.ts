/** Reading a workflow for a panel: its versions and what the signed-in user may do with it. */
import * as z from 'zod/mini';
import { id, type MessageSpecs } from './common';

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
  /** The role allows importing a new version (tool admin, tool manager); the workflow must also be deployed. */
  canImportVersion: z.optional(z.boolean()),
  versions: z.array(versionInfoSchema),
});
export type WorkflowInfo = z.infer<typeof workflowInfoSchema>;

export const workflowMessages = {
  'workflow:get': { request: z.object({ workflowId: id }), response: workflowInfoSchema },
} satisfies MessageSpecs;
