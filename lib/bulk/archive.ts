/**
 * The bulk archive's layout: `<Account name> workflows <date>.zip` holding one folder per workflow
 * (`<Workflow Name>/app_definition.json`, `flow_definition.json`, `env_variables.json`, the very bytes of that
 * workflow's own package) and `porter-index.json` (each workflow, its version, the SHA-256 of its own package zip,
 * its redaction counts, and what failed and why), so a team can unzip it into a git repository and diff the next
 * run against it.
 *
 * {@link bulkArchive} turns outcomes into zip entries lazily, one workflow at a time, for client-zip's
 * `makeZip`/`downloadZip` (or for files on disk): nothing of a workflow is kept once its entries are taken,
 * except the few lines it adds to the index.
 */
import type { UiError } from '../protocol/common.ts';
import { MAX_STEM_BYTES, safeFileStem, utf8Length } from '../package/filename.ts';
import { canonicalJson, PACKAGE_TIMESTAMP_FIELDS } from '../package/zip-write.ts';
import type { BulkOutcome, WorkflowPackage } from './export-workflows.ts';

export const INDEX_FILE = 'porter-index.json';
export const INDEX_SCHEMA_VERSION = '1.0';

export interface ExportedEntry {
  workflowId: string;
  name: string;
  status: 'exported';
  /** The folder in the archive. */
  folder: string;
  version: { id: string; name: string; state: string };
  /** The workflow's own package zip (`<Workflow Name>.zip` from a single export): its size and SHA-256. */
  package: { size: number; sha256: string };
  redactions: { total: number; byRule: Record<string, number> };
  /** Secure variables that need a value in the target after import. */
  variablesToSet: string[];
}

export interface FailedEntry {
  workflowId: string;
  name?: string;
  status: 'failed';
  error: UiError;
}

export type IndexEntry = ExportedEntry | FailedEntry;

export interface BulkIndex {
  schemaVersion: string;
  generator: 'AFP Porter';
  account: { name: string; id?: string };
  exportedAt: string;
  summary: { requested: number; exported: number; failed: number; redactions: number };
  workflows: IndexEntry[];
}

export interface ArchiveEntry {
  name: string;
  input: Uint8Array;
  lastModified: Date;
}

/** `Sandbox Bank workflows 2026-12-02.zip` (the local date), safe as a file name. */
export function bulkArchiveName(accountName: string, date: Date): string {
  const day = [
    date.getFullYear(),
    String(date.getMonth() + 1).padStart(2, '0'),
    String(date.getDate()).padStart(2, '0'),
  ].join('-');
  const suffix = ` workflows ${day}`;
  return `${safeFileStem(accountName, MAX_STEM_BYTES - utf8Length(suffix))}${suffix}.zip`;
}

/**
 * Folder names: the workflow's name made safe (lib/package/filename.ts), and unique in the archive even when two
 * names give the same file name or differ only in letter case ("Ops: Intake", "Ops / Intake" → "Ops - Intake",
 * "Ops - Intake (2)"). Given the same names in the same order, the same folders.
 */
export class FolderNames {
  private readonly taken = new Set<string>([INDEX_FILE.toLowerCase()]);

  next(workflowName: string): string {
    for (let n = 1; ; n++) {
      const suffix = n === 1 ? '' : ` (${n})`;
      const folder = `${safeFileStem(workflowName, MAX_STEM_BYTES - utf8Length(suffix))}${suffix}`;
      const key = folder.normalize('NFC').toLowerCase();
      if (!this.taken.has(key)) {
        this.taken.add(key);
        return folder;
      }
    }
  }
}

function countByRule(pkg: WorkflowPackage): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const item of pkg.report.items) counts[item.rule] = (counts[item.rule] ?? 0) + 1;
  return counts;
}

export function exportedEntry(pkg: WorkflowPackage, folder: string): ExportedEntry {
  return {
    workflowId: pkg.workflowId,
    name: pkg.workflowName,
    status: 'exported',
    folder,
    version: { id: pkg.versionId, name: pkg.versionName, state: pkg.versionState },
    package: { size: pkg.bytes.byteLength, sha256: pkg.sha256 },
    redactions: { total: pkg.report.items.length, byRule: countByRule(pkg) },
    variablesToSet: pkg.report.variables.map((variable) => variable.name),
  };
}

function timestamp(): Date {
  const [year, month, day, hours, minutes, seconds] = PACKAGE_TIMESTAMP_FIELDS;
  return new Date(year, month, day, hours, minutes, seconds);
}

export function buildIndex(
  entries: IndexEntry[],
  meta: { account: BulkIndex['account']; exportedAt: string },
): BulkIndex {
  const exported = entries.filter((entry): entry is ExportedEntry => entry.status === 'exported');
  return {
    schemaVersion: INDEX_SCHEMA_VERSION,
    generator: 'AFP Porter',
    account: meta.account,
    exportedAt: meta.exportedAt,
    summary: {
      requested: entries.length,
      exported: exported.length,
      failed: entries.length - exported.length,
      redactions: exported.reduce((sum, entry) => sum + entry.redactions.total, 0),
    },
    workflows: entries,
  };
}

export interface BulkArchive {
  /** The archive's entries, in order: each exported workflow's folder, then `porter-index.json`. */
  entries: AsyncGenerator<ArchiveEntry>;
  /** The index as it stands (complete once `entries` is done). */
  index(): BulkIndex;
}

export function bulkArchive(
  outcomes: AsyncIterable<BulkOutcome>,
  meta: { account: BulkIndex['account']; exportedAt: string },
): BulkArchive {
  const rows: IndexEntry[] = [];
  const lastModified = timestamp();
  async function* entries(): AsyncGenerator<ArchiveEntry> {
    const folders = new FolderNames();
    for await (const outcome of outcomes) {
      if (outcome.status === 'failed') {
        rows.push({
          workflowId: outcome.workflowId,
          ...(outcome.workflowName && { name: outcome.workflowName }),
          status: 'failed',
          error: outcome.error,
        });
        continue;
      }
      const pkg = outcome.package;
      const folder = folders.next(pkg.workflowName);
      rows.push(exportedEntry(pkg, folder));
      for (const file of pkg.files) yield { name: `${folder}/${file.name}`, input: file.data, lastModified };
    }
    yield {
      name: INDEX_FILE,
      input: new TextEncoder().encode(canonicalJson(buildIndex(rows, meta))),
      lastModified,
    };
  }
  return { entries: entries(), index: () => buildIndex(rows, meta) };
}
