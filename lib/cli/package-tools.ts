/**
 * Reading packages from disk for the CLI and turning package problems and redaction reports into lines.
 * The work itself (reading, validating, redacting) is in lib/package.
 */
import { unzipSync } from 'fflate';
import { PackageError, type PackageProblem } from '../package/errors.ts';
import type { PackageContent } from '../package/schemas.ts';
import { CliError } from './errors.ts';
import { forbiddenProblems } from '../package/forbidden.ts';
import { outputPath, readInput, writeOutput } from './files.ts';
import { clean, formatBytes, plural, table } from './format.ts';
import { printJson, printer, type CliIo } from './io.ts';
import type { RedactionResultWithFiles } from '../redaction/redactor.ts';

export interface LoadedPackage {
  path: string;
  bytes: Uint8Array;
  content: PackageContent;
  files: string[];
  warnings: string[];
}

export function problemLine(problem: PackageProblem): string {
  const where = [problem.file, problem.path].filter(Boolean).join(': ');
  return clean(where ? `${where}: ${problem.message}` : problem.message);
}

/** Every problem of a PackageError, one per line (the error's own message when it lists none). */
export function problemLines(error: PackageError): string[] {
  return error.problems.length > 0 ? error.problems.map(problemLine) : [clean(error.message)];
}

/**
 * A package error in the CLI's words. The package reader speaks to the extension ("choose the three JSON
 * files instead"); a JSON file given to a package command is most likely a raw version record, for `pack`.
 */
export function cliPackageError(error: PackageError, bytes: Uint8Array): PackageError {
  if (error.code !== 'NOT_A_ZIP' || bytes.length === 0) return error;
  const head = new TextDecoder('latin1')
    .decode(bytes.subarray(0, 64))
    .replace(/^\uFEFF|^\u00EF\u00BB\u00BF/, '');
  if (!/^\s*[{[]/.test(head)) return error;
  return new PackageError(
    'NOT_A_ZIP',
    'This is a JSON file, not a package (a .zip holding app_definition.json, flow_definition.json and env_variables.json). A raw version record becomes a package with "porter pack <file.json>".',
  );
}

/** Reads and validates a package; an invalid one becomes a CliError that lists every problem. */
export async function loadPackage(
  cwd: string,
  path: string,
  options: {
    /** Also refuse what a package must never contain (a secure value, the push token, API keys…). */
    refuseForbidden?: boolean;
  } = {},
): Promise<LoadedPackage> {
  const bytes = await readInput(cwd, path);
  const { readPackageZip } = await import('../package/zip-read.ts');
  let loaded: LoadedPackage;
  try {
    const { content, files, warnings } = readPackageZip(bytes);
    loaded = { path, bytes, content, files, warnings };
  } catch (error) {
    if (error instanceof PackageError) throw invalidPackage(path, cliPackageError(error, bytes));
    throw error;
  }
  if (options.refuseForbidden) {
    const problems = forbiddenProblems(loaded.content);
    if (problems.length > 0)
      throw invalidPackage(
        path,
        new PackageError('SCHEMA_MISMATCH', 'forbidden content', problems),
        'FORBIDDEN_CONTENT',
      );
  }
  return loaded;
}

/** "x.zip" is not a valid package (N problems), every problem listed on stdout (or in --json). */
export function invalidPackage(path: string, error: PackageError, code: string = error.code): CliError {
  const lines = problemLines(error);
  return new CliError(`"${path}" is not a valid package (${plural(lines.length, 'problem')})`, 1, lines, {
    code,
    problems: error.problems.length > 0 ? error.problems : [{ message: clean(error.message) }],
  });
}

export interface EntryInfo {
  name: string;
  /** Uncompressed size in bytes. */
  size: number;
  compressedSize: number;
}

/** Names and sizes of a zip's entries, read from its directory without inflating anything. */
export function zipEntries(bytes: Uint8Array): EntryInfo[] {
  const entries: EntryInfo[] = [];
  try {
    unzipSync(bytes, {
      filter: (file) => {
        entries.push({ name: file.name, size: file.originalSize, compressedSize: file.size });
        return false;
      },
    });
  } catch {
    return entries;
  }
  return entries;
}

/** A redaction report item as lib/package/redact describes it; only these fields are ever printed. */
export interface ReportItemView {
  file: string;
  path: string;
  rule: string;
  action: string;
  replacement?: string;
  variable?: string;
  fingerprint?: string;
  nodeName?: string;
  /** For structural removals: how many entries were left out. */
  count?: number;
}

/** An env variable that must receive a value after import (from the redaction report). */
export interface VariableView {
  name: string;
  created: boolean;
  rule?: string;
  fingerprint?: string;
  occurrences?: number;
}

const ITEM_FIELDS = [
  'file',
  'nodeName',
  'path',
  'rule',
  'action',
  'replacement',
  'variable',
  'fingerprint',
] as const;

/** Keeps the fields known to hold no secret (a report never should; this makes sure of it when printing). */
export function safeReportItems(items: ReadonlyArray<object>): ReportItemView[] {
  return items.map((item) => {
    const record = item as Record<string, unknown>;
    const out: Record<string, string> = {};
    for (const field of ITEM_FIELDS) {
      const value = record[field];
      if (typeof value === 'string' && value !== '') out[field] = value;
    }
    const count = record.count;
    return {
      file: '',
      path: '',
      rule: '',
      action: '',
      ...out,
      ...(typeof count === 'number' ? { count } : {}),
    } as ReportItemView;
  });
}

export function safeVariables(variables: ReadonlyArray<object> | undefined): VariableView[] {
  return (variables ?? []).flatMap((variable) => {
    const record = variable as Record<string, unknown>;
    if (typeof record.name !== 'string') return [];
    const out: VariableView = { name: record.name, created: record.created === true };
    if (typeof record.rule === 'string') out.rule = record.rule;
    if (typeof record.fingerprint === 'string') out.fingerprint = record.fingerprint;
    if (typeof record.occurrences === 'number') out.occurrences = record.occurrences;
    return [out];
  });
}

/** The lines that tell which variables need a value in the target after import. */
export function variableLines(variables: VariableView[]): string[] {
  if (variables.length === 0) return [];
  const lines = [
    `Set ${variables.length === 1 ? 'this secure variable' : 'these secure variables'} in the target after import:`,
  ];
  for (const variable of variables) {
    const why = variable.created
      ? `new, replaces a secret found by rule ${variable.rule ?? '?'}`
      : 'value not exported';
    lines.push(
      clean(
        `  ${variable.name} (${why}${variable.fingerprint ? `, fingerprint ${variable.fingerprint}` : ''})`,
      ),
    );
  }
  return lines;
}

export function reportTable(items: ReportItemView[]): string[] {
  if (items.length === 0) return ['Nothing needed redacting.'];
  const rows = items.map((item) => [
    item.file,
    item.nodeName ?? '',
    item.path,
    item.rule,
    item.action,
    item.replacement ??
      (item.count !== undefined ? `(${plural(item.count, 'entry', 'entries')} left out)` : ''),
  ]);
  return table(
    ['FILE', 'NODE', 'PATH', 'RULE', 'ACTION', 'NOW / FINGERPRINT'],
    rows.map((row, index) => {
      const fingerprint = items[index]!.fingerprint;
      const last = row[5] ?? '';
      return [...row.slice(0, 5), fingerprint ? `${last}${last ? ' ' : ''}#${fingerprint}` : last];
    }),
  ).map(clean);
}

/**
 * What `pack` and `export` share: write the redacted package (to `-o`, else `<Workflow Name>.zip`) and print the
 * redaction report, as a table or as JSON; `headline` says what was done in the command's own words. The zip
 * holds the files the final leak check scanned, byte for byte what the extension would save.
 */
export async function writeRedactedPackage(
  io: CliIo,
  options: { output: string | undefined; json: boolean },
  { content, report, files }: RedactionResultWithFiles,
  headline: (output: string, size: string) => string,
  extraJson: Record<string, unknown> = {},
): Promise<number> {
  const [{ zipFiles }, { packageFileName }] = await Promise.all([
    import('../package/zip-write.ts'),
    import('../package/filename.ts'),
  ]);
  const data = await zipFiles(files);
  const output = await outputPath(io.cwd, options.output, packageFileName(content.app.workflow.name));
  await writeOutput(io.cwd, output, data);
  const items = safeReportItems(report.items);
  const variables = safeVariables(report.variables);

  if (options.json) {
    printJson(io, {
      output,
      size: data.length,
      ...extraJson,
      workflow: content.app.workflow.name,
      version: content.app.version.name,
      redactions: items,
      variablesToSet: variables,
    });
    return 0;
  }
  const print = printer(io);
  print.out(clean(headline(output, formatBytes(data.length))));
  print.out(
    items.length > 0 ? `${plural(items.length, 'item')} removed or replaced:` : 'Nothing needed redacting.',
  );
  if (items.length > 0) for (const line of reportTable(items)) print.out(`  ${line}`);
  for (const line of variableLines(variables)) print.out(line);
  return 0;
}
