/**
 * Permission table (platform-contract.md §2, afp-platform.md §1.12).
 * `permissions` reflect the role only; whether a workflow is deployed is checked separately.
 */
import type { AccountRole, ToolRole } from './types.ts';

export type ToolPermission =
  | 'view'
  | 'export'
  | 'importVersion'
  | 'deploy'
  | 'delete'
  | 'createVersion'
  | 'share'
  | 'configure'
  | 'manageApiKeys'
  | 'auditLog'
  | 'monitoring';

export const TOOL_ROLES: readonly ToolRole[] = ['tool admin', 'tool manager', 'tool editor', 'tool viewer'];
export const ACCOUNT_ROLES: readonly AccountRole[] = ['Master Admin', 'Admin', 'Member', 'Viewer'];

const TABLE: Record<ToolPermission, readonly ToolRole[]> = {
  view: TOOL_ROLES,
  monitoring: TOOL_ROLES,
  export: ['tool admin', 'tool manager', 'tool editor'],
  importVersion: ['tool admin', 'tool manager'],
  deploy: ['tool admin', 'tool manager', 'tool editor'],
  delete: ['tool admin'],
  createVersion: ['tool admin', 'tool manager', 'tool editor'],
  share: ['tool admin', 'tool manager'],
  configure: ['tool admin', 'tool manager', 'tool editor'],
  manageApiKeys: ['tool admin', 'tool manager'],
  auditLog: ['tool admin', 'tool manager'],
};

export function can(role: ToolRole | null | undefined, permission: ToolPermission): boolean {
  return !!role && TABLE[permission].includes(role);
}

/** Account-level: "Create a workflow" and "Workflow Import". */
export function canImportWorkflow(role: AccountRole): boolean {
  return role === 'Master Admin' || role === 'Admin' || role === 'Member';
}

export function permissionsFor(role: ToolRole | null | undefined) {
  return {
    export: can(role, 'export'),
    importVersion: can(role, 'importVersion'),
    deploy: can(role, 'deploy'),
    delete: can(role, 'delete'),
  };
}
