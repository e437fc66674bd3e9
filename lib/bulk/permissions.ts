/**
 * Whether the user may export a workflow, from the role the workflow list gives (platform-contract.md §2: tool
 * admin, manager and editor may; a viewer may not). The list carries no permissions, and asking for every
 * workflow's would cost one request each; the platform still checks when the workflow is exported, and a refusal
 * then is reported like any other failure.
 */
const MAY_EXPORT = new Set(['tool admin', 'tool manager', 'tool editor']);
const MAY_NOT_EXPORT = new Set(['tool viewer']);

export type ExportPermission = { canExport: true } | { canExport: false; reason: string };

export function exportPermission(role: string | null | undefined): ExportPermission {
  const normalised = role?.trim().toLowerCase();
  if (!normalised || MAY_EXPORT.has(normalised)) return { canExport: true };
  if (MAY_NOT_EXPORT.has(normalised))
    return {
      canExport: false,
      reason: `Your role (${role}) may not export this workflow; the editor role or above can.`,
    };
  // A role this extension does not know: let the platform decide when it is exported.
  return { canExport: true };
}
