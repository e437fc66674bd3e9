/**
 * What the platform says about an import, in plain words: a refusal becomes a summary and one problem per place
 * (never its raw detail object), a warning becomes one sentence. The import dialog and `porter import` both print
 * these.
 */
import type { ImportProblem } from '../package/import-files.ts';
import { PACKAGE_FILES } from '../package/schemas.ts';
import { PlatformError } from '../platform/errors.ts';
import type { PlatformWarning } from '../platform/types.ts';

export interface ImportFailure {
  code: string;
  summary: string;
  problems: ImportProblem[];
}

type Detail = Record<string, unknown>;

function details(value: unknown): Detail[] {
  const list = Array.isArray(value) ? value : value && typeof value === 'object' ? [value] : [];
  return list.filter((item): item is Detail => Boolean(item) && typeof item === 'object');
}

const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value.trim() ? value.trim() : undefined;

/** `guardrails.inputScanners[1]` → `input scanner 2`. */
function scannerPlace(path: string | undefined): string | undefined {
  const match = path && /(input|output)Scanners\[(\d+)\]/.exec(path);
  return match ? `${match[1]} scanner ${Number(match[2]) + 1}` : path;
}

const SUMMARIES: Record<string, string> = {
  INVALID_JSON: 'The platform could not read a file of the package as JSON.',
  SCHEMA_MISMATCH: 'The platform found parts of the package it does not accept.',
  INCOMPATIBLE_VERSION: 'The package was made for a newer version of the platform.',
  MISSING_GUARDRAILS: 'The package uses guardrail scanners that are not deployed in this account.',
  NAME_EXISTS: 'A workflow with this name already exists in the account.',
  PARENT_NOT_DEPLOYED: 'The workflow must be deployed before a version can be imported into it.',
  FORBIDDEN: 'Your role does not allow this import.',
};

function problemsFor(code: string, raw: unknown): ImportProblem[] {
  const items = details(raw);
  switch (code) {
    case 'MISSING_GUARDRAILS':
      return items.map((item) => ({
        file: PACKAGE_FILES.app,
        ...(scannerPlace(text(item.path)) && { place: scannerPlace(text(item.path)) }),
        message: `Guardrail scanner "${text(item.scanner) ?? 'unnamed'}" is not deployed in this account. Deploy it (Settings → Manage Guardrails), or remove it from the workflow's guardrails, then import again.`,
      }));
    case 'INCOMPATIBLE_VERSION':
      return items.map((item) => ({
        ...(text(item.file) && { file: text(item.file) }),
        message: `Its schema version is ${String(item.schemaVersion ?? 'unknown')}; this platform reads version 1. Export it again from a platform of the same version.`,
      }));
    case 'INVALID_JSON':
    case 'SCHEMA_MISMATCH':
      return items.map((item) => ({
        ...(text(item.file) && { file: text(item.file) }),
        ...(text(item.path) && { place: text(item.path) }),
        message: text(item.message) ?? 'is not accepted',
      }));
    default:
      return [];
  }
}

/** A platform error met while importing, as the dialog and the CLI show it. */
export function describeImportFailure(error: PlatformError): ImportFailure {
  const code = error.jobCode ?? error.code;
  const summary = SUMMARIES[code] ?? error.message;
  return { code, summary, problems: problemsFor(code, error.details) };
}

/** A warning the platform gave with a successful import, as one sentence. */
export function warningLine(warning: PlatformWarning): string {
  return warning.message || warning.code;
}
