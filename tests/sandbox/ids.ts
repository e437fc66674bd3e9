import { createHash, randomBytes, randomUUID } from 'node:crypto';

/** A deterministic UUID (v5-shaped) derived from a label, so seeded IDs never change. */
export function stableUuid(label: string): string {
  const h = createHash('sha256').update(`afp-sandbox:${label}`).digest('hex');
  const variant = ((parseInt(h.slice(16, 17), 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export function stableHex(label: string, length: number): string {
  return createHash('sha256').update(`afp-sandbox-hex:${label}`).digest('hex').slice(0, length);
}

export const newWorkflowId = (): string => `a-${randomUUID()}`;
export const newVersionId = (): string => `cf-${randomUUID()}`;
export const newDockStatusId = (): string => `ds-${randomUUID()}`;
export const newExportJobId = (): string => `workflow-ej-${randomUUID()}`;
export const newFileId = (): string => randomBytes(12).toString('hex');
export const newAuditId = (): string => `al-${randomUUID()}`;
export const newToken = (bytes = 32): string => randomBytes(bytes).toString('base64url');
