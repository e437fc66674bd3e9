/**
 * The pieces of a single export that do not depend on where it runs, shared by the export job
 * (lib/jobs/export-job.ts) and bulk export (lib/bulk/): validating the raw version record the platform sent,
 * and the SHA-256 a cached package is known by.
 */
import { PackageError } from './errors.ts';
import { formatIssuePath, rawVersionRecordSchema, type RawVersionRecord } from './schemas.ts';

/** The raw version record (platform-contract.md §6), checked. @throws PackageError SCHEMA_MISMATCH */
export function validateVersionRecord(raw: unknown): RawVersionRecord {
  const parsed = rawVersionRecordSchema.safeParse(raw);
  if (!parsed.success) {
    throw new PackageError(
      'SCHEMA_MISMATCH',
      'The version record does not have the expected shape.',
      parsed.error.issues.map((issue) => ({ path: formatIssuePath(issue.path), message: issue.message })),
    );
  }
  return parsed.data;
}

export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}
